"""Mid-epoch snapshots and the worker's snapshot budget, without a thread and without timing anything.

``worker.progress_every = 0`` pauses the epoch after every optimizer step but its last, and ``interval=0.0``
makes every pause send a snapshot (the `Recorder` acknowledges each at once, as a window that draws instantly);
the budget is driven by a fake clock that only moves when the test says so.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from minidl_gui.model.session import Session
from minidl_gui.worker import PROGRESS_EVERY, SNAPSHOT_INTERVAL, TrainingWorker
from minidl_gui.worker_commands import Reset, Step, Train
from tests.gui.test_worker import Recorder

TIMINGS = ("elapsed", "steps_per_second")


def untimed(record) -> tuple:
    return tuple(value for name, value in vars(record).items() if name not in TIMINGS)


class FakeClock:
    """A clock that stands still unless the test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def worker_of(config, progress_every: float | None = 0.0, interval: float = 0.0, clock=None) -> TrainingWorker:
    clock = clock or FakeClock()
    worker = TrainingWorker(Session(config), interval=interval, clock=clock, work_clock=clock)
    worker.progress_every = progress_every
    return worker


def run_epochs(config, run_until_halted, progress_every: float | None) -> tuple[TrainingWorker, Recorder]:
    worker = worker_of(config, progress_every)
    seen = Recorder(worker)
    worker.submit(Train(3))
    run_until_halted(worker)
    return worker, seen


def test_the_worker_trains_with_mid_epoch_pauses_by_default(snapshots_between_epochs_only):
    assert snapshots_between_epochs_only == PROGRESS_EVERY == 0.005, "the class default, which the tests switch off"
    assert PROGRESS_EVERY <= SNAPSHOT_INTERVAL / 2, "a due snapshot waits at most half an interval for a pause"


def test_mid_epoch_snapshots_bring_no_rows_and_number_the_steps(small_config, run_until_halted):
    worker, seen = run_epochs(small_config, run_until_halted, progress_every=0.0)
    steps = len(worker.session.trainer.loader)
    middle = [s for s in seen.snapshots if s.steps]
    assert [(s.epoch, s.step, s.steps) for s in middle] == [(e, k, steps) for e in range(3) for k in range(1, steps)]
    assert all(s.results == () for s in middle), "an epoch's row comes with the snapshot after it ends"
    ends = [s for s in seen.snapshots if not s.steps]
    assert [(s.epoch, s.step, [r.epoch for r in s.results]) for s in ends] == [(e, 0, [e]) for e in (1, 2, 3)]
    assert seen.states == ["running", "paused"] and seen.finished == ["paused after epoch 3"]


def test_the_window_s_history_and_the_weights_end_as_without_mid_epoch_snapshots(small_config, run_until_halted):
    with_pauses, seen = run_epochs(small_config, run_until_halted, progress_every=0.0)
    without, plain = run_epochs(small_config, run_until_halted, progress_every=None)
    assert sum(bool(s.steps) for s in seen.snapshots) > 0 and not any(s.steps for s in plain.snapshots)
    rows = [untimed(r) for s in seen.snapshots for r in s.results]
    assert rows == [untimed(r) for s in plain.snapshots for r in s.results]
    assert [r[0] for r in rows] == [1, 2, 3]
    assert seen.snapshots[-1].start == plain.snapshots[-1].start
    for name, value in without.session.model.state_dict().items():
        assert torch.equal(with_pauses.session.model.state_dict()[name], value), name
    for a, b in zip(seen.snapshots[-1:], plain.snapshots[-1:], strict=True):
        assert (a.grid == b.grid).all() and (a.train_wrong == b.train_wrong).all()


def test_a_step_may_show_the_epoch_in_its_middle_and_ends_paused(small_config):
    worker = worker_of(small_config)
    seen = Recorder(worker)
    worker.submit(Step())
    worker.quit()
    worker.run()
    steps = len(worker.session.trainer.loader)
    assert [(s.epoch, s.step) for s in seen.snapshots] == [(0, k) for k in range(1, steps)] + [(1, 0)]
    assert seen.states == ["paused"] and worker.session.progress == (0, 0)


def test_mid_epoch_snapshots_wait_for_the_window_to_draw_the_last_one(small_config, run_until_halted):
    worker = worker_of(small_config)
    snapshots = []
    worker.yielded.connect(snapshots.append)  # never acknowledged: only forced snapshots go out after the first
    worker.submit(Train(2))
    run_until_halted(worker)
    assert [(s.epoch, s.step) for s in snapshots] == [(0, 1), (2, 0)]


