"""Assessor's engine: load a rule pack, read a case file, consult, decide.

The engine knows no law: everything about a jurisdiction lives in a rule pack.

This module is the engine's public API: the front ends (cli/, web/) import from here only,
which lint-imports checks (pyproject.toml, [tool.importlinter]).
"""
from __future__ import annotations

from .answers import AnswerError
from .casefile import Case, build_case, fact_name, parse_case, read_case
from .decision import FORMAT, build_record, decide
from .errors import AssessorError, ConsultationError, InputError, Span
from .explain import justify, walk
from .interview import Interview, simulated_answer
from .loader import load_pack
from .model import RulePack
from .session import Consultation
from .yamlsrc import Located, flow_yaml, load_yaml, parse_yaml

__all__ = [
    "AnswerError", "AssessorError", "Case", "Consultation", "ConsultationError", "FORMAT",
    "InputError", "Interview", "Located", "RulePack", "Span", "build_case", "build_record",
    "decide", "fact_name", "flow_yaml", "justify", "load_pack", "load_yaml", "parse_case", "parse_yaml",
    "read_case", "simulated_answer", "walk",
]
