"""Probes of a running Qt UI thread: a 5 ms timer's lateness, and the window's redraws.

Both are QObjects living in the UI thread and only listen: nothing in the app is changed.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer, Signal, Slot, qInstallMessageHandler

TICK_MS = 5
"""The probe timer's period: lateness = actual interval between two timeouts − ``TICK_MS``."""


@dataclass(frozen=True)
class Lateness:
    """Percentiles of a timer's lateness in milliseconds over ``ticks`` intervals (negative: Qt caught
    up after a late tick)."""

    p50: float
    p99: float
    max: float
    ticks: int

    @classmethod
    def of(cls, lateness_ms: np.ndarray) -> Lateness:
        p50, p99 = np.percentile(lateness_ms, [50, 99])
        return cls(float(p50), float(p99), float(lateness_ms.max()), len(lateness_ms))


class TimerProbe(QObject):
    """A repeating ``TICK_MS`` PreciseTimer on the UI thread that records when each timeout arrives.

    The first interval runs from ``start()``; at ``stop()`` a tick overdue by then counts with the time
    it has waited so far (a lower bound), so a UI thread blocked to the end is not missed.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.times: list[float] = []

    def start(self) -> None:
        self.times = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> Lateness:
        self.timer.stop()
        now = time.perf_counter()
        if len(self.times) == 1 or (now - self.times[-1]) * 1e3 > TICK_MS:
            self.times.append(now)
        return Lateness.of(np.diff(np.asarray(self.times)) * 1e3 - TICK_MS)

    @Slot()
    def _tick(self) -> None:
        self.times.append(time.perf_counter())


class RedrawProbe(QObject):
    """Counts the window's redraws and times each snapshot's frame, without touching the window's code.

    The worker's snapshot reaches ``receiver`` (the window, or the object drawing for it) as a queued call, i.e.
    a ``QEvent.MetaCall`` delivered to it: an event filter notes when the latest one starts, and the window's
    own ``snapshotDrawn`` (emitted once the snapshot is drawn) closes the interval. ``on_drawn`` is
    called after each redraw (e.g. to note the snapshot's epoch), then ``redrawn`` is emitted.
    """

    redrawn = Signal()

    def __init__(
        self,
        window: QObject,
        drawn: Signal,
        on_drawn: Callable[[], None] | None = None,
        receiver: QObject | None = None,
    ) -> None:
        super().__init__(window)
        self.window, self.on_drawn = window, on_drawn
        self.recording = False
        self.times: list[float] = []
        self.slot_seconds: list[float] = []
        self._call_started = 0.0
        (receiver if receiver is not None else window).installEventFilter(self)
        drawn.connect(self._drawn)

    def start(self) -> None:
        self.times.clear()
        self.slot_seconds.clear()
        self.recording = True

    def stop(self) -> None:
        self.recording = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.MetaCall:
            self._call_started = time.perf_counter()
        return False

    @Slot()
    def _drawn(self) -> None:
        now = time.perf_counter()
        if self.recording:
            self.times.append(now)
            self.slot_seconds.append(now - self._call_started)
        if self.on_drawn is not None:
            self.on_drawn()
        self.redrawn.emit()


def run_event_loop(seconds: float, until: Signal | None = None, condition: Callable[[], bool] | None = None) -> bool:
    """Run a nested event loop for ``seconds``, or until ``until`` fires (in this thread) with
    ``condition()`` true (or no condition); returns whether it did."""
    loop = QEventLoop()
    fired: list[bool] = []
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.setTimerType(Qt.TimerType.PreciseTimer)
    deadline.timeout.connect(loop.quit)

    def check() -> None:
        if condition is None or condition():
            fired.append(True)
            loop.quit()

    if until is not None:
        until.connect(check)
    deadline.start(round(seconds * 1000))
    loop.exec()
    deadline.stop()
    if until is not None:
        until.disconnect(check)
    return bool(fired)


@contextlib.contextmanager
def quiet_qt_messages(*fragments: str) -> Iterator[None]:
    """Drop Qt's warnings that contain one of ``fragments`` (e.g. the offscreen platform's
    "does not support propagateSizeHints()"), pass the others on; restore the handler after."""
    previous: Callable | None = None

    def handler(mode: object, context: object, message: str) -> None:
        if any(fragment in message for fragment in fragments):
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
