"""`rules check` rejects a broken rule pack with one error at file:line:col: the closed
schemas of pack.yaml and case-format.yaml, and what a schema cannot say (blank quotes,
provisions never in force, days not in the calendar, burdens waiting for fields that do not
exist, decision maps naming nothing)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessor.cli.main import app
from assessor.engine import InputError, load_pack

from .conftest import PACK_DIR


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pack") / "cn"
    shutil.copytree(PACK_DIR, root, ignore=shutil.ignore_patterns("hypos"))
    return root


@pytest.fixture
def pack_dir(pristine, tmp_path) -> Path:
    root = tmp_path / "cn"
    shutil.copytree(pristine, root)
    return root


def _edit(root: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _rejected(root: Path, name: str, *said: str) -> str:
    with pytest.raises(InputError) as e:
        load_pack(root)
    message = str(e.value)
    assert re.match(rf"^{re.escape(str(root / name))}:\d+:\d+: ", message), message
    for s in said:
        assert s in message, message
    return message


# --------------------------------------------------------------------------- rule files

def test_a_blank_quote_is_rejected(pack_dir):
    _edit(pack_dir, "copyright_law/art003.yaml", "{fact: original, quote: 具有独创性}", "{fact: original, quote: '  '}")
    _rejected(pack_dir, "copyright_law/art003.yaml", "quote: is blank")


def test_a_value_with_a_line_break_is_reported_on_one_line(pack_dir):
    # found by the slow fuzz run: a replaced value holding a newline split the error in two
    _edit(pack_dir, "evidence_provisions/art094.yaml", "{fact: evidence.kind, of: evidence,",
          '{fact: evidence.kind, of: "evi\\ndence",')
    message = _rejected(pack_dir, "evidence_provisions/art094.yaml", "names no entity", "evi\\ndence")
    assert "\n" not in message


def test_an_empty_rule_quote_is_rejected(pack_dir):
    _edit(pack_dir, "copyright_law/art014.yaml", "quote: 反驳对方诉讼请求所依据的事实", 'quote: ""')
    _rejected(pack_dir, "copyright_law/art014.yaml", "quote: is blank")


def test_a_provision_in_force_until_before_it_starts_is_rejected(pack_dir):
    _edit(pack_dir, "cpl_interpretation/art091.yaml", "  until: null", "  until: 2010-01-01")
    message = _rejected(pack_dir, "cpl_interpretation/art091.yaml", "never be in force")
    assert ":14:" in message


def test_a_day_not_in_the_calendar_is_rejected(pack_dir):
    _edit(pack_dir, "copyright_law/art003.yaml", "  from: 2021-06-01", "  from: 2021-02-30")
    _rejected(pack_dir, "copyright_law/art003.yaml", "'2021-02-30' is not a day of the calendar")


def test_a_burden_waiting_for_a_misspelled_field_is_rejected(pack_dir):
    _edit(pack_dir, "copyright_law/art014.yaml", "after: [evidence]", "after: [evidense]")
    _rejected(pack_dir, "copyright_law/art014.yaml", "'after: evidense' is not a field of the case format",
              "evidence")


# --------------------------------------------------------------------------- case-format.yaml

@pytest.mark.parametrize("old, new, said", [
    ("        registered: {type: tri, fact: true,", "        registered: {type: trinary, fact: true,",
     "'trinary' is not allowed"),
    ("        ai_tool: {type: text}", "        ai_tool: {type: text, requird: true}", "unknown key 'requird'"),
    ("        ai_tool: {type: text}", "        ai_tool: {typ: text}", "missing required key 'type'"),
    ("        ai_tool: {type: text}", "        ai_tool: {type: enum, values: []}", "at least 1 needed"),
    ("        ai_tool: {type: text}", "        ai_tool: {type: text, item: {type: text}}", "unknown key 'item'"),
    ("        ai_tool: {type: text}", "        ai_tool: {type: text, fact: true}", "needs a label"),
    ("        ai_tool: {type: text}", "        ai_tool: {type: text, entity: tool}", "only a list makes entities"),
    ("  topic: {names_from: [evidence, item, proves, item]}", "  topic: {names_from: [evidence, proves]}",
     "names_from does not lead to a field of choices"),
    ("  act_right: {cross: [act, right]}", "  act_right: {cross: [act, rite]}", "'rite', which is not an entity kind"),
    ("  act_right: {cross: [act, right]}", "  act_right: {cross: [act]}", "at least 2 needed"),
    ("            link: topic", "            link: topik", "'topik', which is not an entity kind"),
    ("format: assessor.case/1\n", "format: [assessor.case/1]\n", "must be text"),
])
def test_a_broken_case_format_is_rejected(pack_dir, old, new, said):
    _edit(pack_dir, "case-format.yaml", old, new)
    _rejected(pack_dir, "case-format.yaml", said)


def test_a_case_format_that_is_not_a_mapping_is_rejected(pack_dir):
    (pack_dir / "case-format.yaml").write_text("- root\n", encoding="utf-8")
    _rejected(pack_dir, "case-format.yaml", "must be a mapping")


# --------------------------------------------------------------------------- pack.yaml

# the first eight in the fast run, every one in the slow run (each loads the whole pack)
@pytest.mark.parametrize("old, new, said", [
    ("    is_work: is_work\n", "    is_work: is_a_work\n", "'is_a_work' is not a concept concluded by the rules"),
    ("  disposition: disposition\n", "  disposition: disposal\n", "'disposal' is not a concept"),
    ("  disposition: disposition\n", "  disposition: disposition\n  dispositon: x\n", "unknown key 'dispositon'"),
    ("  notes: [no_excuse,", "  notes: [no_excuses,", "'no_excuses' is not a concept"),
    ("  rights_infringed: {kind: right,", "  rights_infringed: {kind: rights,", "'rights' is not an entity kind"),
    ("      prompt: creation.prompt\n", "      prompt: creation.promt\n", "'creation.promt' is not a case-file field"),
    ("      source: cn.copyright_law.art054", "      source: cn.copyright_law.art540",
     "'cn.copyright_law.art540' is not a provision"),
    ("[200000, 0.02]", "[20000, 0.02]", "amounts increasing"),
    pytest.param("[200000, 0.02]", "[200000, 2]", "a rate between 0 and 1", marks=pytest.mark.slow),
    pytest.param("[100000, 0.025]", "[null, 0.025]", "only the last open", marks=pytest.mark.slow),
    pytest.param("        modest: {low: 500, high: 5000}", "        modest: {low: 5000, high: 500}", "low must be an amount", marks=pytest.mark.slow),
    pytest.param("      on: [claims.damages_claimed, claims.costs_claimed, claims.punitive_claimed]", "      on: []",
                 "at least 1 needed", marks=pytest.mark.slow),
    # a fee's sum tied to a claim: a field the fee is on (not the first), a list of the case and its value
    pytest.param("        claims.punitive_claimed: {in:", "        claims.damages_claimed: {in:",
                 "'claims.damages_claimed' is not a field the fee is on, after the first", marks=pytest.mark.slow),
    pytest.param("{in: claims.remedies, has: punitive_damages}", "{in: claims.remedy, has: punitive_damages}",
                 "'claims.remedy' is not a case-file field", marks=pytest.mark.slow),
    pytest.param("{in: claims.remedies, has: punitive_damages}", "{in: claims.remedies, has: punitive}",
                 "'punitive' is not a value of the list claims.remedies", marks=pytest.mark.slow),
    pytest.param("  holdings:\n", "  holding:\n", "unknown key 'holding'", marks=pytest.mark.slow),
    # remedies are declared by form: an unknown form, a form's missing key, a bearer who is no party
    pytest.param("    cease: {form: order,", "    cease: {form: injunction,", "'injunction' is not allowed", marks=pytest.mark.slow),
    pytest.param("      form: amount\n", "      form: fee\n", "damages.fact: unknown key 'fact' (expected one of: form, label, on,", marks=pytest.mark.slow),
    pytest.param("upheld: defendant,", "upheld: respondent,", "'respondent' is not a party (or 'shared')", marks=pytest.mark.slow),
    pytest.param("        modest: {low: 500, high: 5000}", "        modest: {low: unknown, high: 5000}", "low must be an amount", marks=pytest.mark.slow),
    pytest.param("    rights_infringed: {kind: right,", "    infringement: {kind: right,", "'infringement' is already a holding", marks=pytest.mark.slow),
    pytest.param("    holdings: {infringes: infringes}", "    holdings: {infringes: infringe}", "'infringe' is not a concept", marks=pytest.mark.slow),
    pytest.param("lists: {rights: {kind: act_right,", "lists: {rights: {kind: act_rite,", "'act_rite' is not an entity kind", marks=pytest.mark.slow),
    pytest.param("parties: [plaintiff, defendant]", "parties: []", "at least 1 needed", marks=pytest.mark.slow),
])
def test_a_broken_decision_map_is_rejected(pack_dir, old, new, said):
    _edit(pack_dir, "pack.yaml", old, new)
    _rejected(pack_dir, "pack.yaml", said)


def test_a_burden_on_a_party_the_pack_does_not_declare_is_rejected(pack_dir):
    _edit(pack_dir, "copyright_law/art014.yaml", "    on: defendant", "    on: respondent")
    _rejected(pack_dir, "copyright_law/art014.yaml", "'respondent' is not a party declared in pack.yaml",
              "one of: plaintiff, defendant")


def test_a_factor_favouring_an_undeclared_party_is_rejected(pack_dir):
    _edit(pack_dir, "cases/changshu_2024_banxin.yaml", "{id: iterations, favours: plaintiff,",
          "{id: iterations, favours: claimant,")
    _rejected(pack_dir, "cases/changshu_2024_banxin.yaml", "'claimant' is not a party declared in pack.yaml")


def test_rules_check_prints_one_error_line_and_exits_1(pack_dir):
    _edit(pack_dir, "copyright_law/art014.yaml", "after: [evidence]", "after: [evidense]")
    result = CliRunner().invoke(app, ["rules", "check", str(pack_dir)])
    assert result.exit_code == 1
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "art014.yaml:" in lines[0] and "evidense" in lines[0], result.output
    assert "Traceback" not in result.output


def test_a_quote_written_as_a_number_is_read_as_words(pack_dir):
    """Found by the fuzzer: a quote YAML reads as a number crashed the quote check."""
    _edit(pack_dir, "copyright_law/art003.yaml", "{fact: original, quote: 具有独创性}", "{fact: original, quote: 0}")
    _rejected(pack_dir, "copyright_law/art003.yaml", "quote '0' does not occur")