def test_commands_wait_for_the_end_of_the_epoch_and_the_order_holds(small_config):
    config = replace(small_config, training=replace(small_config.training, max_epochs=2))
    worker = worker_of(config)
    events: list[tuple] = []
    worker.yielded.connect(lambda s: events.append(("snapshot", s.epoch, s.step)))
    worker.yielded.connect(lambda _: worker.snapshot_consumed())
    worker.stateChanged.connect(lambda state: events.append(("state", state)))
    worker.finished.connect(lambda text: events.append(("finished", text)))
    worker.message.connect(lambda text: events.append(("message", text.split(":")[0])))
    reset_sent = []

    def reset_in_the_middle(snapshot) -> None:
        if snapshot.step == 2 and not reset_sent:
            reset_sent.append(True)
            worker.submit(Reset())  # handled when epoch 1 has ended
            worker.quit()

    worker.yielded.connect(reset_in_the_middle)
    worker.submit(Train())
    worker.run()
    steps = len(worker.session.trainer.loader)
    middle = [("snapshot", 0, k) for k in range(1, steps)]
    expected = [("state", "running"), *middle, ("snapshot", 1, 0), ("snapshot", 0, 0), ("message", "Reset")]
    assert events[: len(expected)] == expected, "the reset waited for epoch 1 to end, and said so after its data"
    assert events[len(expected)] == ("snapshot", 0, 1), "then training went on from epoch 0"


def test_a_failing_mid_epoch_snapshot_fails_the_run_and_puts_the_progress_back(small_config, monkeypatch):
    worker = worker_of(small_config)
    seen = Recorder(worker)
    errors: list[str] = []
    worker.errored.connect(errors.append)
    worker.errored.connect(lambda _: worker.quit())
    snapshot = worker.session.snapshot

    def broken_in_the_middle():
        if worker.session.progress != (0, 0):
            raise RuntimeError("no snapshot mid-epoch")
        return snapshot()

    monkeypatch.setattr(worker.session, "snapshot", broken_in_the_middle)
    worker.submit(Train())
    worker.run()
    assert errors == ["RuntimeError: no snapshot mid-epoch"] and seen.states == ["running", "failed"]
    assert worker.session.progress == (0, 0) and worker.session.epoch == 0
    assert not torch.is_inference_mode_enabled()


# -- the worker's budget ------------------------------------------------------------------------------------


def test_slow_snapshots_are_spaced_to_keep_the_worker_s_share(small_config, run_until_halted):
    """Each snapshot takes 10 ms to prepare and each optimizer step 1 ms (one fake clock for the intervals and the
    worker's CPU time): at most 5 % of the time goes to snapshots, so they start 0.2 s apart, though the window
    asks for 40 ms."""
    clock = FakeClock()
    config = replace(small_config, training=replace(small_config.training, batch_size=1))
    worker = worker_of(config, interval=SNAPSHOT_INTERVAL, clock=clock)
    seen = Recorder(worker)
    snapshot, step = worker.session.snapshot, worker.session.optimizer.step

    def slow_snapshot():
        clock.now += 0.010
        return snapshot()

    def timed_step():
        step()
        clock.now += 0.001

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(worker.session, "snapshot", slow_snapshot)
    monkeypatch.setattr(worker.session.optimizer, "step", timed_step)
    try:
        worker.submit(Train(2))
        run_until_halted(worker)
    finally:
        monkeypatch.undo()
    assert worker.budget.preparation == pytest.approx(0.010)
    assert worker.snapshot_interval() == pytest.approx(0.2)
    steps = len(worker.session.trainer.loader)
    done = [s.epoch * steps + s.step for s in seen.snapshots[:-1]]  # the steps done at each but the forced last
    assert done[0] == 1, "the first snapshot goes out at the first pause"
    # 0.2 s from one snapshot's start to the next's: its own 10 ms, then 190 steps.
    assert done == list(range(1, 2 * steps, 190))


def test_set_interval_sets_the_requested_interval_and_refuses_nonsense(small_config):
    worker = TrainingWorker(Session(small_config))
    assert worker.interval == SNAPSHOT_INTERVAL
    worker.set_interval(0.25)
    assert worker.interval == 0.25 and worker.snapshot_interval() == 0.25
    worker.budget.record(0.05)
    assert worker.snapshot_interval() == pytest.approx(1.0), "the worker's share wins over a shorter request"
    worker.set_interval(2)
    assert worker.snapshot_interval() == 2.0 and isinstance(worker.interval, float)
    for bad in (-0.1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="seconds >= 0"):
            worker.set_interval(bad)
    assert worker.interval == 2.0
