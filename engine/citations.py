"""Citations in the opinion: how a provision or holding is cited (《A》第三条), which
holdings may be cited on the decision date, the whole sentence of a provision a rule quotes,
the 依照 clause's provisions grouped and ordered (laws, regulations, judicial
interpretations), and what a reasoning paragraph shows of its rule. Data only, no wording.
"""
from __future__ import annotations

import re

from .model import Burden, RulePack, Text

def nest_quotes(s: str) -> str:
    """《A《B》》 -> 《A〈B〉》: title marks nested inside title marks become single ones."""
    out, depth = [], 0
    for ch in s:
        if ch == "《":
            out.append("《" if depth == 0 else "〈")
            depth += 1
        elif ch == "》":
            depth = max(0, depth - 1)
            out.append("》" if depth == 0 else "〉")
        else:
            out.append(ch)
    return "".join(out)


def cite(pack: RulePack, aid: str, short: bool = False) -> Text:
    a = pack.authorities[aid]
    return Text(nest_quotes(a.citation("zh", short)), a.citation("en", short))


def rule_info(pack: RulePack, rid: str, day: str | None = None) -> dict:
    """What a reasoning paragraph shows of one rule. With `day` (the decision date), only
    holdings decided before it are cited; a rule from a later holding (or from the case
    itself) is stated as the court's own reasoning, without a citation."""
    src = pack.rule(rid)
    if src is None:
        raise KeyError(f"no rule or burden '{rid}' in the pack")
    ids = [src.source] + [x for x in src.cites if x != src.source]
    citable = [i for i in ids if day is None or is_citable(pack, i, day)]
    a = pack.authorities[src.source]
    kind = a.kind if src.source in citable else "own"
    return {
        "id": rid, "source": src.source, "kind": kind, "explain": src.explain,
        # the quoted words, when they are the source's own (a rule may quote a provision it cites)
        "quote": src.quote if src.quote and src.quote in a.text.zh else "",
        # the whole sentence of the provision that holds the quoted words, when it is one
        "sentence": whole_sentence(a.text.zh, src.quote, typography(pack))
        if a.kind == "provision" and src.quote else "",
        # the whole paragraph that holds them, with the items its lead-in (…：) introduces
        "paragraph": whole_paragraph(a.text.zh, src.quote, typography(pack))
        if a.kind == "provision" and src.quote else "",
        "citation": cite(pack, src.source),
        "guiding": a.kind == "holding" and a.source.get("authority") == "guiding",
        "court": Text(**a.source["court"]) if isinstance(a.source.get("court"), dict) else None,
        "decided": holding_date(a) if a.kind == "holding" else None,
        "also": [cite(pack, i) for i in citable if i != src.source],
        "provisions": [cite(pack, i) for i in citable if pack.authorities[i].kind == "provision"],
        "holdings": [cite(pack, i) for i in citable if pack.authorities[i].kind == "holding"],
        "cites": citable,
        "open_textured": bool(getattr(src, "open_textured", False)),
        "burden": isinstance(src, Burden),  # a burden of proof, not a rule
        "under": None,   # the provisions a burden about an item is stated under (judgment_model)
    }


def noted(pack: RulePack, aid: str) -> dict:
    """A holding noted in support of a provision's rule: its court, citation and date."""
    a = pack.authorities[aid]
    return {"court": Text(**a.source["court"]) if isinstance(a.source.get("court"), dict) else None,
            "citation": cite(pack, aid), "decided": holding_date(a)}


def holding_date(a) -> str | None:
    d = a.source.get("decided") or a.source.get("published")
    return str(d) if d else None


def is_citable(pack: RulePack, aid: str, day: str) -> bool:
    """A provision always; a holding only if decided (or, lacking that date, published)
    before the decision date: never a later case, and never the case being decided."""
    a = pack.authorities[aid]
    if a.kind != "holding":
        return True
    d = holding_date(a)
    if not d:
        return False
    last = d + {1: "-12-31", 2: "-31"}.get(len(d.split("-")), "")   # a month or year: its last day
    return last < str(day)


def typography(pack: RulePack) -> dict:
    """How the pack's provisions are written and cited (pack.yaml opinion.citation): the
    numbering of articles and items, what ends a sentence, how a cite names a version and an
    item. A legal tradition's conventions, which the pack declares and the engine does not
    know; where it declares none, texts and cites are taken as they are."""
    return (pack.manifest.get("opinion") or {}).get("citation") or {}


def _strip(t: dict, key: str, s: str) -> str:
    """`s` without what the typography's pattern `key` matches (a number opening it, say)."""
    return re.sub(t[key], "", s) if t.get(key) else s


def whole_sentence(text: str, quote: str, t: dict) -> str:
    """The sentence of `text` that contains `quote`, if it is a complete one (ends with one of
    the typography's sentence_ends, not a lead-in before a list); otherwise "". A sentence runs
    between its sentence_breaks (and line breaks), without the article's or item's number."""
    i = text.find(quote)
    if i < 0 or not t.get("sentence_ends"):
        return ""
    breaks = t.get("sentence_breaks", "") + "\n"
    start = max(text.rfind(ch, 0, i) for ch in breaks) + 1
    ends = [j for j in (text.find(ch, i + len(quote)) for ch in breaks) if j >= 0]
    if not ends:
        return ""
    end = min(ends)
    if text[end] not in t["sentence_ends"]:
        return ""
    return _strip(t, "item_number", _strip(t, "article_number", text[start:end].strip()))


