"""Where a sweep's runs go: a pool of worker processes on this machine, or a Dask cluster (``--dask``).

Both are `concurrent.futures.Executor` objects; the sweep submits `sweep_worker.train_once` calls and, on
Ctrl-C, cancels what has not started and calls ``shutdown(wait=False)``.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from types import ModuleType

from minidl.cli.sweep_worker import start_worker

DASK_MISSING = "--dask needs the distributed package: pip install minidl[distributed]"


class ExecutorUnavailable(RuntimeError):
    """The runs have nowhere to go: the Dask package is missing or its scheduler cannot be reached."""


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity where the system tells it), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


MAX_JOBS_PER_CORE = 4
"""More local workers than this per core only slow every run down: each is a process with its own torch (~250 MB)."""


def max_jobs() -> int:
    """The most ``--jobs`` a sweep accepts on this machine."""
    return MAX_JOBS_PER_CORE * available_cores()


def worker_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: from a fork server that imported torch and minidl once (a plain fork of
    the sweep's process could inherit torch's thread pools mid-use), or spawned where there is no fork server."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([start_worker.__module__])  # no effect once the server runs
    return context


class SweepProcessPool(ProcessPoolExecutor):
    """A `ProcessPoolExecutor` of ``max_workers`` processes from `worker_context`, each started by
    `start_worker`. ``shutdown(wait=False)`` also cancels the pending runs and makes runs already queued to a
    worker return at once, so Ctrl-C ends a sweep within one run's epoch."""

    def __init__(self, max_workers: int) -> None:
        context = worker_context()
        self._stop = context.Event()
        super().__init__(max_workers, mp_context=context, initializer=start_worker, initargs=(self._stop,))

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures or not wait:
            self._stop.set()
        super().shutdown(wait=wait, cancel_futures=cancel_futures or not wait)


def require_dask() -> ModuleType:
    """The ``distributed`` package; `ExecutorUnavailable` saying what to install when it is missing."""
    try:
        import distributed
    except ImportError:
        raise ExecutorUnavailable(DASK_MISSING) from None
    return distributed


@contextmanager
def open_executor(jobs: int, dask_address: str | None = None) -> Iterator[Executor]:
    """A `SweepProcessPool` of ``jobs`` workers, or with ``dask_address`` the executor of a
    ``distributed.Client`` connected to that scheduler (``jobs`` is then the cluster's business); shut
    down (and the client closed) on the way out. `ExecutorUnavailable` when Dask is missing or unreachable."""
    if dask_address is None:
        with SweepProcessPool(jobs) as pool:
            yield pool
        return
    distributed = require_dask()
    try:
        client = distributed.Client(dask_address)
    except (OSError, TimeoutError, ValueError) as error:
        raise ExecutorUnavailable(f"--dask {dask_address}: cannot reach the Dask scheduler: {error}") from None
    with client:
        executor = client.get_executor(pure=False)  # every run is its own task, even one repeated
        with executor:
            yield executor
