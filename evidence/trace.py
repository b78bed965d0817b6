"""The process trace: a hash-chained log of a creator's generation session (过程留痕).

``DIR/trace.jsonl`` holds one JSON entry a line. Each entry records its time, what was done
(prompt, parameters, the SHA-256 of every output file, which outputs were chosen, a note) and
the hash of the entry before it; its own ``hash`` is the SHA-256 of its canonical JSON without
``hash`` and ``sig``. Editing, inserting or deleting an entry breaks the chain at that point,
which :func:`verify` names. Optionally each entry hash is signed (Ed25519, the public key in the
first entry), and for each entry an RFC 3161 time-stamp request is written to
``DIR/timestamps/NNNN.tsq``; an authority's answer saved as ``NNNN.tsr`` is checked too.

What the chain cannot show alone: that the last entries were not removed, or that the whole
log was not rewritten later. A signature with a key kept elsewhere, and time stamps, do.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import signing, timestamp
from .items import EvidenceError, sha256_hex

LOG = "trace.jsonl"
KEY = "trace-key.pem"
STAMPS = "timestamps"
GENESIS = "0" * 64
VERSION = "assessor.trace/1"


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_hash(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k not in ("hash", "sig")}
    return sha256_hex(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


def _append(log: Path, entry: dict) -> None:
    with open(log, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())


def read_entries(folder: Path) -> list[dict]:
    log = Path(folder) / LOG
    if not log.is_file():
        raise EvidenceError(folder, "no process trace here", f"a folder made by 'assessor trace init' (with {LOG})")
    entries = []
    for n, line in enumerate(log.read_text(encoding="utf-8").splitlines(), 1):
        try:
            entry = json.loads(line)
        except ValueError:
            entry = {"unreadable": line, "line": n}
        entries.append(entry if isinstance(entry, dict) else {"unreadable": line, "line": n})
    return entries


def _last_entry(folder: Path) -> dict:
    """The last entry, read from the end of the log (adding stays fast on long traces)."""
    log = Path(folder) / LOG
    if not log.is_file():
        return read_entries(folder)[-1]   # raises the usual error
    with open(log, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - 65536))
        tail = f.read().decode("utf-8", "replace").rstrip("\n").rsplit("\n", 1)[-1]
    try:
        entry = json.loads(tail)
    except ValueError:
        entry = {}
    if not isinstance(entry, dict) or not isinstance(entry.get("seq"), int):
        return read_entries(folder)[-1]   # an odd or very long last line: read the whole log
    return entry


def init(folder: Path, sign: bool = False, key: Path | None = None) -> dict:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / LOG).exists():
        raise EvidenceError(folder / LOG, "a trace already exists here")
    entry = {"seq": 0, "kind": "init", "time": now(), "format": VERSION, "prev": GENESIS}
    if sign:
        entry["public_key"] = signing.new_key(key or folder / KEY)
    return _seal(folder, entry, key)


def _seal(folder: Path, entry: dict, key: Path | None) -> dict:
    entry["hash"] = entry_hash(entry)
    key_path = key or folder / KEY
    if key_path.exists():
        entry["sig"] = signing.sign(signing.load_key(key_path), entry["hash"].encode())
    _append(folder / LOG, entry)
    stamps = folder / STAMPS
    stamps.mkdir(exist_ok=True)
    (stamps / f"{entry['seq']:04d}.tsq").write_bytes(timestamp.request(bytes.fromhex(entry["hash"])))
    return entry


def output_record(folder: Path, path: Path) -> dict:
    """An output file as an entry records it: its name (relative to the trace if inside) and SHA-256."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EvidenceError(path, f"cannot read the output file: {exc.strerror or exc}") from None
    try:
        name = str(path.resolve().relative_to(Path(folder).resolve()))
    except ValueError:
        name = str(path.resolve())
    return {"file": name, "sha256": sha256_hex(data)}


