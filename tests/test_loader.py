"""A broken rule pack gives one clear error naming the file, line and what was expected."""
from __future__ import annotations

import shutil

import pytest

from assessor.engine import InputError, load_pack

from .conftest import PACK_DIR


@pytest.fixture()
def copy(tmp_path):
    shutil.copytree(PACK_DIR, tmp_path / "cn", ignore=shutil.ignore_patterns("hypos"))
    return tmp_path / "cn"


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error_of(pack_dir) -> str:
    with pytest.raises(InputError) as info:
        load_pack(pack_dir)
    return str(info.value)


def line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_the_pack_loads(pack):
    assert pack.id == "cn" and len(pack.rules) > 30
    assert pack.authorities["cn.copyright_law.art003"].text.zh.startswith("第三条 本法所称的作品")
    assert "unofficial" in pack.authorities["cn.copyright_law.art003"].text_status
    assert pack.digest.startswith("sha256:")


def test_unknown_key(copy):
    f = copy / "copyright_law" / "art003.yaml"
    edit(f, "    then: is_work\n", "    then: is_work\n    thne: oops\n")
    msg = error_of(copy)
    assert msg.startswith(f"rules/cn/copyright_law/art003.yaml:{line_of(f, 'thne:')}:5:") or \
        f"art003.yaml:{line_of(f, 'thne:')}:5:" in msg
    assert "unknown key 'thne'" in msg and "expected one of: id, about, then" in msg


def test_duplicate_key(copy):
    f = copy / "copyright_law" / "art011.yaml"
    edit(f, "verified: true\n", "verified: true\nverified: false\n")
    msg = error_of(copy)
    assert f"art011.yaml:{line_of(f, 'verified: false')}:1: duplicate key 'verified'" in msg


def test_dangling_reference(copy):
    f = copy / "copyright_law" / "art003.yaml"
    edit(f, "      - {fact: original, quote: 具有独创性}", "      - {fact: orignal, quote: 具有独创性}")
    msg = error_of(copy)
    assert f"art003.yaml:{line_of(f, 'orignal')}:" in msg
    assert "unknown fact 'orignal'" in msg and "original" in msg


def test_bad_date(copy):
    f = copy / "copyright_law" / "art052.yaml"
    edit(f, "  from: 2021-06-01", "  from: 2021-13-01")
    msg = error_of(copy)
    assert f"art052.yaml:{line_of(f, '2021-13-01')}:9: effective.from" in msg and "YYYY-MM-DD" in msg


def test_missing_translation(copy):
    f = copy / "copyright_regulations" / "art002.yaml"
    edit(f, "      en: Setting and adjusting the generation parameters, when proven, shows the plaintiff's choices.\n", "")
    msg = error_of(copy)
    assert "art002.yaml:" in msg and "missing the English (en) text" in msg


def test_quote_must_occur_in_the_text(copy):
    f = copy / "copyright_law" / "art003.yaml"
    edit(f, "quote: 能以一定形式表现}", "quote: 能以某种有形形式复制}")
    msg = error_of(copy)
    assert "quote '能以某种有形形式复制' does not occur in the text of cn.copyright_law.art003" in msg


def test_value_outside_the_concepts_vocabulary(copy):
    f = copy / "copyright_law" / "art010_01_12.yaml"
    edit(f, "in: [online_posting]", "in: [online_post]")
    msg = error_of(copy)
    assert "'online_post' is not a value of 'acts.kind'" in msg and "online_posting" in msg


def test_malformed_yaml(copy):
    f = copy / "copyright_law" / "art014.yaml"
    edit(f, "kind: provision", "kind: [provision")
    msg = error_of(copy)
    assert "art014.yaml:" in msg and "invalid YAML" in msg


def test_verified_provision_needs_its_chinese_text(copy):
    f = copy / "copyright_law" / "art005.yaml"
    text = f.read_text(encoding="utf-8")
    start = text.index("  zh: |")
    end = text.index("  en: |")
    f.write_text(text[:start] + "  zh: null\n" + text[end:], encoding="utf-8")
    assert "only when 'verified: false'" in error_of(copy)


def test_holding_must_cite_court_case_and_date(copy):
    f = copy / "cases" / "bjic_2023_li_v_liu.yaml"
    edit(f, "  decided: 2023-11-27\n", "")
    assert "a holding cites its court, case and date" in error_of(copy)


def test_of_that_is_not_a_name(copy):
    # found by the fuzzer: a number where an entity is named crashed the loader
    f = copy / "copyright_law" / "art010.yaml"
    edit(f, "      - {fact: acts.kind, of: act, in: [reproduction, physical_product]}",
         "      - {fact: acts.kind, of: 0, in: [reproduction, physical_product]}")
    msg = error_of(copy)
    assert f"art010.yaml:{line_of(f, 'of: 0')}:" in msg and "'of: 0' names no entity" in msg


def test_unknown_is_no_value_to_test(copy):
    # "unknown" is the answer "don't know": a test listing it would match it as a value, while
    # if_unknown says what it counts as everywhere else (and in the reference evaluator)
    f = copy / "copyright_law" / "art054.yaml"
    edit(f, "in: [none], if_unknown: established,", "in: [none, unknown],")
    msg = error_of(copy)
    assert f"art054.yaml:{line_of(f, 'in: [none, unknown]')}:" in msg
    assert "'unknown' is the answer" in msg and "if_unknown" in msg


def test_a_date_ordered_after_no_date_field(copy):
    f = copy / "case-format.yaml"
    edit(f, "not_before: [acts.on]", "not_before: [acts.of]")
    msg = error_of(copy)
    assert msg == (f"{f}:{line_of(f, '[acts.of]')}:26: not_before: 'acts.of' is not another date field of the "
                   "case format (expected one of: decided_on, subject.created_on, subject.published.on, acts.on)")
    edit(f, "not_before: [acts.of]", "not_before: [acts.kind]")
    assert "'acts.kind' is not another date field" in error_of(copy)
    # only a date is ordered
    edit(f, "title: {type: text}", "title: {type: text, not_before: [decided_on]}")
    msg = error_of(copy)
    assert f"case-format.yaml:{line_of(f, 'title: {type: text, not_before')}:" in msg and "not_before" in msg
