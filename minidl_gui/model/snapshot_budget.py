"""`SnapshotBudget`: how often the training worker may prepare a snapshot so that it trains most of its time.

Preparing a snapshot (the model on the decision grid and the points, the weights, …) takes the worker away from
training. The worker gives it at most ``WORKER_SHARE`` of its time: a snapshot that takes ``p`` seconds to prepare
is followed by the next one no sooner than ``p / WORKER_SHARE`` seconds later, nor sooner than the interval the
window asks for, so

    effective interval = max(requested interval, p̄ / WORKER_SHARE)   (a requested 0 stays 0: every snapshot)

with ``p̄`` an exponential moving average of the preparation times (``p̄ ← p̄ + SMOOTHING · (p − p̄)``, the first
time as it is), so that a single slow one (a garbage collection, a busy core) does not halve the snapshot rate.
Pure arithmetic, no Qt, no clock: the worker times its snapshots and feeds the seconds in.
"""

from __future__ import annotations

import math

WORKER_SHARE = 0.05
"""The largest share of the worker's time spent preparing snapshots (the rest trains)."""
RENDER_SHARE = 0.2
"""The largest share of a core the snapshot renderer's thread may take (`minidl_gui.snapshot_renderer`): it shares
the second core with the window's thread, and the Python between its torch operations holds the GIL (a wide
network's snapshot, 0.5 s of matrix products on the decision grid, then waits 2.5 s for the next)."""
SMOOTHING = 0.25
"""Weight of the newest preparation time in the moving average."""


class SnapshotBudget:
    """The moving average of the snapshot preparation times, and the interval it allows (see the module)."""

    def __init__(self, share: float = WORKER_SHARE, smoothing: float = SMOOTHING) -> None:
        if not 0 < share <= 1:
            raise ValueError(f"share must be in (0, 1], got {share}")
        if not 0 < smoothing <= 1:
            raise ValueError(f"smoothing must be in (0, 1], got {smoothing}")
        self.share, self.smoothing = share, smoothing
        self.preparation: float | None = None
        """The moving average of the preparation seconds; None before the first."""

    def record(self, seconds: float) -> None:
        """One snapshot took ``seconds`` to prepare (negative or non-finite values are ignored)."""
        if not (math.isfinite(seconds) and seconds >= 0):
            return
        if self.preparation is None:
            self.preparation = seconds
        else:
            self.preparation += self.smoothing * (seconds - self.preparation)

    def interval(self, requested: float) -> float:
        """Seconds from one snapshot's start to the next's: ``max(requested, p̄ / share)``; a ``requested`` 0 (or less)
        stays 0, a request for every snapshot the window is ready for (tests, scripted runs: the window's own
        budget never asks for less than its minimum interval)."""
        if self.preparation is None or requested <= 0:
            return requested
        return max(requested, self.preparation / self.share)
