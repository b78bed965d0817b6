"""Assessor's engine: load a rule pack, read a case file, consult, decide.

The engine knows no law: everything about a jurisdiction lives in a rule pack.

This module is the engine's public API: the front ends (cli/, web/) and the benchmarks (bench/)
import from here only, which lint-imports checks for cli/ and web/ (pyproject.toml,
[tool.importlinter]). A few names are renamed here where two stages use the same short name
(``compare``, ``run``, ``Side``, ``columns``): the public name says which stage it belongs to.

The opinion's names (Jinja2, Babel's date and number formats, python-docx, OpenCC behind them)
load on first use, through the module-level ``__getattr__`` below, so that ``assessor --help``
and ``assessor decide`` start without those libraries (bench/engine.py measures both).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .answers import AnswerError
from .batch import Job as BatchJob, case_files, columns as batch_columns, cores, run as run_batch
from .casebook import load_hypotheticals, run_example, run_hypothetical
from .casefile import Case, build_case, fact_name, parse_case, read_case
from .casewrite import dump_case, read_state
from .compiler import compile_pack
from .decision import FORMAT, build_record, decide
from .errors import AssessorError, ConsultationError, InputError, Span
from .explain import justify, walk
from .flips import apply_changes, find_flips
from .i18n import LANGS, LOCALE_DIR, OPINION_LANGS, catalog, gettext, lang_of, pgettext
from .impact import Side as PackSide, compare as compare_packs, rule_changes
from .interview import Interview
from .lint import lint_pack
from .loader import load_pack
from .model import Holding, RulePack
from .output import check_output, replacing, write_atomic
from .packcache import cached_pack
from .planner import Planner
from .precedents import compare as compare_precedents, precedents as pack_precedents
from .recorddiff import outcome_changed, record_diff
from .remedies import Form, of_form
from .session import Consultation
from .simulated_user import simulated_answer
from .slots import ITEMS, MULTI, set_at
from .yamlsrc import Located, flow_yaml, load_yaml, parse_yaml

if TYPE_CHECKING:  # the lazy names, for type checkers
    from .judgment_model import build_model
    from .opinion import OpinionError, case_digest, render_model, render_opinion
    from .template_check import check_templates

#: name -> the module that defines it, imported on first use (see the module docstring)
_LAZY = {
    "build_model": "judgment_model",
    "OpinionError": "opinion", "case_digest": "opinion", "render_model": "opinion", "render_opinion": "opinion",
    "check_templates": "template_check",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value   # the next use is a plain lookup
    return value


__all__ = [
    "AnswerError", "AssessorError", "BatchJob", "Case", "Consultation", "ConsultationError", "FORMAT",
    "Form", "Holding", "ITEMS", "InputError", "Interview", "LANGS", "LOCALE_DIR", "Located", "MULTI", "OPINION_LANGS",
    "OpinionError", "PackSide", "Planner", "RulePack", "Span", "apply_changes", "batch_columns", "build_case",
    "build_model", "build_record", "cached_pack", "case_digest", "case_files", "catalog", "check_output", "check_templates",
    "compare_packs", "compare_precedents", "compile_pack", "cores", "decide", "dump_case", "fact_name",
    "find_flips", "flow_yaml", "gettext", "justify", "lang_of", "lint_pack", "load_hypotheticals",
    "load_pack", "load_yaml", "of_form", "outcome_changed", "pack_precedents", "parse_case", "parse_yaml", "pgettext",
    "read_case", "read_state", "record_diff", "replacing", "render_model", "render_opinion", "rule_changes",
    "run_batch", "run_example", "run_hypothetical", "set_at", "simulated_answer", "walk", "write_atomic",
]
