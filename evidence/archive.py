"""Account exports arrive as zip files: open one member without trusting the archive's sizes.

A zip bomb declares small sizes or packs huge ratios; we refuse archives whose declared total
is too large, and read members in chunks, stopping at the limit whatever the header says.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from .items import EvidenceError

MAX_MEMBER = 256 * 1024 * 1024
MAX_TOTAL = 1024 * 1024 * 1024
MAX_RATIO = 200          # deflate rarely beats 100:1 on real JSON; bombs are in the thousands


def read_member(path: Path, names: tuple[str, ...]) -> tuple[str, bytes]:
    """The first member whose base name is in `names`, decompressed with limits."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_TOTAL:
                raise EvidenceError(path, f"the archive unpacks to {total:,} bytes, more than {MAX_TOTAL:,}")
            for info in infos:
                if Path(info.filename).name not in names:
                    continue
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                    raise EvidenceError(path, f"{info.filename} expands {info.file_size // info.compress_size}:1 "
                                              f"(a zip bomb?); refused")
                return info.filename, _read_capped(zf, info, path)
    except zipfile.BadZipFile as exc:
        raise EvidenceError(path, f"not a readable zip archive ({exc})") from None
    raise EvidenceError(path, "the archive holds none of " + ", ".join(names))


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> bytes:
    out = bytearray()
    with zf.open(info) as f:
        while chunk := f.read(1 << 20):
            out += chunk
            if len(out) > min(MAX_MEMBER, max(info.file_size, 1)) or \
                    (info.compress_size and len(out) > info.compress_size * MAX_RATIO):
                raise EvidenceError(path, f"{info.filename} unpacks to more than it declares (a zip bomb?); refused")
    return bytes(out)