def add(folder: Path, prompt: str = "", params: dict | None = None, outputs: list[Path] = (),
        selected: list[Path] = (), note: str = "", key: Path | None = None, time: str | None = None) -> dict:
    folder = Path(folder)
    last = _last_entry(folder)
    if "hash" not in last:
        raise EvidenceError(folder / LOG, "the last entry is unreadable; run 'assessor trace verify'")
    outs = [output_record(folder, p) for p in outputs]
    chosen = [output_record(folder, p)["sha256"] for p in selected]
    for digest in chosen:
        if digest not in {o["sha256"] for o in outs}:
            outs.append({"sha256": digest})
    entry = {"seq": int(last["seq"]) + 1, "kind": "generation" if (prompt or outs) else "note",
             "time": time or now(), "prev": last["hash"]}
    if prompt:
        entry["prompt"] = prompt
    if params:
        entry["params"] = params
    if outs:
        entry["outputs"] = outs
    if chosen:
        entry["selected"] = chosen
    if note:
        entry["note"] = note
    return _seal(folder, entry, key)


@dataclass
class Verdict:
    entries: int
    broken_at: int | None = None        # seq (or line index) of the first broken entry
    reason: str = ""                    # a message id (English), with reason_args
    reason_args: dict = field(default_factory=dict)
    signed: bool = False
    stamps: dict[int, timestamp.Stamp] = field(default_factory=dict)
    missing_outputs: list[str] = field(default_factory=list)   # recorded files no longer there

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(folder: Path) -> Verdict:
    """Check the chain, the signatures and any time-stamp answers; name the first broken entry."""
    folder = Path(folder)
    entries = read_entries(folder)
    v = Verdict(len(entries))
    public = entries[0].get("public_key") if entries else None
    v.signed = bool(public)
    prev = GENESIS
    for i, e in enumerate(entries):
        problem = _problem(e, i, prev, public)
        if problem:
            v.broken_at, (v.reason, v.reason_args) = i, problem
            return v
        prev = e["hash"]
        for out in e.get("outputs", []):
            if "file" in out:
                p = Path(out["file"]) if os.path.isabs(out["file"]) else folder / out["file"]
                if not p.is_file():
                    v.missing_outputs.append(out["file"])
                elif sha256_hex(p.read_bytes()) != out["sha256"]:
                    v.broken_at, v.reason = i, N_("output %(file)s was changed after it was recorded")
                    v.reason_args = {"file": out["file"]}
                    return v
        tsr = folder / STAMPS / f"{i:04d}.tsr"
        if tsr.is_file():
            try:
                stamp = timestamp.verify((folder / STAMPS / f"{i:04d}.tsq").read_bytes(), tsr.read_bytes())
            except (OSError, timestamp.TimestampError) as exc:
                v.broken_at, v.reason = i, N_("time stamp %(file)s does not verify: %(error)s")
                v.reason_args = {"file": tsr.name, "error": str(exc)}
                return v
            v.stamps[i] = stamp
    return v


def N_(message: str) -> str:
    """Mark a message for the catalogs; it is translated where it is shown."""
    return message


def _problem(e: dict, i: int, prev: str, public: str | None) -> tuple[str, dict] | None:
    if "unreadable" in e:
        return N_("line %(line)d is not a JSON entry"), {"line": e["line"]}
    if e.get("seq") != i:
        return N_("it says it is entry %(seq)s (an entry was inserted or removed)"), {"seq": e.get("seq")}
    if e.get("prev") != prev:
        return N_("it does not follow the entry before it (an entry was inserted, removed or edited)"), {}
    if entry_hash(e) != e.get("hash"):
        return N_("its content does not match its hash (the entry was edited)"), {}
    if public and not signing.verify(public, e.get("sig", ""), e["hash"].encode()):
        return N_("its signature does not verify"), {}
    return None


@dataclass
class Summary:
    """What a trace shows about the process, read off its generation entries."""

    generations: list[dict]
    iterations: int
    parameters_adjusted: bool
    selected_from_candidates: bool
    final_prompt: str
    outputs: set[str]

    @classmethod
    def of(cls, entries: list[dict]) -> "Summary":
        gens = [e for e in entries if e.get("kind") == "generation"]
        params = [json.dumps(e.get("params", {}), sort_keys=True) for e in gens if e.get("params")]
        outputs = {o["sha256"] for e in gens for o in e.get("outputs", [])}
        chose = [e for e in gens if e.get("selected")]
        final = (chose[-1] if chose else gens[-1] if gens else {}).get("prompt", "")
        return cls(gens, max(len(gens) - 1, 0), len(set(params)) > 1, bool(chose) and len(outputs) > 1,
                   final, outputs)
