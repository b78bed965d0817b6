"""Show precedents on both sides of an open-textured question (engine/precedents.py): the
holdings that decided it the other way, with the factors shared and those to distinguish."""
from __future__ import annotations

from ..engine import compare_precedents, pack_precedents
from .i18n import gettext


def _factors(fs, lang: str) -> str:
    _ = lambda m: gettext(m, lang)
    return ", ".join(f"{f.label[lang]} [{_(f.favours)}]" for f in fs) or "—"


def precedent_lines(pack, case, c, lang: str, questions=None) -> list[str]:
    """Lines for `decide` and `explain`; `questions` limits them to these concepts."""
    _ = lambda m: gettext(m, lang)
    values = {q: c.value(q) for q in {p.question for p in pack_precedents(pack)}}
    out: list[str] = []
    for question, comps in compare_precedents(pack, case, values).items():
        if questions is not None and question not in questions:
            continue
        concept = pack.concepts[question]
        out += ["", f"{_('Precedents on both sides')} — {concept.label.get(lang)}:"]
        for comp in comps:
            p = comp.precedent
            side = _("the same way") if comp.agrees else _("the other way")
            held = concept.says[p.outcome].get(lang) if p.outcome in concept.says else str(p.outcome)
            out.append(f"  - {pack.authorities[p.authority].citation(lang, short=True)} ({side}: {held})")
            out.append(f"      {_('shared factors')}: {_factors(comp.shared, lang)}")
            out.append(f"      {_('only in the precedent')}: {_factors(comp.only_precedent, lang)}")
            out.append(f"      {_('only in this case')}: {_factors(comp.only_case, lang)}")
    return out

