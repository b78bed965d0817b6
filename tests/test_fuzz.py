"""Fuzzing: mutated case files and rule packs end in a decision or in one error that names the
file, line and column, within a time bound, never in a traceback or a hang.

Three generators, each derandomized (the same inputs every run): byte-level mutations of
the real case files (the hypotheticals) and rule files; case files built from the case
format with wrong types, unknown keys and values, huge and negative numbers, odd dates,
long strings, deep nesting and aliases; and rule files with one value replaced. The fast
run tries a few dozen of each; ``pytest -m slow`` tries thousands. Each input that once
broke Assessor is kept in REGRESSIONS below.
"""
from __future__ import annotations

import calendar
import itertools
import re
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
import yaml  # a second YAML writer: fuzz input in styles the engine's own writer never uses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from assessor.cli.main import app
from assessor.engine import AssessorError, Consultation, InputError, load_pack, load_yaml, parse_case, read_case
from assessor.engine.casebook import run_example
from assessor.engine.decision import build_record
from assessor.engine.lint import lint_pack
from assessor.engine.judgment_model import build_model
from assessor.engine.opinion import pack_templates, render_model

from .conftest import HYPOS, PACK_DIR, bundled_pack

PACK = bundled_pack()
CASES = sorted(p for p in HYPOS.glob("*.yaml") if p.name != "index.yaml")
TOY = Path(__file__).resolve().parent / "packs" / "toy"
SECONDS = 10          # time bound of one input (reading, deciding, drafting the opinion model)

FAST = settings(derandomize=True, max_examples=40, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
SLOW = settings(derandomize=True, max_examples=1500, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

#: byte strings that mean something to YAML, to the case format or to a parser
TOKENS = [b"&a ", b"*a", b"- ", b": ", b"{", b"}", b"[", b"]", b"\n", b"  ", b"\t", b"'", b'"', b"#", b"? ",
          b"|", b">", b"---\n", b"...\n", b"%YAML 1.1\n", b"!!python/object/apply:os.system ['true']",
          b"!!binary ", b"<<: *a\n", b"\xff", b"\x00", b"\xef\xbb\xbf", b"\xe4\xb8", b"1e999", b"-1",
          b"99999999999999999999999", b"0x10", b"2023-02-30", b"0000-00-00", b"null", b"~", b"true",
          b"unknown", b"yes", b"id: ", b"acts:\n  - ", b"evidence:\n  - id: E1\n    proves: [", b"x" * 5000]

_counter = itertools.count()


def _mutate(data: bytes, ops: list) -> bytes:
    for op, a, b, token in ops:
        n = len(data)
        i, j = (a % (n + 1), b % (n + 1)) if n else (0, 0)
        if op == "flip" and n:
            data = data[:i % n] + bytes([b % 256]) + data[i % n + 1:]
        elif op == "delete":
            data = data[:min(i, j)] + data[max(i, j):]
        elif op == "insert":
            data = data[:i] + token + data[i:]
        elif op == "duplicate":
            lo, hi = min(i, j), max(i, j)
            data = data[:hi] + data[lo:hi][:20000] + data[hi:]
    return data


MUTATIONS = st.lists(st.tuples(st.sampled_from(["flip", "delete", "insert", "insert", "duplicate"]),
                               st.integers(0, 1 << 16), st.integers(0, 1 << 16), st.sampled_from(TOKENS)),
                     min_size=1, max_size=6)


def _decides_or_one_clear_error(path: Path, pack=PACK) -> None:
    """Read and decide `path` (and draft its opinion): a result, or an AssessorError
    that names the file with a line and column; anything else fails, and so does slowness."""
    start = time.monotonic()
    try:
        case = read_case(path, pack)
        with Consultation(pack, case) as c:
            build_record(pack, case, c)
            model = build_model(pack, case, c)
        render_model(model, lang="zh+en", fmt="md", pack_dir=pack_templates(pack))
    except AssessorError as e:
        message = str(e)
        assert message.startswith(str(path)), message
        assert e.span is not None and (e.span.line >= 1 or "bytes; at most" in message), message
        assert "\n" not in message.strip(), message
    assert time.monotonic() - start < SECONDS, f"{path} took {time.monotonic() - start:.1f} s"


def _case_file(tmp: Path, data: bytes) -> Path:
    path = tmp / f"case{next(_counter)}.yaml"
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- case files: bytes

def _bytes_of_cases(tmp_path_factory, base, ops):
    tmp = tmp_path_factory.mktemp("fuzz", numbered=True) if not hasattr(_bytes_of_cases, "tmp") else _bytes_of_cases.tmp
    _bytes_of_cases.tmp = tmp
    path = _case_file(tmp, _mutate(base.read_bytes(), ops))
    try:
        _decides_or_one_clear_error(path)
    finally:
        path.unlink()


@FAST
@given(base=st.sampled_from(CASES), ops=MUTATIONS)
def test_mutated_case_files(tmp_path_factory, base, ops):
    _bytes_of_cases(tmp_path_factory, base, ops)


@pytest.mark.slow
@SLOW
@given(base=st.sampled_from(CASES), ops=MUTATIONS)
def test_mutated_case_files_long_run(tmp_path_factory, base, ops):
    _bytes_of_cases(tmp_path_factory, base, ops)


# --------------------------------------------------------------------------- case files: structure

ODD = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", " ", "unknown", "2023-02-30", "2023-13-01", "0001-01-01", "9999-12-31", "2023",
                     "2023-10", "99999", "-5", "A1", "E1", "x" * 100_000, "\u202e", "\x00", "*", "🙂"]),
    st.text(max_size=30), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _valid(node: dict, draw, depth: int):
    kind = node["type"]
    if kind == "object":
        out = {}
        for name, sub in node.get("fields", {}).items():
            if sub.get("required") or draw(st.booleans()):
                out[name] = _value(sub, draw, depth + 1)
        return out
    if kind == "list":
        return [_value(node["item"], draw, depth + 1) for _ in range(draw(st.integers(0, 3)))]
    if kind == "enum":
        return draw(st.sampled_from(node["values"]))
    if kind == "const":
        return node["value"]
    if kind in ("tri", "bool"):
        return draw(st.sampled_from([True, False] + (["unknown"] if kind == "tri" else [])))
    if kind in ("count", "amount", "int"):
        return draw(st.one_of(st.integers(0, 10**7), st.just("unknown") if kind != "int" else st.integers(0, 5)))
    if kind in ("date", "day"):
        return draw(st.sampled_from(["2020", "2023-10", "2024-02-29", "2019-06-30", "2025-06-30", "1990-01-01"]))
    if kind == "id":
        return draw(st.sampled_from(["A1", "A2", "E1", "E2", "x"]))
    return draw(st.text(max_size=20))


