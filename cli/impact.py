"""`assessor impact`: the law-change impact report a court runs before adopting a new rule
pack (or to see what a date of the law changes), case by case with a summary."""
from __future__ import annotations

import datetime
import json
from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..engine import AssessorError, PackSide, case_files, compare_packs, load_pack, rule_changes
from .diffview import holding_text, render_diff
from .i18n import gettext
from .main import DEFAULT_PACK, Format, Lang, LangOpt, app, fail


def _date(value: str) -> str:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise AssessorError(f"--as-of: '{value}' is not a date", None, "YYYY-MM-DD") from None
    return value


@app.command("impact")
def impact_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Case files and folders.")],
    old_rules: Annotated[Optional[Path], typer.Option("--old-rules", help="The rule pack in use.")] = None,
    new_rules: Annotated[Optional[Path], typer.Option("--new-rules", help="The rule pack to adopt.")] = None,
    as_of: Annotated[Optional[list[str]], typer.Option("--as-of", help="Twice: decide every case under the law of each date.")] = None,
    format: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
    lang: LangOpt = Lang.zh,
) -> None:
    """Decide every case under two rule packs (or two dates of the law) and report what changes."""
    lg = lang.value
    _ = lambda m: gettext(m, lg)
    dates = as_of or []
    if len(dates) not in (0, 2) or (dates and (old_rules or new_rules)) or (not dates and not new_rules):
        typer.echo("error: give --old-rules A --new-rules B, or --as-of D1 --as-of D2", err=True)
        raise typer.Exit(2)
    missing = [p for p in paths if not p.exists()]
    if missing:
        typer.echo(f"error: {missing[0]}: no such file or directory", err=True)
        raise typer.Exit(1)
    try:
        if dates:
            pack = load_pack(DEFAULT_PACK if old_rules is None else old_rules)
            old, new = PackSide(pack, _date(dates[0])), PackSide(pack, _date(dates[1]))
        else:
            old, new = PackSide(load_pack(old_rules or DEFAULT_PACK)), PackSide(load_pack(new_rules))
    except AssessorError as e:
        fail(e)
    files, _skipped = case_files(paths, old.pack.case_format["format"])
    results = list(compare_packs(files, old, new))
    counts = Counter(r["status"] for r in results)
    moves = Counter(tuple(r["disposition"]) for r in results if r["status"] == "changed")
    rules_diff = rule_changes(old.pack, new.pack)
    if format is Format.json:
        typer.echo(json.dumps({
            "old": _side(old), "new": _side(new), "rules": rules_diff, "cases": results,
            "summary": {"cases": len(results), **{k: counts.get(k, 0) for k in ("changed", "reasons", "same", "error")}},
        }, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"{_('Before')}: {_label(old, lg)}\n{_('After')}: {_label(new, lg)}")
        for key, title in (("added", _("Rules added")), ("removed", _("Rules removed")), ("changed", _("Rules changed"))):
            if rules_diff[key]:
                typer.echo(f"{title}: " + ", ".join(rules_diff[key]))
        for r in results:
            if r["status"] == "same":
                continue
            typer.echo(f"\n{r['file']}")
            if r["status"] == "error":
                typer.echo(f"  error: {r['error']}")
                continue
            if r["status"] == "reasons":
                typer.echo("  " + _("Same outcome, different reasons."))
            typer.echo("\n".join(render_diff(old.pack, r["diff"], lg, other_pack=new.pack)))
        typer.echo("\n" + _("Summary") + ": " + _(
            "%(n)s cases: %(changed)s with a different outcome, %(reasons)s with different reasons only, "
            "%(same)s unchanged, %(error)s failed") % {"n": len(results), **{k: counts.get(k, 0) for k in
                                                                           ("changed", "reasons", "same", "error")}})
        for (a, b), n in moves.most_common():
            typer.echo(f"  {holding_text(old.pack, 'disposition', a, lg)} → "
                       f"{holding_text(new.pack, 'disposition', b, lg)}: {n}")
    if counts.get("error"):
        raise typer.Exit(1)


def _side(side: PackSide) -> dict:
    return {"rules": side.pack.root, "id": side.pack.id, "version": side.pack.version,
            "digest": side.pack.digest, "as_of": side.as_of}


def _label(side: PackSide, lang: str) -> str:
    text = f"{side.pack.root} ({side.pack.id} {side.pack.version} {side.pack.digest[:19]})"
    return text + (f", {gettext('Law as of', lang)}: {side.as_of}" if side.as_of else "")
