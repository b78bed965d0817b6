"""The engine knows no law: no name, string or key in engine/'s code (its Python modules and
its schemas) says copyright, a remedy or a party of the PRC pack. Comments and docstrings
may use such words as examples; code may not. A pack declares them (pack.yaml), the engine
reads the declaration."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "engine"
# the vocabulary of the CN pack: its remedies, its holdings, its parties, its subject
LAW_WORDS = re.compile(r"apology|cease|damages|court_fee|rights_infringed|plaintiff|defendant|copyright|infring",
                       re.IGNORECASE)


# names and strings; from Python 3.12 an f-string's text is a token of its own
_CODE = {tokenize.NAME, tokenize.STRING} | ({tokenize.FSTRING_MIDDLE} if hasattr(tokenize, "FSTRING_MIDDLE") else set())


def _docstring_lines(source: str) -> set[int]:
    """The lines of the module's, classes' and functions' docstrings."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return lines


def law_in_python(source: str) -> list[tuple[int, str]]:
    """(line, token) of every name or string of code (not a comment, not a docstring) that
    uses the pack's vocabulary."""
    if not LAW_WORDS.search(source):
        return []  # most modules: nothing to look at closely
    docs = _docstring_lines(source)
    hits = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in _CODE and tok.start[0] not in docs \
                and LAW_WORDS.search(tok.string):
            hits.append((tok.start[0], tok.string))
    return hits


def law_in_yaml(text: str) -> list[tuple[int, str]]:
    """(line, text) of every line of a schema that uses the vocabulary outside a comment."""
    return [(i, line) for i, line in enumerate(text.splitlines(), 1)
            if LAW_WORDS.search(line.split("#", 1)[0])]


def test_the_checker_finds_law_in_code_and_allows_it_in_comments_and_docstrings():
    source = '''"""A module about a court_fee (an example)."""
x = 1  # the damages, as an example
def f(record):
    """Reads the plaintiff's claim (an example)."""
    return record["court_fee"], record.get(f"{record}_apology")
rights_infringed = []
'''
    hits = law_in_python(source)
    assert [line for line, _s in hits] == [5, 5, 6], hits
    assert hits[0][1] == '"court_fee"' and "_apology" in hits[1][1] and hits[2][1] == "rights_infringed"
    assert law_in_yaml("on: {type: enum, values: [plaintiff, defendant]}  # x\nfee: {}  # court_fee\n") == \
        [(1, "on: {type: enum, values: [plaintiff, defendant]}  # x")]


def test_no_law_in_the_engines_code():
    found = [f"engine/{p.name}:{line}: {text}" for p in sorted(ENGINE.glob("*.py"))
             for line, text in law_in_python(p.read_text(encoding="utf-8"))]
    found += [f"engine/{p.name}:{line}: {text}" for p in sorted(ENGINE.glob("*.yaml"))
              for line, text in law_in_yaml(p.read_text(encoding="utf-8"))]
    assert not found, "the engine names the law of a pack (declare it in pack.yaml):\n" + "\n".join(found)


# Chinese legal typography: the numbering of articles, paragraphs and items (第三条, 第一款, 第（二）项,
# （一）) and a version named in a cite; the pack declares it (pack.yaml opinion.citation)
TYPOGRAPHY = re.compile(r"[条款项]|（\[|（[零一二三四五六七八九十]")


def typography_in_python(source: str) -> list[tuple[int, str]]:
    """(line, token) of every name or string of code (not a comment, not a docstring) that
    writes citation typography."""
    if not TYPOGRAPHY.search(source):
        return []
    docs = _docstring_lines(source)
    return [(tok.start[0], tok.string) for tok in tokenize.generate_tokens(io.StringIO(source).readline)
            if tok.type in _CODE and tok.start[0] not in docs and TYPOGRAPHY.search(tok.string)]


def test_no_citation_typography_in_the_engines_code():
    found = [f"engine/{p.name}:{line}: {text}" for p in sorted(ENGINE.glob("*.py"))
             for line, text in typography_in_python(p.read_text(encoding="utf-8"))]
    assert not found, "the engine writes a pack's citation typography (declare it in pack.yaml):\n" + "\n".join(found)
