"""Reading and writing users' files safely: bounded reads of regular files only, atomic writes.

Every file a user hands minidl or the app (CSV points, session files, config and settings files) is read
through `read_bounded`, which refuses a FIFO, a device (``/dev/zero``), a directory or a file larger than
the caller's cap *before* reading anything, so a bad path costs neither time nor memory. Every file the
app saves goes through `atomic_write`: the old file stays whole until the new one is complete.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

PathLike = str | os.PathLike
LEFTOVER_AGE = 60.0
"""Seconds after which a temporary file of `atomic_write` counts as left by a killed save."""

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileRefusedError(ValueError):
    """A path that is not a regular file, or a file over the size cap; the message names the path and why."""


def describe_size(size: int) -> str:
    """``1536`` → ``"1.5 KB"``, ``64 * 2**20`` → ``"64 MB"`` (binary units, as file managers show)."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def read_bounded(path: PathLike, max_bytes: int, what: str = "file") -> bytes:
    """The bytes of regular file ``path``, at most ``max_bytes`` of them.

    Raises `FileRefusedError` for anything that is not a regular file (checked before opening: opening a
    FIFO would block until a writer comes) or holds more than ``max_bytes`` (checked before reading, and
    again while reading, for files that grow or lie about their size); `OSError` when it cannot be read.
    ``what`` names the expected content in messages ("CSV points file").
    """
    check_regular_file(path, max_bytes, what)
    # O_NONBLOCK: should the path become a FIFO between stat and open, open returns at once.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(file.fileno())
        kind = _special_kind(status.st_mode)
        if kind is not None:
            raise FileRefusedError(f"{path} is {kind}, not a {what}: choose a regular file")
        if status.st_size > max_bytes:
            raise FileRefusedError(_too_large(path, what, max_bytes, status.st_size))
        raw = file.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise FileRefusedError(_too_large(path, what, max_bytes))
    return raw


def check_regular_file(path: PathLike, max_bytes: int, what: str = "file") -> None:
    """Raise `FileRefusedError` unless ``path`` is a regular file of at most ``max_bytes`` (by its size now),
    without opening it; `OSError` (``FileNotFoundError``...) when it cannot be looked at."""
    status = os.stat(path)
    kind = _special_kind(status.st_mode)
    if kind is not None:
        raise FileRefusedError(f"{path} is {kind}, not a {what}: choose a regular file")
    if status.st_size > max_bytes:
        raise FileRefusedError(_too_large(path, what, max_bytes, status.st_size))


def _special_kind(mode: int) -> str | None:
    return next((kind for test, kind in _KINDS if test(mode)), None if stat.S_ISREG(mode) else "not a regular file")


def _too_large(path: PathLike, what: str, max_bytes: int, size: int | None = None) -> str:
    found = f" ({describe_size(size)})" if size is not None else ""
    return f"{path} is too large for a {what}{found}: the limit is {describe_size(max_bytes)}"


def atomic_write(path: PathLike, write: Callable[[TextIO], None]) -> None:
    """Create or replace text file ``path`` all at once: ``write(file)`` fills a temporary file.

    The temporary file (``.NAME.XXXXXXXX.tmp``) sits beside the target; it is flushed, fsync'ed, given
    the target's permissions (a new file gets the usual ``0o666 & ~umask``), then renamed over the
    target (`os.replace` is atomic). A symbolic link is written through: its target is replaced and
    the link stays. On any error the temporary file is removed and the target is as it was; temporary
    files left by a save that was killed are removed by the next save of the same file (a minute later).
    """
    target = Path(os.path.realpath(path))
    _remove_leftovers(target)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    mode = _existing_mode(target)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _existing_mode(target: Path) -> int | None:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return None


def _remove_leftovers(target: Path) -> None:
    """Remove ``.NAME.XXXXXXXX.tmp`` files that an interrupted `atomic_write` of ``target`` left behind: those
    untouched for `LEFTOVER_AGE` seconds (a younger one may be another process's save in progress)."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.[0-9a-f]{{8}}\.tmp")
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    now = time.time()
    for name in filter(pattern.fullmatch, names):
        leftover = target.parent / name
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > LEFTOVER_AGE:
                leftover.unlink()
