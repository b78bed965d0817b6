"""Limits a user can understand: each oversized or pathological input file is refused with
its own message, at its line and column, before it can take minutes or all the memory."""
from __future__ import annotations

import pytest

from assessor.engine import InputError, read_case
from assessor.engine.yamlsrc import MAX_ALIASES, MAX_DEPTH, MAX_FILE_BYTES, MAX_LIST, load_yaml

HEAD = "format: assessor.case/1\n"


def _refused(tmp_path, pack, content: str | bytes, *said: str) -> str:
    path = tmp_path / "case.yaml"
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    with pytest.raises(InputError) as e:
        read_case(path, pack)
    for s in said:
        assert s in str(e.value), str(e.value)
    return str(e.value)


def test_billion_laughs_is_refused(tmp_path, pack):
    text = HEAD + "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        text += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n"
    _refused(tmp_path, pack, text, "once its YAML aliases are expanded", "case.yaml:7:5")


def test_too_many_aliases_are_refused(tmp_path, pack):
    text = HEAD + "a: &a x\nl: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    _refused(tmp_path, pack, text, f"more than {MAX_ALIASES} uses of YAML aliases", "case.yaml:3:")


def test_deep_nesting_is_refused(tmp_path, pack):
    _refused(tmp_path, pack, HEAD + "title: " + "[" * 500 + "]" * 500 + "\n",
             f"nested more than {MAX_DEPTH} levels deep", "case.yaml:2:")


def test_a_long_list_is_refused(tmp_path, pack):
    text = HEAD + "acts:\n" + "".join(f"  - id: A{i}\n" for i in range(MAX_LIST + 1))
    _refused(tmp_path, pack, text, f"a list of {MAX_LIST + 1:,} items", "case.yaml:3:3")


def test_a_big_file_is_refused(tmp_path, pack):
    _refused(tmp_path, pack, HEAD + "title: " + "x" * MAX_FILE_BYTES + "\n", "bytes; at most")


def test_bytes_that_are_not_utf8_are_refused_at_their_place(tmp_path, pack):
    _refused(tmp_path, pack, HEAD.encode() + b"title: ab\xff\n", "case.yaml:2:10: not UTF-8")


def test_a_byte_order_mark_is_read_past(tmp_path, pack):
    path = tmp_path / "case.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + HEAD.encode())
    assert read_case(path, pack).data["format"] == "assessor.case/1"


def test_a_directory_is_not_a_case_file(tmp_path, pack):
    (tmp_path / "case.yaml").mkdir()
    with pytest.raises(InputError) as e:
        load_yaml(tmp_path / "case.yaml")
    assert "is a directory" in str(e.value)


def test_the_aliases_of_the_case_format_itself_are_within_the_limits(pack):
    assert pack.case_format["root"]["fields"]["parties"]["fields"]["defendant"]["type"] == "object"


@pytest.mark.parametrize("text", [
    "a: &a [*a]\n",                                            # an alias inside its own anchor
    "a: &a {k: *a}\n",
    "".join(f"a{i}: &a{i} " + "[" * 60 + (f"*a{i - 1}" if i else "x") + "]" * 60 + "\n" for i in range(20)),
])
def test_nesting_made_by_aliases_is_refused(tmp_path, pack, text):
    _refused(tmp_path, pack, HEAD + text, "levels deep")


def test_nesting_past_the_parsers_own_limit_is_one_error(tmp_path, pack):
    message = _refused(tmp_path, pack, HEAD + "title: " + "[" * 100_000 + "]" * 100_000 + "\n", "case.yaml:")
    assert "nest" in message
