"""What a sweep's worker runs: one ``minidl train`` in-process, its JSON result read back as a `RunRecord`.

`train_once` is a module-level function of plain arguments, so process pools and Dask can pickle it by
reference; a worker needs minidl installed, nothing else.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import torch

from minidl.cli.main import main
from minidl.cli.sweep_record import RunRecord, one_line
from minidl.cli.thread_output import capture_output

if TYPE_CHECKING:
    from multiprocessing.synchronize import Event

_stop: Event | None = None
"""Set in the sweep's worker processes by `start_worker`: once it is set, runs not started yet are skipped."""


def start_worker(stop: Event) -> None:
    """The initializer of a sweep's worker processes. An idle worker ignores Ctrl-C (it would die with a
    traceback); `train_once` lets it stop a run. After ``stop`` is set, queued runs return at once."""
    global _stop
    _stop = stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def train_once(argv: Sequence[str]) -> RunRecord:
    """Run ``minidl train ARGV`` (which holds ``--json``) on one torch thread and read its result.

    A divergence is a record with the last finite epoch's metrics and the error; a refused flag combination
    (train's exit code 2) or an exception is a record with the error only; Ctrl-C is an interrupted record.
    What train prints is captured, so nothing of it reaches the worker's terminal.
    """
    if _stop is not None and _stop.is_set():
        return RunRecord(interrupted=True)
    torch.set_num_threads(1)  # the sweep's parallelism is its workers: one thread each avoids oversubscription
    start = time.perf_counter()
    with capture_output() as (out, err), _interruptible():
        try:
            code = main(["train", *argv])
        except SystemExit as exit_:
            code = exit_.code
        except KeyboardInterrupt:
            return _interrupted()
        except Exception as error:  # a run's bug is its row's error, not the end of the sweep
            return RunRecord(seconds=time.perf_counter() - start, error=one_line(f"{type(error).__name__}: {error}"))
    seconds = time.perf_counter() - start
    lines = out.getvalue().strip().splitlines()
    if lines:
        try:
            record = RunRecord.from_report(json.loads(lines[-1]), seconds)
        except (ValueError, KeyError, TypeError) as error:
            return RunRecord(seconds=seconds, error=f"unreadable minidl train output ({error}): {lines[-1][:200]}")
        return _interrupted() if record.interrupted else record
    messages = err.getvalue().strip().splitlines()
    return RunRecord(seconds=seconds, error=one_line(messages[-1]) if messages else f"minidl train exited {code}")


def _interrupted() -> RunRecord:
    """The record of a run stopped by Ctrl-C. In a sweep's worker process it also sets the stop event at once
    (before the sweep's process may): this worker and the others skip the runs queued to them."""
    if _stop is not None:
        _stop.set()
    return RunRecord(interrupted=True)


@contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C raises `KeyboardInterrupt` inside the block (train then stops and reports the run as
    interrupted), also in a worker that ignores it when idle; only the main thread handles signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
