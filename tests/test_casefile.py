"""Case files: every field and vocabulary checked, with file, line and allowed values."""
from __future__ import annotations

import pytest

from assessor.engine import InputError, parse_case, read_case

from .conftest import HYPOS, hypotheticals


def error_of(pack, text):
    with pytest.raises(InputError) as info:
        parse_case(text, pack, "client.yaml")
    return str(info.value)


def test_every_hypothetical_is_a_valid_case_file(pack):
    for h in hypotheticals():
        read_case(HYPOS / h["file"], pack)


def test_bad_vocabulary_value_names_line_key_and_allowed_values(pack):
    msg = error_of(pack, "format: assessor.case/1\ncreation:\n  ai_generated: true\n  prompt: elaborate\n")
    assert msg.startswith("client.yaml:4:11: creation.prompt: 'elaborate' is not allowed")
    assert "expected one of: none, simple, detailed" in msg


def test_unknown_key(pack):
    msg = error_of(pack, "format: assessor.case/1\nsubject:\n  kind: image\n  colour: red\n")
    assert msg.startswith("client.yaml:4:3: subject.colour: unknown key 'colour'")


def test_malformed_yaml(pack):
    msg = error_of(pack, "format: assessor.case/1\nsubject: {kind: image\n")
    assert msg.startswith("client.yaml:3:") and "invalid YAML" in msg


def test_wrong_format_and_missing_format(pack):
    assert "expected assessor.case/1" in error_of(pack, "format: assessor.case/2\n")
    assert "missing required key 'format'" in error_of(pack, "title: x\n")


def test_list_items_and_ids(pack):
    msg = error_of(pack, "format: assessor.case/1\nevidence:\n  - {id: E1, kind: video_tape}\n")
    assert msg.startswith("client.yaml:3:") and "evidence[0].kind" in msg and "original_generation_record" in msg
    msg = error_of(pack, "format: assessor.case/1\nacts:\n  - {id: A1}\n  - {id: A1}\n")
    assert msg.startswith("client.yaml:4:") and "id 'A1' is used twice" in msg


def test_tri_state_and_dates(pack):
    assert "true, false or unknown" in error_of(pack, "format: assessor.case/1\ncreation: {ai_generated: maybe}\n")
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in error_of(pack, "format: assessor.case/1\ndecided_on: 2025-02-30x\n")


def test_yes_no_and_on_stay_words(pack):
    case = parse_case("format: assessor.case/1\nevidence:\n  - {id: E1, matches_subject: yes}\n"
                      "acts:\n  - {id: A1, on: 2023-10}\n", pack, "c.yaml")
    assert ("evidence.matches_subject", "evidence:E1", "yes") in [(f.concept, f.entity, f.value) for f in case.facts]
    assert case.data["acts"][0]["on"] == "2023-10"


def test_json_case_files_are_read_too(pack, tmp_path):
    f = tmp_path / "c.json"
    f.write_text('{"format": "assessor.case/1", "subject": {"kind": "image"}}', encoding="utf-8")
    assert read_case(f, pack).data["subject"]["kind"] == "image"


def test_missing_file(pack, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_case(tmp_path / "nope.yaml", pack)