def _value(node: dict, draw, depth: int):
    """A value for `node`: usually one it allows, sometimes an odd one, an unknown key, or a
    deeply nested structure."""
    roll = draw(st.integers(0, 99))
    if roll < 8 or depth > 6:
        return draw(ODD)
    if roll < 10:
        return draw(st.recursive(st.integers(), lambda c: st.lists(c, max_size=2), max_leaves=30))
    value = _valid(node, draw, depth)
    if isinstance(value, dict) and roll < 14:
        value[draw(st.sampled_from(["typo", "Prompt", "id", "kind", "format", 7]))] = draw(ODD)
    return value


@st.composite
def case_documents(draw):
    doc = _valid(PACK.case_format["root"], draw, 0)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=draw(st.booleans()),
                          default_flow_style=draw(st.sampled_from([False, None]))).encode("utf-8")


def _structured(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("fuzz", numbered=True)
    path = _case_file(tmp, data)
    _decides_or_one_clear_error(path)


@FAST
@given(data=case_documents())
def test_generated_case_files(tmp_path_factory, data):
    _structured(tmp_path_factory, data)


@pytest.mark.slow
@SLOW
@given(data=case_documents())
def test_generated_case_files_long_run(tmp_path_factory, data):
    _structured(tmp_path_factory, data)


# --------------------------------------------------------------------------- case files: the order of dates

#: dates near one another, whole and in part, so that pairs often overlap or touch
NEAR_DATES = ["2021", "2022", "2021-12", "2022-01", "2022-02", "2021-12-31", "2022-01-01", "2022-01-31",
              "2022-02-01", "2022-02-28"]


def _days_of(text: str) -> tuple[date, date]:
    """Every day a date written in part means: its first and its last (the test's own reading)."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(*parts), date(*parts)
    year, month = parts[0], parts[1] if len(parts) == 2 else None
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _before(a: str, b: str) -> bool:
    """`a` is certainly before `b`: its last day before b's first."""
    return _days_of(a)[1] < _days_of(b)[0]


@st.composite
def dated_cases(draw):
    maybe = lambda: draw(st.sampled_from([None, *NEAR_DATES]))  # noqa: E731 (a date not given, now and then)
    acts = []
    for i in range(draw(st.integers(0, 3))):
        act = {"id": f"A{i + 1}", "on": maybe(), "until": maybe()}
        acts.append({k: v for k, v in act.items() if v is not None})
    return {"format": "assessor.case/1", "decided_on": maybe(),
            "subject": {"created_on": maybe(), "published": {"on": maybe()}}, "acts": acts,
            "last": draw(st.booleans())}   # the decision date written last


def _text(doc: dict) -> str:
    """The case file, without the dates not given (and the decision date first or last)."""
    data = {"format": doc["format"], "decided_on": doc["decided_on"],
            "subject": {k: v for k, v in (("created_on", doc["subject"]["created_on"]),
                                          ("published", {"on": doc["subject"]["published"]["on"]})) if v},
            "acts": doc["acts"]}
    if data["subject"].get("published") == {"on": None}:
        del data["subject"]["published"]
    if doc["last"]:
        data["decided_on"] = data.pop("decided_on")
    return yaml.safe_dump({k: v for k, v in data.items() if v is not None}, sort_keys=False)


def _out_of_order(doc: dict) -> list[tuple[str, str]]:
    """The pairs (later, earlier) of dates in the wrong order, as the CN case format orders them."""
    subject = doc["subject"]
    created, published, decided = subject["created_on"], subject["published"]["on"], doc["decided_on"]
    pairs = [(published, created), (decided, created), (decided, published)]
    for act in doc["acts"]:
        pairs += [(act.get("until"), act.get("on")), (decided, act.get("on")), (decided, act.get("until"))]
    return [(a, b) for a, b in pairs if a is not None and b is not None and _before(a, b)]


@FAST
@given(doc=dated_cases())
def test_dates_are_refused_exactly_when_two_are_out_of_order_naming_them(doc):
    wrong = _out_of_order(doc)
    try:
        parse_case(_text(doc), PACK, "dated.yaml")
    except InputError as e:
        said = re.match(r"dated\.yaml:\d+:\d+: \S+: (\S+) is (before|after) \S+ \((\S+)\)", str(e))
        assert said, str(e)
        one, other = said.group(1), said.group(3)
        assert ((one, other) if said.group(2) == "before" else (other, one)) in wrong, (str(e), wrong)
        return
    assert not wrong, wrong


# --------------------------------------------------------------------------- rule packs

def _pack_loads_or_one_clear_error(root: Path) -> None:
    start = time.monotonic()
    try:
        pack = load_pack(root)
    except AssessorError as e:
        message = str(e)
        assert message.startswith(str(root)), message
        assert "\n" not in message.strip(), message
    else:
        # what `rules check` and `rules test` do with a pack that loads
        try:
            list(lint_pack(pack))
            for example in pack.examples[:4]:
                run_example(pack, example)
        except AssessorError as e:
            assert "\n" not in str(e).strip(), str(e)
    assert time.monotonic() - start < SECONDS, f"{root} took {time.monotonic() - start:.1f} s"


def _mutated_pack(tmp_path_factory, source: Path, which: int, ops) -> Path:
    root = tmp_path_factory.mktemp("pack", numbered=True) / source.name
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("hypos"))
    files = sorted(root.rglob("*.yaml"))
    target = files[which % len(files)]
    target.write_bytes(_mutate(target.read_bytes(), ops))
    return root


