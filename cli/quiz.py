"""`assessor hypos quiz`: predict each holding of a hypothetical, then see the answer, the
reasons that decide it and the teaching note."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..engine import AssessorError, Consultation, justify, read_case, walk
from .casebook import find_hypothetical, hypotheticals_of, hypos_app, open_pack
from .diffview import rule_line
from .i18n import gettext
from .main import DEFAULT_PACK, Lang, LangOpt, RulesOpt, fail


def _ask(prompt: str, n: int) -> int | None:
    """A choice 1..n; None to skip. Ends the quiz on q or at the end of the input."""
    while True:
        try:
            raw = input(prompt).strip().lower()
        except EOFError:
            raise typer.Exit(0) from None
        if raw in ("q", "quit"):
            raise typer.Exit(0)
        if raw in ("", "s", "?"):
            return None
        if raw.isdigit() and 1 <= int(raw) <= n:
            return int(raw)
        typer.echo(f"  1-{n}, s, q")


def _reasons(pack, c: Consultation, concept: str, lang: str, depth: int = 3) -> list[str]:
    """The rules that decide a holding and those under them, each once, with what they say."""
    out, seen = [], set()
    for node, level in walk(justify(c, concept)):
        d = node.derivation
        if level > depth or node.absent or d is None or d.rule in seen:
            continue
        seen.add(d.rule)
        out.append(f"{'  ' * (level + 2)}- {pack.rule(d.rule).explain.get(lang)} ({rule_line(pack, d.rule, lang)})")
    return out


@hypos_app.command("quiz")
def hypos_quiz(
    name: Annotated[Optional[str], typer.Argument(help="One hypothetical (default: all, in the library's order).")] = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = DEFAULT_PACK,
) -> None:
    """Predict each holding before the reasons are revealed; a score at the end."""
    pack = open_pack(rules)
    lg = lang.value
    _ = lambda m: gettext(m, lg)
    hypos = [find_hypothetical(pack, name)] if name else hypotheticals_of(pack)
    m = pack.manifest["decision"]
    concepts = list(m["holdings"].values()) + [m["disposition"]]
    right = asked = 0
    try:
        for h in hypos:
            case = read_case(h.file, pack)
            with Consultation(pack, case) as c:
                answers = {k: (c.value(k, "case", "undetermined"), _reasons(pack, c, k, lg)) for k in concepts}
            typer.echo(f"\n=== {(h.entry.get('title') or {}).get(lg, h.name)} ({h.name}) ===\n")
            typer.echo(h.file.read_text(encoding="utf-8").rstrip())
            for concept in concepts:
                k = pack.concepts[concept]
                value, derivations = answers[concept]
                options = [v for v in k.values if v in k.says]
                typer.echo(f"\n{k.label.get(lg)}?")
                for i, v in enumerate(options, 1):
                    typer.echo(f"  {i}. {k.says[v].get(lg)}")
                choice = _ask(_("Your prediction (number; s to skip, q to quit): "), len(options))
                asked += choice is not None
                if choice is not None and options[choice - 1] == value:
                    right += 1
                    typer.echo("  " + _("Correct."))
                else:
                    typer.echo("  " + _("The answer") + ": " + (k.says[value].get(lg) if value in k.says else _(str(value))))
                typer.echo("\n".join(derivations))
            note = h.entry.get("teaches") or (h.entry.get("pair") or {}).get("teaches")
            if note:
                typer.echo("\n" + _("Teaching note") + ": " + note[lg])
    except AssessorError as e:
        fail(e)
    finally:
        if asked:
            typer.echo("\n" + _("Score: %(right)s of %(asked)s predictions correct.") % {"right": right, "asked": asked})
