"""`RedrawBudget`: how far apart the worker's snapshots must be for the UI thread to stay mostly idle.

Why a budget: the UI thread must stay free for the user's clicks and keys, and its process shares the second core
with the snapshot renderer (the app trains in a process of its own; training on a thread of the window's process
it also shares the GIL: torch ops release it, but while the UI thread runs Python — pyqtgraph's ``setData`` and
``paint`` — that thread barely moves). Keeping the UI thread busy at most `UI_SHARE` of the time holds it there,
whatever a redraw costs on this machine, at this window size.

The math. Each frame reports ``cpu``: the UI thread's CPU seconds the frame cost (the scheduler counts its
slices, their painting and whatever ran between them), and ``wall``: the seconds since the previous frame
ended. ``cost`` is a time-weighted moving average of ``cpu`` per frame (weight ``1 − exp(−wall /
SMOOTHING_SECONDS)`` for the newest frame, so a burst of quick frames counts as much as one slow frame of the
same duration). A frame every ``interval`` seconds keeps the UI thread's share at ``cost / interval``; the
interval asked of the worker is

    interval = clamp(cost / UI_SHARE, MIN_INTERVAL, MAX_INTERVAL).

Fed the UI thread's whole CPU time between two frames instead (``cpu = f + b·wall``, other work at a share
``b``), it settles, when frames follow the interval, at ``f / (UI_SHARE − b)``: the interval that keeps the
UI thread's whole share at `UI_SHARE`. Pure: no Qt, no clock; the scheduler feeds it measured numbers.
"""

from __future__ import annotations

import math

UI_SHARE = 0.2
"""The most of one core the UI thread should spend on redraws while training (issue #12: at most ~20 %)."""
MIN_INTERVAL, MAX_INTERVAL = 0.04, 1.0
"""Seconds between two snapshots: at most 25 redraws per second, at least one per second."""
SMOOTHING_SECONDS = 0.5
"""Time constant of the moving average of a frame's CPU cost."""


def clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


class RedrawBudget:
    """Feed it each frame's (UI-thread CPU seconds, wall seconds) with `frame`; read `interval`.

    Before any frame, and after `reset`, the interval is `MIN_INTERVAL` (a first redraw costs nothing known).
    A sample that is not finite or is negative is ignored (a clock that jumped).
    """

    def __init__(
        self,
        share: float = UI_SHARE,
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
            weight = 1.0 - math.exp(-wall / self.smoothing) if self.smoothing > 0 else 1.0
            self.cost += weight * (cpu - self.cost)
        return self.interval

    @property
    def interval(self) -> float:
        """Seconds the worker should keep between two snapshots: ``cost / share``, clamped."""
        if self.cost is None:
            return self.min_interval
        return clamp(self.cost / self.share, self.min_interval, self.max_interval)
