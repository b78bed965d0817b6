"""Writing an output file (an opinion, a report) safely.

:func:`check_output` says, before any work is done, why a path cannot take the output (a
directory, a missing or non-directory parent, a place we may not write, the input itself);
:func:`write_atomic` (and :func:`replacing`, for an output written bit by bit) writes to a
temporary file beside the target and renames it over the target, so that a failed write (a
full disk, a quota, an interrupted run) leaves the previous file, or none, never a partial one. Both raise :class:`InputError` with one line saying what is wrong.
"""
from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from .errors import InputError, Span


def check_output(path: Path | str, inputs: tuple = ()) -> None:
    """Refuse an output path that cannot be written, or that is one of `inputs`."""
    path = Path(path)
    where = Span(str(path))
    if path.is_dir():
        raise InputError("is a directory", where, "a file name for the output")
    parent = path.parent
    if not parent.exists():
        raise InputError(f"the directory {parent} does not exist", where, "a path in an existing directory")
    if not parent.is_dir():
        raise InputError(f"{parent} is not a directory", where, "a path in an existing directory")
    for other in inputs:
        if path.exists() and Path(other).exists() and os.path.samefile(path, other):
            raise InputError(f"is the input file {other}: writing there would destroy it", where,
                             "another file name for the output")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"cannot write in {parent}: permission denied", where, "a directory you may write in")
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError("the file is read-only", where, "a file you may write")


def user_cache(name: str) -> Path:
    """The user's cache folder `name` ($XDG_CACHE_HOME/assessor/NAME, ~/.cache by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "assessor" / name


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write `data` (text is written as UTF-8) to `path` through a temporary file."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with replacing(path, binary=True) as f:
        f.write(payload)


@contextmanager
def replacing(path: Path | str, binary: bool = False, inputs: tuple | list = ()) -> Iterator[IO]:
    """A new file to write (or stream) an output into, that takes the place of `path` only
    when the block ends without an exception: a run that fails or is interrupted part way
    (a full disk, Ctrl-C, a worker that dies) leaves the previous file, or none. Text is
    written as UTF-8, lines as given. `inputs`: files the output must not replace."""
    path = Path(path)
    check_output(path, tuple(inputs))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise InputError(f"cannot write in {path.parent}: {e.strerror}", Span(str(path))) from None
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except OSError as e:
        _remove(tmp)
        full = e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
        reason = "the disk is full (or the file too large for it)" if full else e.strerror
        raise InputError(f"cannot write the file: {reason}; nothing was written", Span(str(path))) from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
