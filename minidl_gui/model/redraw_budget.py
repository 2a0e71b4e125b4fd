"""`RedrawBudget` and `SideBudget`: how far apart the worker's snapshots must be, and how often the window's side
views may redraw, for the UI thread to stay mostly idle while training.

Why a budget: the UI thread must stay free for the user's clicks and keys, and its process shares the second core
with the snapshot renderer (the app trains in a process of its own; training on a thread of the window's process
it also shares the GIL: torch ops release it, but while the UI thread runs Python — pyqtgraph's ``setData`` and
``paint`` — that thread barely moves). The redraws get `UI_SHARE` of a core in all, whatever a redraw costs on this
machine, at this window size, and whatever else the UI thread does.

The frames (`RedrawBudget`). Each frame — a snapshot's decision plot, which animates, and what the window does to take
it — reports ``cpu``: the UI thread's CPU seconds the frame cost (the scheduler counts its slices, their painting and
whatever ran between them, the side views' slices left out), and ``wall``: the seconds since the previous frame
ended. ``cost`` is a time-weighted moving average of ``cpu`` per frame (weight ``1 − exp(−wall /
SMOOTHING_SECONDS)`` for the newest frame, so a burst of quick frames counts as much as one slow frame of the
same duration). A frame every ``interval`` seconds keeps the frames' share at ``cost / interval``; the interval
asked of the worker is

    interval = clamp(cost / FRAME_SHARE, MIN_INTERVAL, MAX_INTERVAL),    FRAME_SHARE = UI_SHARE − SIDE_SHARE.

Fed the UI thread's whole CPU time between two frames instead (``cpu = f + b·wall``, other work at a share
``b``), it would settle, when frames follow the interval, at ``f / (share − b)``.

The side views (`SideBudget`): the throttled views (the side tab, the curves' metric plot, the status bar) share what
the rest of the UI thread's work leaves of `UI_SHARE`, and at least `SIDE_SHARE`:

    side share = max(SIDE_SHARE, UI_SHARE − other),

``other`` the time-weighted moving average of the UI thread's CPU share outside the side views' slices (the frames,
the snapshots' delivery, timers, the user's input). Redrawn together every ``period`` seconds, side views costing
``c₁ + c₂ + …`` per redraw take ``Σ c / period`` of a core: ``period = Σ c / side share`` holds them to it. So the UI
thread's whole share stays at ``UI_SHARE`` while the frames and the other work leave room (``other ≤ UI_SHARE −
SIDE_SHARE``), and the frames alone never take more than ``FRAME_SHARE``. Pure: no Qt, no clock; the scheduler feeds
both with measured numbers.
"""

from __future__ import annotations

import math

UI_SHARE = 0.2
"""The most of one core the UI thread should spend while training (issue #12: at most ~20 %)."""
SIDE_SHARE = 0.03
"""The least of a core the side views get, whatever else the UI thread does."""
FRAME_SHARE = UI_SHARE - SIDE_SHARE
"""The most of a core the frames may take."""
MIN_INTERVAL, MAX_INTERVAL = 0.04, 1.0
"""Seconds between two snapshots: at most 25 redraws per second, at least one per second."""
SMOOTHING_SECONDS = 0.5
"""Time constant of the moving average of a frame's CPU cost."""


def clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def smoothing_weight(wall: float, smoothing: float) -> float:
    """The newest sample's weight in a time-weighted moving average: ``1 − exp(−wall / smoothing)``."""
    return 1.0 - math.exp(-wall / smoothing) if smoothing > 0 else 1.0


class RedrawBudget:
    """Feed it each frame's (UI-thread CPU seconds, wall seconds) with `frame`; read `interval`.

    Before any frame, and after `reset`, the interval is `MIN_INTERVAL` (a first redraw costs nothing known).
    A sample that is not finite or is negative is ignored (a clock that jumped).
    """

    def __init__(
        self,
        share: float = FRAME_SHARE,
        min_interval: float = MIN_INTERVAL,
        max_interval: float = MAX_INTERVAL,
        smoothing: float = SMOOTHING_SECONDS,
    ) -> None:
        if not 0 < share <= 1:
            raise ValueError(f"the UI share must be in (0, 1], not {share}")
        if not 0 < min_interval <= max_interval:
            raise ValueError(f"need 0 < min_interval <= max_interval, not {min_interval}, {max_interval}")
        self.share, self.min_interval, self.max_interval, self.smoothing = share, min_interval, max_interval, smoothing
        self.cost: float | None = None
        """The smoothed UI-thread CPU seconds per frame; None before the first frame."""
        self.busy: float | None = None
        """The last frame's UI-thread share, ``cpu / wall`` (for a readout)."""

    def reset(self) -> None:
        self.cost = self.busy = None

    def frame(self, cpu: float, wall: float) -> float:
        """Take one frame's UI-thread ``cpu`` seconds over ``wall`` seconds; return the new `interval`."""
        if not (math.isfinite(cpu) and math.isfinite(wall)) or cpu < 0 or wall <= 0:
            return self.interval
        self.busy = cpu / wall
        if self.cost is None:
            self.cost = cpu
        else:
            self.cost += smoothing_weight(wall, self.smoothing) * (cpu - self.cost)
        return self.interval

    @property
    def interval(self) -> float:
        """Seconds the worker should keep between two snapshots: ``cost / share``, clamped."""
        if self.cost is None:
            return self.min_interval
        return clamp(self.cost / self.share, self.min_interval, self.max_interval)


class SideBudget:
    """Feed it the UI thread's CPU seconds outside the side views over wall seconds with `record`; read `share` (what
    the side views may take, see the module) and `period`. Before any sample the others' share counts as nothing."""

    def __init__(
        self, total: float = UI_SHARE, least: float = SIDE_SHARE, smoothing: float = SMOOTHING_SECONDS
    ) -> None:
        if not 0 < least <= total <= 1:
            raise ValueError(f"need 0 < least <= total <= 1, not {least}, {total}")
        self.total, self.least, self.smoothing = total, least, smoothing
        self.other: float | None = None
        """The smoothed share of a core the UI thread spent outside the side views; None before the first sample."""

    def record(self, cpu: float, wall: float) -> None:
        """The UI thread spent ``cpu`` seconds outside the side views in the last ``wall`` seconds (a sample that is
        not finite, negative or over no time is ignored)."""
        if not (math.isfinite(cpu) and math.isfinite(wall)) or cpu < 0 or wall <= 0:
            return
        busy = cpu / wall
        if self.other is None:
            self.other = busy
        else:
            self.other += smoothing_weight(wall, self.smoothing) * (busy - self.other)

    @property
    def share(self) -> float:
        """The share of a core the side views may take: ``max(least, total − other)``."""
        return max(self.least, self.total - (self.other or 0.0))

    def period(self, cost: float) -> float:
        """Seconds between two redraws of side views costing ``cost`` CPU seconds in all: ``cost / share``."""
        return max(0.0, cost) / self.share
