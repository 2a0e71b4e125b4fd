"""Capturing what one thread prints while the other threads print as usual.

`contextlib.redirect_stdout` swaps ``sys.stdout`` for the whole process: two sweep runs in two threads of
one Dask worker would write into each other's buffer. While any thread captures, ``sys.stdout`` and
``sys.stderr`` are routers that send each write to the writing thread's buffer if it has one, else to
the stream they replaced; the last capture to end puts the original streams back.
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class _Router(io.TextIOBase):
    """A text stream writing to the current thread's capture buffer, or to ``fallback``."""

    def __init__(self, fallback: TextIO, index: int) -> None:
        super().__init__()
        self.fallback = fallback
        self.index = index  # 0: stdout, 1: stderr

    def _target(self) -> TextIO:
        buffers = getattr(_local, "buffers", None)
        return buffers[self.index] if buffers is not None else self.fallback

    def write(self, text: str) -> int:
        return self._target().write(text)

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        return self._target().isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.fallback, "encoding", None) or "utf-8"


class _Installation:
    """The routers standing in for ``sys.stdout`` and ``sys.stderr`` while ``users`` blocks capture."""

    def __init__(self) -> None:
        self.users = 0
        self.routers: tuple[TextIO, TextIO] | None = None
        self.originals: tuple[TextIO, TextIO] | None = None


_local = threading.local()
_lock = threading.Lock()
_installation = _Installation()


@contextmanager
def capture_output() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """``(stdout, stderr)`` buffers holding what the calling thread prints inside the block (``print``,
    ``sys.stderr.write``); other threads are not affected. Blocks may nest and run in several threads."""
    buffers = (io.StringIO(), io.StringIO())
    with _lock:
        if _installation.users == 0:
            _installation.originals = (sys.stdout, sys.stderr)
            _installation.routers = (_Router(sys.stdout, 0), _Router(sys.stderr, 1))
            sys.stdout, sys.stderr = _installation.routers
        _installation.users += 1
    outer = getattr(_local, "buffers", None)
    _local.buffers = buffers
    try:
        yield buffers
    finally:
        _local.buffers = outer
        with _lock:
            _installation.users -= 1
            if _installation.users == 0 and _installation.originals is not None:
                if (sys.stdout, sys.stderr) == _installation.routers:  # nobody replaced them meanwhile
                    sys.stdout, sys.stderr = _installation.originals
                _installation.routers = _installation.originals = None
