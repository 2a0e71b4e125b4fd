"""`SnapshotRenderer`: renders the training worker's snapshots on a thread of their own, so training never waits.

A snapshot costs more than a training step at small batches (the model on the 10 000 points of the decision grid, the
points assessed, a few milliseconds): rendered on the training thread, 25 snapshots a second would take a fifth of
its time. The worker instead captures its session between two steps (`Session.capture`: the weights copied, about
0.1 ms) and hands the capture here with a copy of its model; this thread loads the captured weights into the copy,
renders (`render_snapshot`) and delivers the snapshot (the worker's ``yielded`` signal, which Qt queues into the
window's thread). torch releases the GIL inside its operations, so on a machine with two cores the rendering runs
beside the training (a thread's: taking from it only the Python between those operations; in the app the training
process has a GIL of its own), at a lower priority than the UI thread (`yield_cpu_to_the_window`).

One snapshot at a time: ``busy`` until the last one was delivered (the worker captures no other meanwhile);
``wait_idle`` lets a snapshot rendered elsewhere go out after it (the worker's forced snapshots, which must keep their
order with the states that follow them). A rendering that raised is kept with its source (``take_failure``) for the
worker to report (and to send that source's history rows again).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable

import torch

from minidl.sequential import Sequential
from minidl_gui.model.snapshot import Snapshot
from minidl_gui.model.snapshot_frames import FrameMaker
from minidl_gui.model.snapshot_source import SnapshotSource, render_snapshot


class SnapshotRenderer:
    """A daemon thread rendering one `SnapshotSource` at a time with its model copy and passing the `Snapshot` to
    ``deliver`` (called on that thread). ``close()`` ends it, after the snapshot in progress."""

    def __init__(
        self, deliver: Callable[[Snapshot], object], measured: Callable[[float], object] | None = None
    ) -> None:
        """``measured`` is told the CPU seconds of this thread each rendering took (for the worker's budget)."""
        self._deliver = deliver
        self._measured = measured
        self._frames = FrameMaker()  # this thread's: it reuses the frame parts that did not change
        self._changed = threading.Condition()
        self._pending: tuple[SnapshotSource, Sequential] | None = None
        self._busy = False
        self._closed = False
        self._failure: tuple[Exception, SnapshotSource] | None = None
        self._thread = threading.Thread(target=self._serve, name="snapshotRenderer", daemon=True)
        self._thread.start()

    @property
    def busy(self) -> bool:
        """A snapshot is waiting or being rendered."""
        return self._busy

    def submit(self, source: SnapshotSource, model: Sequential) -> None:
        """Render ``source`` with ``model`` (its weights are loaded from ``source.weights`` first): ``model`` is this
        thread's until the snapshot is delivered. RuntimeError if one is in progress (wait for ``busy`` to clear)."""
        with self._changed:
            if self._busy:
                raise RuntimeError("a snapshot is being rendered already: submit the next when busy is False")
            self._pending, self._busy = (source, model), True
            self._changed.notify_all()

    def wait_idle(self) -> None:
        """Return once no snapshot is waiting or being rendered (the last one was delivered)."""
        with self._changed:
            self._changed.wait_for(lambda: not self._busy)

    def take_failure(self) -> tuple[Exception, SnapshotSource] | None:
        """``(exception, source)`` of the last rendering that raised (its snapshot not delivered), once; else None."""
        with self._changed:
            failure, self._failure = self._failure, None
        return failure

    def close(self) -> None:
        """End the thread after the snapshot in progress (delivered); pending work is dropped."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._thread.join()

    def _serve(self) -> None:
        torch.set_grad_enabled(False)  # thread-local: this thread's own setting
        yield_cpu_to_the_window()
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending is not None or self._closed)
                if self._closed:
                    self._busy = False
                    self._changed.notify_all()
                    return
                assert self._pending is not None
                (source, model), self._pending = self._pending, None
            try:
                start = time.thread_time()
                model.load_state_dict(source.weights)
                snapshot = render_snapshot(source, model, self._frames)
                if self._measured is not None:
                    self._measured(time.thread_time() - start)
                self._deliver(snapshot)
            except Exception as error:  # noqa: BLE001 - handed to the worker, which reports it
                with self._changed:
                    self._failure = (error, source)
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()


RENDER_NICENESS = 10
"""How much lower than the window's threads the renderer's thread runs (a Unix nice value: 0 as high, 19 lowest)."""


def yield_cpu_to_the_window() -> None:
    """Lower this thread's scheduling priority by `RENDER_NICENESS` (Linux, where a thread has a nice value of its own),
    so that the UI thread, woken by a timer or a click while this one renders on the core they share (the training
    process has the other), gets it at once rather than after the scheduler's time slice. Nothing where the system
    cannot (another platform, a sandbox that refuses): the rendering is then as before."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, 0) + RENDER_NICENESS)
