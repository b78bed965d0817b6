"""Show a record diff (engine/recorddiff.py) to a reader, in Chinese or English: the
holdings in the pack's own words, the rules by id and the provision or holding they apply."""
from __future__ import annotations

from ..engine import entity_names, holding_label, holding_text, plain_value
from .i18n import gettext
from .main import cite, says


def _remedy_label(spec, key: str, lang: str) -> str:
    label = spec.get("label") if isinstance(spec, dict) else None
    return label.get(lang, key) if isinstance(label, dict) else key


def act_text(pack, entry: dict, lang: str) -> str:
    """One side of an act's change: its holdings in the pack's words, then its lists."""
    decl = pack.manifest["decision"]["acts"]
    parts = [says(pack, concept, entry.get(key), lang) for key, concept in decl["holdings"].items()]
    parts += [entity_names(pack, sub["link"], entry.get(key, []), lang) for key, sub in (decl.get("lists") or {}).items()]
    return " ".join(parts)


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
    for a in diff["acts"]:
        out.append(f"{indent}{_('Act')} {a['id']}: {act_text(pack, a['before'], lang)} → {act_text(pack, a['after'], lang)}")
    for title, key, source in ((_("Rules that fired only before"), "rules_only_before", pack),
                               (_("Rules that fired only after"), "rules_only_after", other_pack or pack)):
        if diff[key]:
            out.append(f"{indent}{title}:")
            out += [f"{indent}  - {rule_line(source, r, lang)}" for r in diff[key]]
    if diff["findings"]:
        out.append(f"{indent}{_('Findings of fact that change')}:")
        out += [f"{indent}  - {f['fact']}: {plain_value(f['before'])} → {plain_value(f['after'])}" for f in diff["findings"]]
    if diff["remedies"]:
        out.append(f"{indent}{_('Remedies that change')}:")
        # each by the label the pack gives it (pack.yaml decision.remedies), else by its key
        specs = pack.manifest["decision"].get("remedies") or {}
        out += [f"{indent}  - {_remedy_label(specs.get(r['key']), r['key'], lang)}: {plain_value(r['before'])} → "
                f"{plain_value(r['after'])}" for r in diff["remedies"]]
    return out
