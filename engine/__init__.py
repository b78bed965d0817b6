"""Assessor's engine: load a rule pack, read a case file, consult, decide.

The engine knows no law: everything about a jurisdiction lives in a rule pack.
"""
from __future__ import annotations

from .casefile import Case, parse_case, read_case
from .decision import FORMAT, decide
from .errors import AssessorError, ConsultationError, InputError, Span
from .loader import load_pack
from .model import RulePack
from .session import Consultation

__all__ = [
    "AssessorError", "Case", "Consultation", "ConsultationError", "FORMAT", "InputError",
    "RulePack", "Span", "decide", "load_pack", "parse_case", "read_case",
]
