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


# -- dates in the order the case format declares (not_before) ------------------------------

def dated(*lines: str) -> str:
    return "format: assessor.case/1\n" + "".join(line + "\n" for line in lines)


def test_an_act_that_ends_before_it_begins_is_refused_at_its_last_day(pack):
    msg = error_of(pack, dated("acts:", "  - id: A1", "    on: 2021-06-10", "    until: 2021-06-01"))
    assert msg == ("client.yaml:5:12: acts[0].until: 2021-06-01 is before acts[0].on (2021-06-10) "
                   "(expected a date not before acts[0].on, 2021-06-10)")


def test_each_item_is_compared_with_itself(pack):
    # A2 ends before A1 begins, which is no fault; A3 ends before it begins
    text = dated("acts:", "  - {id: A1, on: 2022-05}", "  - {id: A2, on: 2021-01, until: 2021-03}",
                 "  - {id: A3, on: 2023-02-01, until: 2023-01-31}")
    assert error_of(pack, text).startswith("client.yaml:5:37: acts[2].until: 2023-01-31 is before acts[2].on (2023-02-01)")


def test_a_decision_before_an_act_is_refused_at_whichever_is_written_later(pack):
    # the decision date first: the act's date contradicts it
    msg = error_of(pack, dated("decided_on: 2020-05-01", "acts:", "  - {id: A1, on: 2020-04}",
                               "  - {id: A2, on: 2020-03, until: 2020-06-30}"))
    assert msg == ("client.yaml:5:34: acts[1].until: 2020-06-30 is after decided_on (2020-05-01) "
                   "(expected a date not after decided_on, 2020-05-01)")
    # the decision date last: it contradicts the act's
    msg = error_of(pack, dated("acts:", "  - {id: A1, on: 2021}", "decided_on: 2020-12-31"))
    assert msg == ("client.yaml:4:13: decided_on: 2020-12-31 is before acts[0].on (2021) "
                   "(expected a date not before acts[0].on, 2021)")


def test_a_decision_before_the_subject_was_made_or_published_is_refused(pack):
    msg = error_of(pack, dated("decided_on: 2023", "subject:", "  created_on: 2024-01-05"))
    assert msg.startswith("client.yaml:4:15: subject.created_on: 2024-01-05 is after decided_on (2023)")
    msg = error_of(pack, dated("decided_on: 2023-06-30", "subject:", "  published: {on: 2023-07-01}"))
    assert msg.startswith("client.yaml:4:19: subject.published.on: 2023-07-01 is after decided_on (2023-06-30)")


def test_a_subject_published_before_it_was_made_is_refused(pack):
    msg = error_of(pack, dated("subject:", "  created_on: 2023-05-02", "  published:", "    on: 2023-05-01"))
    assert msg == ("client.yaml:5:9: subject.published.on: 2023-05-01 is before subject.created_on (2023-05-02) "
                   "(expected a date not before subject.created_on, 2023-05-02)")


def test_dates_that_may_be_in_order_missing_dates_and_acts_before_the_subject_are_read(pack):
    # a year or a month is every day in it: the same day may be meant
    parse_case(dated("decided_on: 2023-05", "subject: {created_on: 2023, published: {on: 2023-05-31}}",
                     "acts:", "  - {id: A1, on: 2023-05-31, until: 2023-05}"), pack, "c.yaml")
    # no date to compare: nothing is checked (the decision date defaults to today)
    parse_case(dated("subject: {published: {on: 2001}}", "acts:", "  - {id: A1, until: 1999}"), pack, "c.yaml")
    # an act may come before the subject was made or published (a defendant's prior or
    # independent work): not ordered
    parse_case(dated("decided_on: 2024-01-01", "subject: {created_on: 2023-06, published: {on: 2023-07}}",
                     "acts:", "  - {id: A1, kind: online_posting, on: 2022-01-01}"), pack, "c.yaml")
