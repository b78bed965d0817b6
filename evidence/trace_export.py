"""`assessor trace export`: a verified (or broken) trace as an evidence item of the case file,
and the creation facts it records, filled in where the case file does not say them yet.

A verified trace is a record made at the time of creation (contemporaneous, timing verified);
a broken one is not (contemporaneous false, timing broken), and its description says where.
"""
from __future__ import annotations

from pathlib import Path

from ..cli.i18n import gettext
from .generation import clip
from .imagematch import compare
from .items import Item, contemporaneous_for, joined, sha256_hex
from .trace import LOG, Summary, Verdict, read_entries, verify


def _matches(folder: Path, summary: Summary, subject: Path | None, lang: str) -> tuple[str, str]:
    if subject is None:
        return "unknown", ""
    data = subject.read_bytes()
    digest = sha256_hex(data)
    if digest in summary.outputs:
        return "yes", gettext("the subject file is one of the recorded outputs", lang)
    best = None
    for e in summary.generations:
        for out in e.get("outputs", []):
            p = folder / out.get("file", "")
            if out.get("file") and p.is_file():
                m = compare(p.read_bytes(), str(p), data, str(subject))
                if best is None or m.distance < best.distance:
                    best = m
    if best is None:
        return "no", gettext("the subject is none of the recorded outputs", lang)
    return best.matches, gettext("closest recorded output at perceptual-hash distance %(d)d/64", lang) % {
        "d": best.distance}


def _after(time: str, data: dict) -> tuple[str, str] | None:
    """(field, date) when the trace began after the case says the subject was made or
    published: then it cannot be the record of how the subject was made."""
    subject = data.get("subject") or {}
    for field, value in (("subject.created_on", subject.get("created_on")),
                         ("subject.published.on", (subject.get("published") or {}).get("on"))):
        if value and time and time[:len(str(value))] > str(value):
            return field, str(value)
    return None


def export(folder: Path, subject: Path | None, lang: str, case: dict | None = None) -> tuple[Item, dict, Verdict]:
    """The trace as one evidence item, the creation facts it records, and the verification;
    `case` (the case file's data) says when the subject was made or published, if known."""
    folder = Path(folder)
    verdict = verify(folder)
    entries = read_entries(folder)
    s = Summary.of([e for e in entries if "unreadable" not in e])
    timing = "verified" if verdict.ok else "broken"
    proves = ["prompt"] if any(e.get("prompt") for e in s.generations) else []
    proves += [p for p, shown in (("iterations", s.iterations > 0), ("parameters_adjusted", s.parameters_adjusted),
                                  ("selected_from_candidates", s.selected_from_candidates)) if shown]
    matches, how = _matches(folder, s, subject, lang)
    first = next((e.get("time", "") for e in s.generations), "")
    last = s.generations[-1].get("time", "") if s.generations else ""
    parts = [gettext("Process trace %(log)s (SHA-256 %(sha)s): %(n)d generations from %(first)s to %(last)s, "
                     "%(outputs)d outputs", lang) % {
        "log": LOG, "sha": sha256_hex((folder / LOG).read_bytes())[:16], "n": len(s.generations),
        "first": first or "?", "last": last or "?", "outputs": len(s.outputs)}]
    if s.parameters_adjusted:
        parts.append(gettext("parameters changed between rounds", lang))
    if s.selected_from_candidates:
        parts.append(gettext("the chosen outputs are marked among the candidates", lang))
    if s.final_prompt:
        parts.append(gettext("final prompt «%(prompt)s»", lang) % {"prompt": clip(s.final_prompt, 160)})
    if verdict.ok:
        checks = [gettext("hash chain verified", lang)] + ([gettext("signatures verified", lang)] if verdict.signed else [])
        parts.append(("，" if lang == "zh" else ", ").join(checks))
        parts += [gettext("entry %(n)d time-stamped at %(time)s by %(tsa)s", lang) % {
            "n": n, "time": st.time, "tsa": st.authority} for n, st in sorted(verdict.stamps.items())]
    else:
        parts.append(gettext("verification failed at entry %(n)d: %(reason)s", lang) % {
            "n": verdict.broken_at, "reason": gettext(verdict.reason, lang) % verdict.reason_args})
    if how:
        parts.append(how)
    contemporaneous = contemporaneous_for(timing)
    late = _after(first, case or {})
    if late:
        contemporaneous = False
        parts.append(gettext("the trace begins after %(field)s (%(date)s): it is not a record of how the subject "
                             "was made", lang) % {"field": late[0], "date": late[1]})
    item = Item("original_generation_record", proves, contemporaneous, matches, joined(parts, lang),
                timing, source=LOG, sha256=sha256_hex((folder / LOG).read_bytes()))
    creation = {"iterations": s.iterations, "parameters_adjusted": s.parameters_adjusted,
                "selected_from_candidates": s.selected_from_candidates}
    if s.final_prompt:
        creation["prompt_text"] = s.final_prompt
    return item, creation, verdict


def fill_creation(data: dict, found: dict) -> list[str]:
    """Put the creation facts the trace records into the case where it is silent or says
    'unknown'; never overwrite what the case file states. Returns the fields filled."""
    creation = data.setdefault("creation", {})
    filled = []
    for key, value in found.items():
        if creation.get(key) in (None, "unknown", ""):
            creation[key] = value
            filled.append(f"creation.{key}")
    return filled