@FAST
@given(which=st.integers(0, 100), ops=MUTATIONS)
def test_mutated_rule_packs(tmp_path_factory, which, ops):
    root = _mutated_pack(tmp_path_factory, TOY, which, ops)
    _pack_loads_or_one_clear_error(root)
    shutil.rmtree(root.parent)


@pytest.mark.slow
@settings(SLOW, max_examples=300)
@given(which=st.integers(0, 1000), ops=MUTATIONS)
def test_mutated_rule_packs_long_run(tmp_path_factory, which, ops):
    root = _mutated_pack(tmp_path_factory, PACK_DIR, which, ops)
    _pack_loads_or_one_clear_error(root)
    shutil.rmtree(root.parent)


def _replace_one_value(doc, path, value):
    node = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return doc


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, path + (i,))


def _one_value_replaced(tmp_path_factory, source: Path, which: int, pick: int, value) -> None:
    root = tmp_path_factory.mktemp("pack", numbered=True) / source.name
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("hypos"))
    files = sorted(root.rglob("*.yaml"))
    target = files[which % len(files)]
    doc = load_yaml(target).data
    paths = [p for p in _paths(doc) if p]
    if paths:
        _replace_one_value(doc, paths[pick % len(paths)], value)
        target.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    _pack_loads_or_one_clear_error(root)
    shutil.rmtree(root.parent)


