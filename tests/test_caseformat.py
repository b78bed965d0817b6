"""The case format read once (engine.caseformat.CaseFormat): its fields by path, its answer
fields and their entity kinds, the lists that make entities, the kinds with their links and
fixed names, how each kind is named. A small format of its own, and the bundled pack's."""
from __future__ import annotations

import pickle

from assessor.engine.caseformat import CaseFormat
from assessor.engine.dateorder import faults
from assessor.engine.slots import where_of

TEXT = {"type": "text"}
FORMAT = {
    "format": "t.case/1",
    "entities": {"topic": {"names_from": ["claims", "item", "on", "item"]}, "pair": {"cross": ["claim", "topic"]}},
    "root": {"type": "object", "fields": {
        "format": {"type": "const", "value": "t.case/1"},
        "who": {"type": "object", "fields": {"age": {"type": "count", "fact": True, "label": {}}}},
        "notes": {"type": "map", "value": {"type": "object", "fields": {
            "hidden": {"type": "tri", "fact": True, "label": {}}}}},
        "tags": {"type": "list", "item": {"type": "object", "fields": {
            "inner": {"type": "list", "entity": "inner", "item": TEXT}}}},
        "claims": {"type": "list", "entity": "claim", "item": {"type": "object", "fields": {
            "id": {"type": "id"},
            "sure": {"type": "tri", "fact": True, "label": {}},
            "on": {"type": "list", "entity": "proof", "link": "topic",
                   "item": {"type": "enum", "values": ["a", "b"]}}}}},
    }},
}


def test_fields_by_path_list_levels_dropped_and_none_under_a_maps_free_keys():
    fmt = CaseFormat(FORMAT)
    assert list(fmt.fields) == ["format", "who", "who.age", "notes", "tags", "tags.inner", "claims",
                                "claims.id", "claims.sure", "claims.on"]
    assert fmt.fields["claims"]["type"] == "list"          # the list, not its item, at its path
    assert fmt.field("who.age") is fmt.fields["who.age"]
    assert fmt.field("claims.sure") is None                # inside the items of a list...
    assert fmt.field("claims.sure", in_items=True) is fmt.fields["claims.sure"]   # ...unless asked
    assert fmt.field("notes.hidden", in_items=True) is None


def test_answer_fields_with_the_kind_of_entity_they_are_about():
    assert [(name, kind) for name, _node, kind in CaseFormat(FORMAT).answers] == [
        ("who.age", "case"), ("claims.sure", "claim")]


def test_entity_kinds_links_and_fixed_names():
    fmt = CaseFormat(FORMAT)
    assert fmt.kinds == {"case", "topic", "pair", "inner", "claim", "proof"}
    assert fmt.links == {"inner": set(), "claim": set(), "proof": {"claim", "topic"},
                         "topic": set(), "pair": {"claim", "topic"}}
    assert fmt.names("topic") == ("a", "b") and fmt.names("claim") is None


def test_the_lists_the_interview_adds_entities_by():
    # a list inside the items of a list that makes no entities adds none the interview reaches
    assert CaseFormat(FORMAT).sources == {"claim": (("claims", None),), "proof": (("claims.on", "claim"),),
                                          "pair": (("claims", None),)}   # a topic is no list's


def test_how_an_entity_of_each_kind_is_named():
    fmt = CaseFormat(FORMAT)
    assert fmt.shapes == {"inner": ("value", "tags.inner"), "claim": ("id", "claims"),
                          "proof": ("value", "claims.on"), "topic": ("value", "claims.on"), "pair": ("cross",)}
    fields, parts = fmt.naming
    assert fields == {"inner": "tags.inner", "claim": "claims", "topic": "claims.on"}
    assert parts["proof"] == ["claim", "topic"] and parts["pair"] == ["claim", "topic"]


def test_it_is_the_document_too_and_pickles_as_it():
    fmt = CaseFormat(FORMAT)
    assert fmt["format"] == fmt.id == "t.case/1" and fmt.root is FORMAT["root"] and dict(fmt) == FORMAT
    again = pickle.loads(pickle.dumps(fmt))
    assert dict(again) == FORMAT and again.sources == fmt.sources


def test_the_pack_keeps_one_for_the_law_of_every_date(pack):
    fmt = pack.case_format
    assert isinstance(fmt, CaseFormat) and pack.as_of("2020-01-01").case_format is fmt
    assert fmt.shapes["evidence"] == ("id", "evidence") and fmt.shapes["topic"] == ("value", "evidence.proves")
    assert ("evidence.kind", fmt.fields["evidence.kind"], "evidence") in fmt.answers
    assert fmt.sources["act_right"] == (("acts", None), ("claims.rights", None))


def test_the_tree_the_case_file_readers_walk():
    top = CaseFormat(FORMAT).top
    claims = dict(top.fields)["claims"]
    assert [name for name, _ in top.fields] == ["format", "who", "notes", "tags", "claims"]
    assert claims.item is not None and [p.name for _, p in claims.item.fields] == ["claims.id", "claims.sure",
                                                                                   "claims.on"]
    assert dict(claims.item.fields)["sure"].concept == "claims.sure" and dict(claims.item.fields)["sure"].owner == "claim"


def test_the_order_of_dates_with_the_lists_both_fields_sit_in():
    fmt = nested_dates()
    assert list(fmt.dates) == ["decided", "steps.on", "steps.until", "steps.parts.on", "steps.parts.item"]
    assert [(a.name, b.name, shared) for a, b, shared in fmt.date_orders] == [
        ("decided", "steps.on", 0), ("decided", "steps.parts.on", 0), ("steps.until", "steps.on", 1),
        ("steps.parts.on", "steps.on", 1), ("steps.parts.on", "steps.parts.item", 2)]   # a field named item is a field


def test_dates_out_of_order_in_nested_lists_each_item_with_its_own():
    data = {"decided": "2024-06",
            "steps": [{"on": "2024-01", "until": "2023-12-31",
                       "parts": [{"on": "2024-02", "item": "2024-03"}, {"on": "2023"}]},
                      {"on": "2024-07-01", "parts": [{"on": "2024-07", "item": "2024-07-02"}]}]}
    got = [(where_of(f.path), f.day, where_of(f.other), f.day_of_other) for f in faults(data, nested_dates())]
    assert got == [("decided", "2024-06", "steps[1].on", "2024-07-01"),
                   ("decided", "2024-06", "steps[1].parts[0].on", "2024-07"),
                   ("steps[0].until", "2023-12-31", "steps[0].on", "2024-01"),
                   ("steps[0].parts[1].on", "2023", "steps[0].on", "2024-01"),
                   ("steps[0].parts[0].on", "2024-02", "steps[0].parts[0].item", "2024-03")]


def nested_dates() -> CaseFormat:
    day = {"type": "date"}
    return CaseFormat({"format": "t.case/1", "root": {"type": "object", "fields": {
        "decided": {"type": "date", "not_before": ["steps.on", "steps.parts.on"]},
        "steps": {"type": "list", "item": {"type": "object", "fields": {
            "on": day,
            "until": {"type": "day", "not_before": ["steps.on"]},
            "parts": {"type": "list", "item": {"type": "object", "fields": {
                "on": {"type": "date", "not_before": ["steps.on", "steps.parts.item"]},
                "item": day}}}}}},
    }}})
