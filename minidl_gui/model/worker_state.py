"""`WorkerState`: what the training worker is doing, as its ``stateChanged`` signal reports it.

One enum for the worker that sets the state and for every view that shows it (toolbar, status bar,
window). A member is also its lower-case name as a string (``WorkerState.DONE == "done"``), the word a
run record's ``ended`` uses for a run that stopped in that state.
"""

from __future__ import annotations

from enum import Enum


class WorkerState(str, Enum):
    """READY (epoch 0, nothing trained), RUNNING, PAUSED, DONE (the run reached its end), STOPPED (ended by the
    user), DIVERGED (the loss became non-finite), FAILED (an error while training)."""

    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    STOPPED = "stopped"
    DIVERGED = "diverged"
    FAILED = "failed"

    def __str__(self) -> str:
        return self.value
