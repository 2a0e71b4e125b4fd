"""A plain-text progress bar on stderr, so stdout stays clean for tables and JSON."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from minidl.formatting import duration


class ProgressBar:
    """``[##########..........]  50%  300/600  eta 41.0 s  note`` on one line of ``stream``.

    On a terminal the line is redrawn in place (at most every ``min_interval`` seconds); on a pipe or
    file one line is written per tenth of the way, so logs stay short. ``enabled=False`` draws nothing.
    Used as a context manager, it is closed on the way out, also by an exception.
    """

    def __init__(
        self,
        total: int,
        *,
        stream: TextIO | None = None,
        enabled: bool = True,
        width: int = 30,
        min_interval: float = 0.1,
    ) -> None:
        self.total = max(total, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.width = width
        self.min_interval = min_interval
        self.interactive = self.stream.isatty()
        self._start = time.monotonic()
        self._last_draw = -float("inf")
        self._last_tenth = -1
        self._drawn = False

    def line(self, done: int, note: str = "") -> str:
        """The bar's text after ``done`` of ``total`` units."""
        fraction = min(max(done / self.total, 0.0), 1.0)
        filled = round(fraction * self.width)
        elapsed = time.monotonic() - self._start
        eta = f"eta {duration(elapsed / fraction - elapsed)}" if 0 < fraction < 1 else duration(elapsed)
        bar = "#" * filled + "." * (self.width - filled)
        return f"[{bar}] {fraction:4.0%}  {done}/{self.total}  {eta}  {note}".rstrip()

    def update(self, done: int, note: str = "") -> None:
        """Show progress ``done`` (out of ``total``) with an optional ``note`` (e.g. the current run)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if self.interactive:
            if now - self._last_draw < self.min_interval and done < self.total:
                return
            self.stream.write("\r\033[K" + self.line(done, note))
            self._drawn = True
        else:
            tenth = int(10 * done / self.total)
            if tenth == self._last_tenth:
                return
            self._last_tenth = tenth
            self.stream.write(self.line(done, note) + "\n")
        self._last_draw = now
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line (on a terminal), so the next output starts on a fresh line."""
        if self.enabled and self.interactive and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
        self._drawn = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
