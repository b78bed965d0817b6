"""Show a record diff (engine/recorddiff.py) to a reader, in Chinese or English: the
holdings in the pack's own words, the rules by id and the provision or holding they apply."""
from __future__ import annotations

from .i18n import gettext, pgettext
from .main import cite, naming, says


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return ", ".join(f"{k}={_value(x)}" for k, x in v.items())
    if isinstance(v, list):
        return "[" + ", ".join(map(str, v)) + "]"
    return "—" if v is None else str(v)


def holding_text(pack, key: str, value, lang: str) -> str:
    m = pack.manifest["decision"]
    concept = m["holdings"].get(key) or (m["disposition"] if key == "disposition" else None)
    if concept is None:
        return _value([pgettext(_rights_field(pack), v, lang) for v in value]) if isinstance(value, list) else _value(value)
    if value not in pack.concepts[concept].says:  # no rule concluded it
        return gettext(str(value), lang)
    return says(pack, concept, value, lang)


def holding_label(pack, key: str, lang: str) -> str:
    m = pack.manifest["decision"]
    concept = m["holdings"].get(key) or (m["disposition"] if key == "disposition" else None)
    return pack.concepts[concept].label.get(lang) if concept else gettext("Rights infringed", lang)


def _rights_field(pack) -> str:
    """The case-file field whose values name the rights (their labels' context)."""
    return naming(pack.case_format)[0][pack.manifest["decision"]["rights_infringed"]["kind"]]


def rule_line(pack, rule_id: str, lang: str) -> str:
    rule = pack.rule(rule_id)
    if rule is None:  # a rule of the other pack (impact reports compare two)
        return f"{rule_id}"
    ids = [rule.source] + [x for x in rule.cites if x != rule.source]
    return f"{rule_id} — {cite(pack, [i for i in ids if i in pack.authorities], lang)}"


def render_diff(pack, diff: dict, lang: str, indent: str = "  ", other_pack=None) -> list[str]:
    """The lines of a reason diff; `other_pack` names the rules of the "after" side when the
    two records come from different packs."""
    _ = lambda m: gettext(m, lang)
    out: list[str] = []
    for h in diff["holdings"]:
        out.append(f"{indent}{holding_label(pack, h['key'], lang)}: {holding_text(pack, h['key'], h['before'], lang)}"
                   f" → {holding_text(pack, h['key'], h['after'], lang)}")
    infringes = pack.manifest["decision"]["acts"]["fact"]
    rights = lambda names: _value([pgettext(_rights_field(pack), r, lang) for r in names])
    for a in diff["acts"]:
        out.append(f"{indent}{_('Act')} {a['id']}: {says(pack, infringes, a['before'], lang)} {rights(a['rights_before'])}"
                   f" → {says(pack, infringes, a['after'], lang)} {rights(a['rights_after'])}")
    for title, key, source in ((_("Rules that fired only before"), "rules_only_before", pack),
                               (_("Rules that fired only after"), "rules_only_after", other_pack or pack)):
        if diff[key]:
            out.append(f"{indent}{title}:")
            out += [f"{indent}  - {rule_line(source, r, lang)}" for r in diff[key]]
    if diff["findings"]:
        out.append(f"{indent}{_('Findings of fact that change')}:")
        out += [f"{indent}  - {f['fact']}: {_value(f['before'])} → {_value(f['after'])}" for f in diff["findings"]]
    if diff["remedies"]:
        out.append(f"{indent}{_('Remedies and court fee that change')}:")
        out += [f"{indent}  - {r['key']}: {_value(r['before'])} → {_value(r['after'])}" for r in diff["remedies"]]
    return out
