"""Running a sweep's runs through a `concurrent.futures.Executor`, reporting each one as it finishes.

Ctrl-C (`KeyboardInterrupt`, raised in the sweep's process or coming back from a run) cancels the runs
not started and shuts the executor down without waiting; runs that finished before are still reported,
interrupted ones are not (a re-run trains them again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field

from minidl.cli.sweep_grid import PlannedRun
from minidl.cli.sweep_record import RunRecord
from minidl.cli.sweep_worker import train_once


@dataclass
class SweepOutcome:
    """How the loop ended: ``interrupted`` by Ctrl-C, and the runs the executor ``lost`` (it raised instead of
    returning a record: a worker process killed, a Dask worker gone) with the exception; lost runs are not
    reported, so a re-run tries them again."""

    interrupted: bool = False
    lost: list[tuple[PlannedRun, BaseException]] = field(default_factory=list)


def run_all(
    runs: Sequence[PlannedRun],
    executor: Executor,
    on_finished: Callable[[PlannedRun, RunRecord], None],
) -> SweepOutcome:
    """Submit ``train_once`` of every run to ``executor`` and call ``on_finished(run, record)`` in the calling
    thread as each run ends (in the order they end)."""
    outcome = SweepOutcome()
    futures: dict[Future[RunRecord], PlannedRun] = {}
    reported: set[Future[RunRecord]] = set()

    def report(future: Future[RunRecord], *, after_interrupt: bool = False) -> None:
        reported.add(future)
        try:
            record = future.result()
        except KeyboardInterrupt:  # Ctrl-C stopped the run before train could catch it
            if after_interrupt:
                return
            raise
        except Exception as error:  # the executor's failure, not the run's: the run stays to do
            outcome.lost.append((futures[future], error))
            return
        if record.interrupted:
            if after_interrupt:
                return
            raise KeyboardInterrupt  # Ctrl-C reached the workers first
        on_finished(futures[future], record)

    try:
        for run in runs:
            futures[executor.submit(train_once, run.argv())] = run
        for future in as_completed(futures):
            report(future)
    except KeyboardInterrupt:
        outcome.interrupted = True
        for future in futures:
            future.cancel()
        executor.shutdown(wait=False)
        for future in futures:
            if future.done() and not future.cancelled() and future not in reported:
                report(future, after_interrupt=True)
    return outcome