@FAST
@given(which=st.integers(0, 100), pick=st.integers(0, 10**6), value=ODD)
def test_rule_packs_with_one_value_replaced(tmp_path_factory, which, pick, value):
    _one_value_replaced(tmp_path_factory, TOY, which, pick, value)


@pytest.mark.slow
@settings(SLOW, max_examples=200)
@given(which=st.integers(0, 1000), pick=st.integers(0, 10**6), value=ODD)
def test_rule_packs_with_one_value_replaced_long_run(tmp_path_factory, which, pick, value):
    _one_value_replaced(tmp_path_factory, PACK_DIR, which, pick, value)


# --------------------------------------------------------------------------- what the fuzzers found

REGRESSIONS = {
    # a control character: PyYAML's reader error had a position but no line (no place named)
    "control-character": b"\x00format: assessor.case/1\n",
    "control-character-late": b"format: assessor.case/1\ntitle: a\x07b\n",
    # a defence without its kind: the opinion's template read x.kind (a template error)
    "defence-without-kind": b"format: assessor.case/1\nclaims: {}\ndefenses:\n- {}\n",
    # an opinion of a case with nothing in it
    "only-the-format": b"format: assessor.case/1\n",
    "empty-file": b"",
    "a-list": b"- format\n",
    "bom-then-garbage": b"\xef\xbb\xbf\xef\xbb\xbf: [",
    # a huge amount: the inference engine could not take the fact, the opinion not format it
    "huge-amount": b"format: assessor.case/1\nclaims:\n  damages_claimed: 2.0e+27\n",
    "huge-amount-not-round": b"format: assessor.case/1\nclaims:\n  damages_claimed: 2.0000000000000003e+27\n",
    "huge-count": b"format: assessor.case/1\ncreation:\n  iterations: 100000000000000000000000\n",
}


def test_an_amount_above_the_limit_is_one_error_line_naming_it(tmp_path):
    path = _case_file(tmp_path, REGRESSIONS["huge-amount"])
    result = CliRunner().invoke(app, ["decide", str(path)])
    assert result.exit_code == 1
    assert result.output == (f"error: {path}:3:20: claims.damages_claimed: 2e+27 is too large (an amount is at "
                             "most 1,000,000,000,000) (expected an amount in yuan (a number) or unknown)\n")


def test_dates_out_of_order_are_one_error_line_for_decide_and_opinion(tmp_path):
    path = _case_file(tmp_path, b"format: assessor.case/1\nacts:\n  - {id: A1, on: 2022-03, until: 2022-02-28}\n")
    for command in ("decide", "opinion"):
        result = CliRunner().invoke(app, [command, str(path)])
        assert result.exit_code == 1
        assert result.output == (f"error: {path}:3:34: acts[0].until: 2022-02-28 is before acts[0].on (2022-03) "
                                 "(expected a date not before acts[0].on, 2022-03)\n")


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_what_the_fuzzers_found(tmp_path, name):
    _decides_or_one_clear_error(_case_file(tmp_path, REGRESSIONS[name]))


def test_a_control_character_is_reported_at_its_line_and_column(tmp_path):
    path = _case_file(tmp_path, REGRESSIONS["control-character-late"])
    with pytest.raises(AssessorError) as e:
        read_case(path, PACK)
    assert str(e.value).startswith(f"{path}:2:9: invalid YAML: the character U+0007 is not allowed")


# --------------------------------------------------------------------------- the command line

def _cli_decides_or_fails_in_one_line(path: Path) -> None:
    result = CliRunner().invoke(app, ["decide", str(path)])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 1:
        lines = [x for x in result.output.splitlines() if x.strip()]
        assert len(lines) == 1 and lines[0].startswith(f"error: {path}"), result.output


@settings(FAST, max_examples=6)
@given(base=st.sampled_from(CASES), ops=MUTATIONS)
def test_decide_on_mutated_case_files_exits_0_or_1_with_one_line(tmp_path_factory, base, ops):
    tmp = tmp_path_factory.mktemp("cli", numbered=True)
    _cli_decides_or_fails_in_one_line(_case_file(tmp, _mutate(base.read_bytes(), ops)))


@pytest.mark.slow
@settings(SLOW, max_examples=200)
@given(data=case_documents())
def test_decide_on_generated_case_files_long_run(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("cli", numbered=True)
    _cli_decides_or_fails_in_one_line(_case_file(tmp, data))
