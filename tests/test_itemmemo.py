"""A case file read again item by item (engine/itemmemo.py: the interview's planner keeps each
list item's validation, entities, answers and slots while the item's text is the same) is
read exactly as from nothing: the same entities, answers and law dates, the same errors."""
from __future__ import annotations

import pytest

from assessor.engine import InputError, parse_case, read_case
from assessor.engine.casefile import CaseMemo, build_case
from assessor.engine.itemmemo import same_texts
from assessor.engine.yamlsrc import Located

from .conftest import HYPOS, hypotheticals, sampled
from .replica import many_acts


def _read(pack, data, memo=None):
    with same_texts():
        case = build_case(Located(data, {}, "<memo>"), pack, memo)
    return case.entities, case.facts, case.law, case.answered


@pytest.mark.parametrize("name", sampled([h["file"] for h in hypotheticals()]))
def test_each_hypothetical_is_read_alike_with_the_memo(pack, name):
    data = read_case(HYPOS / name, pack).data
    memo = CaseMemo()
    assert _read(pack, data, memo) == _read(pack, data)
    assert _read(pack, data, memo) == _read(pack, data)  # every item from the memo


def test_an_item_changed_removed_or_retyped_is_read_again(pack):
    text = (HYPOS / "li-v-liu.yaml").read_text(encoding="utf-8")
    data = parse_case(many_acts(text, 6), pack, "acts.yaml").data
    memo = CaseMemo()
    _read(pack, data, memo)
    data["acts"][3]["stopped"] = True
    del data["acts"][1]  # the later acts move up a place
    assert _read(pack, data, memo) == _read(pack, data)
    data["acts"][2]["id"] = data["acts"][0]["id"]
    with pytest.raises(InputError, match="used twice"):
        _read(pack, data, memo)
    data["acts"][2]["id"] = "A99"
    assert _read(pack, data, memo) == _read(pack, data)
    # the same value of another type is another text: 1 is not true, and not valid here
    data["acts"][2]["commercial"] = 1
    with pytest.raises(InputError, match="commercial"):
        _read(pack, data, memo)
