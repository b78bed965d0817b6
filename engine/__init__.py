"""Assessor's engine: load a rule pack, read a case file, consult, decide.

The engine knows no law: everything about a jurisdiction lives in a rule pack.

This module is the engine's public API: the front ends (cli/, web/) and the benchmarks (bench/)
import from here only, which lint-imports checks for cli/ and web/ (pyproject.toml,
[tool.importlinter]). A few names are renamed here where two stages use the same short name
(``compare``, ``run``, ``Side``, ``columns``): the public name says which stage it belongs to.

Every name loads on first use, through the module-level ``__getattr__`` below, with the
module that defines it: ``assessor decide`` imports what deciding needs, not the interview,
the casework or the opinion (Jinja2, Babel's date and number formats, python-docx, OpenCC
behind it), and ``assessor --help`` starts without them (bench/engine.py measures both).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # every name, for type checkers
    from .answers import AnswerError
    from .batch import Job as BatchJob, case_files, columns as batch_columns, cores, run as run_batch
    from .casebook import load_hypotheticals, run_example, run_hypothetical
    from .casefile import Case, build_case, fact_name, parse_case, read_case
    from .casewrite import dump_case, read_state
    from .compiler import compile_pack
    from .decision import FORMAT, build_record, decide, disposition_set_aside
    from .errors import AssessorError, ConsultationError, InputError, Span
    from .explain import justify, walk
    from .flips import answer_fields, answer_flips, apply_changes, find_flips
    from .holding_words import entity_names, holding_label, holding_text, plain_value, says
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
    from .judgment_model import build_model
    from .opinion import OpinionError, case_digest, render_model, render_opinion
    from .template_check import check_templates

#: module -> the names it defines, each imported on first use
_MODULES = {
    "answers": ("AnswerError",),
    "batch": ("batch_columns", "BatchJob", "case_files", "cores", "run_batch"),
    "casebook": ("load_hypotheticals", "run_example", "run_hypothetical"),
    "casefile": ("build_case", "Case", "fact_name", "parse_case", "read_case"),
    "casewrite": ("dump_case", "read_state"),
    "compiler": ("compile_pack",),
    "decision": ("build_record", "decide", "disposition_set_aside", "FORMAT"),
    "errors": ("AssessorError", "ConsultationError", "InputError", "Span"),
    "explain": ("justify", "walk"),
    "flips": ("answer_fields", "answer_flips", "apply_changes", "find_flips"),
    "holding_words": ("entity_names", "holding_label", "holding_text", "plain_value", "says"),
    "i18n": ("catalog", "gettext", "lang_of", "LANGS", "LOCALE_DIR", "OPINION_LANGS", "pgettext"),
    "impact": ("compare_packs", "PackSide", "rule_changes"),
    "interview": ("Interview",),
    "judgment_model": ("build_model",),
    "lint": ("lint_pack",),
    "loader": ("load_pack",),
    "model": ("Holding", "RulePack"),
    "opinion": ("case_digest", "OpinionError", "render_model", "render_opinion"),
    "output": ("check_output", "replacing", "write_atomic"),
    "packcache": ("cached_pack",),
    "planner": ("Planner",),
    "precedents": ("compare_precedents", "pack_precedents"),
    "recorddiff": ("outcome_changed", "record_diff"),
    "remedies": ("Form", "of_form"),
    "session": ("Consultation",),
    "simulated_user": ("simulated_answer",),
    "slots": ("ITEMS", "MULTI", "set_at"),
    "template_check": ("check_templates",),
    "yamlsrc": ("flow_yaml", "load_yaml", "Located", "parse_yaml"),
}
#: the names renamed here (see above) -> their names in their modules
_RENAMED = {
    "BatchJob": "Job",
    "PackSide": "Side",
    "batch_columns": "columns",
    "compare_packs": "compare",
    "compare_precedents": "compare",
    "pack_precedents": "precedents",
    "run_batch": "run",
}
_LAZY = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), _RENAMED.get(name, name))
    globals()[name] = value   # the next use is a plain lookup
    return value


__all__ = [
    "AnswerError", "AssessorError", "BatchJob", "Case", "Consultation", "ConsultationError", "FORMAT",
    "Form", "Holding", "ITEMS", "InputError", "Interview", "LANGS", "LOCALE_DIR", "Located", "MULTI", "OPINION_LANGS",
    "OpinionError", "PackSide", "Planner", "RulePack", "Span", "answer_fields", "answer_flips", "apply_changes", "batch_columns", "build_case",
    "build_model", "build_record", "cached_pack", "disposition_set_aside", "case_digest", "case_files", "catalog", "check_output", "check_templates",
    "compare_packs", "compare_precedents", "compile_pack", "cores", "decide", "dump_case", "entity_names", "fact_name",
    "find_flips", "flow_yaml", "gettext", "holding_label", "holding_text", "justify", "lang_of", "lint_pack", "load_hypotheticals",
    "load_pack", "load_yaml", "of_form", "outcome_changed", "pack_precedents", "parse_case", "parse_yaml", "pgettext", "plain_value",
    "read_case", "read_state", "record_diff", "replacing", "render_model", "render_opinion", "rule_changes",
    "run_batch", "run_example", "run_hypothetical", "says", "set_at", "simulated_answer", "walk", "write_atomic",
]