def whole_paragraph(text: str, quote: str, t: dict) -> str:
    """The paragraph (line) of `text` that contains `quote`, without the article's number; a
    paragraph ending in one of the typography's lead_in_ends runs on through the items it
    introduces (lines opening with an item_number)."""
    lines = (text or "").splitlines()
    at = next((i for i, line in enumerate(lines) if quote in line), None)
    if at is None:
        return ""
    out = [_strip(t, "article_number", lines[at].strip())]
    if t.get("lead_in_ends") and t.get("item_number") and out[0].endswith(tuple(t["lead_in_ends"])):
        for line in lines[at + 1:]:
            if not re.match(t["item_number"], line.strip()):
                break
            out.append(line.strip())
    return "".join(out).rstrip(t.get("full_stop", ""))   # the quotation marks close before the full stop


def basis_of(pack: RulePack, ids: list[str]) -> Text:
    """Provisions grouped by instrument: 《A》第三条、第十一条，《B》第九十条."""
    t = typography(pack)
    version_re: str = t.get("version_in_cite") or ""

    def version(cite: str) -> str:
        m = re.match(version_re, cite) if version_re else None
        return m.group() if m else ""

    groups: dict[str, list] = {}
    for aid in ids:
        a = pack.authorities[aid]
        key = a.source.get("instrument", {}).get("zh", aid) if isinstance(a.source.get("instrument"), dict) else aid
        # a version named in the cite, （2010年修正）第三条, is an instrument of its own: acts of two
        # periods cite both versions, each named once
        cite_zh = a.source.get("cite", {}).get("zh", "") if isinstance(a.source.get("cite"), dict) else ""
        groups.setdefault(key + version(cite_zh), []).append(a)
    zh, en = [], []
    for members in groups.values():
        first = members[0]
        if "instrument" in first.source and "cite" in first.source:
            cites = [m.source["cite"]["zh"] for m in members]
            # the version is said once for the instrument, with its first article
            said = version(cites[0])
            if said:
                cites = cites[:1] + [x[len(said):] if x.startswith(said) else x for x in cites[1:]]
            # items of the same paragraph: 第十条第一款第（二）项、第（十二）项
            item_re: str = t.get("item_in_cite") or ""
            paragraph_re: str = t.get("paragraph_in_cite") or ""
            for k in range(len(cites) - 1, 0, -1) if item_re and paragraph_re else ():
                here, before = re.match(item_re, cites[k]), re.match(paragraph_re, cites[k - 1])
                if here and before and _strip(t, "version_in_cite", before.group(1)) == here.group(1):
                    cites[k] = here.group(2)
            zh.append(nest_quotes(f"《{first.source['instrument']['zh']}》") + "、".join(cites))
            en.append(f"{first.source['instrument']['en']}, " + _articles_en([m.source["cite"]["en"] for m in members]))
        else:
            zh += [nest_quotes(m.citation("zh")) for m in members]
            en += [m.citation("en") for m in members]
    return Text("，".join(zh), "; ".join(en))


def _articles_en(cites: list[str]) -> str:
    """Several articles of one instrument, as English cites them: Arts. 13 and 29."""
    if len(cites) < 2 or not all(c.startswith("Art. ") for c in cites):
        return ", ".join(cites)
    numbers = [c[len("Art. "):] for c in cites]
    # a version named after each article, Art. 3 (2010), is said once, as the Chinese does
    version = re.search(r" \(\d{4}\)$", numbers[0])
    if version and all(n.endswith(version.group()) for n in numbers):
        numbers = [n[:-len(version.group())] for n in numbers]
    return "Arts. " + ", ".join(numbers[:-1]) + " and " + numbers[-1] + (version.group() if version else "")


def ordered(pack: RulePack, judgment: dict, ids: list[str]) -> list[str]:
    """Provision ids without repeats, in the order of the 依照 clause: instruments in the
    pack's order (laws, regulations, judicial interpretations), articles in article order."""
    order = list(judgment.get("basis_order", ()))

    def key(aid):
        inst = pack.authorities[aid].source.get("instrument")
        name = inst.get("zh") if isinstance(inst, dict) else aid
        return (order.index(name) if name in order else len(order), name, aid)   # ids are zero-padded

    return sorted(dict.fromkeys(ids), key=key)


def authority_info(pack: RulePack, aid: str) -> dict:
    a = pack.authorities[aid]
    return {"id": aid, "kind": a.kind, "citation": cite(pack, aid), "title": a.title, "text": a.text,
            "text_status": a.text_status or "", "verified": a.verified,
            "court": Text(**a.source["court"]) if isinstance(a.source.get("court"), dict) else None,
            "decided": holding_date(a) if a.kind == "holding" else None}


def fee_basis(pack: RulePack, judgment: dict, source: str | None, day: str | None) -> Text | None:
    """The provisions the court-fee sentence cites: the pack's list (the fee, who bears it) in
    force on the decision date, or else the record's fee source alone."""
    ids = [i for i in judgment.get("fee_basis") or [source] if i in pack.authorities
           and (day is None or pack.authorities[i].in_force(day))]
    return basis_of(pack, ids) if ids else None
