"""`assessor flips`: what would have to change for the other side to win."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..engine import (AssessorError, Located, apply_changes, build_case, decide, fact_name, find_flips, load_pack,
                      load_yaml, record_diff)
from .diffview import holding_text, render_diff
from .i18n import gettext, pgettext
from .main import DEFAULT_PACK, Format, LangOpt, Lang, RulesOpt, app, fail


def _shown(v) -> str:
    return "true" if v is True else "false" if v is False else "—" if v is None else str(v)


def change_text(pack, ch, lang: str) -> str:
    concept = fact_name(ch.path)
    label = pack.concepts[concept].label.get(lang) if concept in pack.concepts else concept
    new = pgettext(concept, str(ch.new), lang) if isinstance(ch.new, str) else _shown(ch.new)
    old = pgettext(concept, str(ch.old), lang) if isinstance(ch.old, str) else _shown(ch.old)
    same = f" ({gettext('or', lang)} {', '.join(map(_shown, ch.same_as))})" if ch.same_as else ""
    return f"{ch.key} ({label}): {old} → {new}{same}"


@app.command("flips")
def flips_cmd(
    case: Annotated[Path, typer.Argument(help="Case file.")],
    max_changes: Annotated[int, typer.Option("--max-changes", min=1, max=6, help="Largest set of changes to try.")] = 2,
    target: Annotated[Optional[str], typer.Option("--target", help="Disposition to reach (default: any other).")] = None,
    unknown: Annotated[bool, typer.Option("--unknown", help="Also change answers the case file leaves unknown.")] = False,
    budget: Annotated[int, typer.Option("--budget", min=1, help="Most variants to decide before stopping.")] = 600,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most flips to show.")] = 20,
    format: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = DEFAULT_PACK,
) -> None:
    """The smallest sets of changes to the answers that change the disposition, ranked by size."""
    try:
        pack = load_pack(rules)
        doc = load_yaml(case)
        disposition = pack.concepts[pack.manifest["decision"]["disposition"]]
        if target is not None and target not in disposition.values:
            raise AssessorError(f"--target: '{target}' is not a disposition", None,
                                "one of " + ", ".join(map(str, disposition.values)))
        before = decide(pack, build_case(doc, pack))
        search = find_flips(pack, doc, max_changes, target, unknown, budget)
        shown = []
        for flip in search.flips[:limit]:
            changed = Located(apply_changes(doc.data, flip.changes), {}, doc.source)
            shown.append((flip, record_diff(before, decide(pack, build_case(changed, pack)))))
    except AssessorError as e:
        fail(e)
    if format is Format.json:
        typer.echo(json.dumps({
            "case": str(case), "disposition": before["holdings"]["disposition"],
            "evaluated": search.evaluated, "stopped_early": search.stopped_early,
            "flips": [{"changes": [{"field": c.key, "from": c.old, "to": c.new, "same_as": list(c.same_as)}
                                   for c in flip.changes],
                       "disposition": flip.holdings["disposition"], "diff": diff} for flip, diff in shown],
        }, ensure_ascii=False, indent=2))
        return
    lg = lang.value
    _ = lambda m: gettext(m, lg)
    typer.echo(f"{_('Disposition')}: {holding_text(pack, 'disposition', before['holdings']['disposition'], lg)}")
    if not search.flips:
        typer.echo(_("No set of at most %(n)s changes changes the disposition.") % {"n": max_changes})
    for i, (flip, diff) in enumerate(shown, 1):
        typer.echo(f"\n{i}. " + (_("%(n)s change") if flip.size == 1 else _("%(n)s changes")) % {"n": flip.size})
        for ch in flip.changes:
            typer.echo(f"   * {change_text(pack, ch, lg)}")
        typer.echo("\n".join(render_diff(pack, diff, lg, indent="   ")))
    if len(search.flips) > limit:
        typer.echo("\n" + _("%(n)s more not shown (--limit).") % {"n": len(search.flips) - limit})
    typer.echo("\n" + _("%(n)s variants decided.") % {"n": search.evaluated})
    if search.stopped_early:
        typer.echo(_("The search stopped early at its budget; smaller flips may exist among those not tried "
                     "(raise --budget)."))

