"""A `TrainingWorker` with ``training_process``: the same runs, states and snapshots as on its own thread; a command
that comes during a run acts at an epoch's end, after every epoch trained up to there was recorded and sent.

Each worker starts its own child (a second or two): these tests are few. The worker runs on the test's thread; a
command "during a run" is submitted from the worker's own signals, as the window's would arrive."""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
import torch

from minidl_gui.model.session import Session
from minidl_gui.worker import TrainingWorker
from minidl_gui.worker_commands import Configure, Pause, Step, Train
from tests.gui.test_training_process import assert_same_state, rows
from tests.gui.test_worker import Recorder, serve


def in_process(config) -> TrainingWorker:
    return TrainingWorker(Session(config), interval=0.0, training_process=True)


def local_run(config, *changes: tuple[int, object]) -> Session:
    """``config`` trained on this thread to ``max_epochs``; ``changes``: (epoch, config) applied after that epoch."""
    session, pending = Session(config), dict(changes)
    with torch.no_grad():
        for record in session.epochs():
            if record.epoch in pending:
                session.configure(pending.pop(record.epoch))
                break
        if changes:
            list(session.epochs())
    return session


def test_a_run_to_its_end_is_the_run_on_the_thread(small_config, run_until_halted):
    config = small_config.replace(training=replace(small_config.training, max_epochs=6))
    worker = in_process(config)
    seen = Recorder(worker)
    worker.submit(Train())
    run_until_halted(worker)
    assert seen.states == ["running", "done"] and seen.finished == ["6 epochs done"]
    assert [r.epoch for s in seen.snapshots for r in s.results] == [1, 2, 3, 4, 5, 6], "every row once, in order"
    assert seen.snapshots[-1].epoch == 6
    mine = local_run(config)
    assert rows(worker.session) == rows(mine)
    assert_same_state(worker.session, mine)
    assert not worker._process.alive, "the child ends with the worker"  # noqa: SLF001


def test_steps_train_one_epoch_each(small_config):
    worker = in_process(small_config)
    seen = Recorder(worker)
    serve(worker, Step(), Step(), Step())
    assert worker.session.epoch == 3 == len(worker.session.history)
    assert [s.epoch for s in seen.snapshots] == [1, 2, 3]
    assert seen.states == ["paused"]
    assert_same_state(
        worker.session, local_run(small_config.replace(training=replace(small_config.training, max_epochs=3)))
    )


def test_pause_during_a_run_acts_at_an_epoch_end_with_every_epoch_sent(small_config, run_until_halted):
    worker = in_process(small_config)
    seen = Recorder(worker)
    worker.yielded.connect(lambda snapshot: snapshot.epoch >= 2 and worker.submit(Pause()))
    worker.submit(Train())
    run_until_halted(worker)
    session = worker.session
    assert seen.states == ["running", "paused"]
    assert 2 <= session.epoch == len(session.history) < small_config.training.max_epochs
    assert seen.snapshots[-1].epoch == session.epoch and seen.snapshots[-1].steps == 0
    assert [r.epoch for s in seen.snapshots for r in s.results] == list(range(1, session.epoch + 1))
    config = small_config.replace(training=replace(small_config.training, max_epochs=session.epoch))
    assert_same_state(session, local_run(config))


def test_a_live_change_during_a_run_applies_where_the_run_halted(small_config, run_until_halted):
    config = small_config.replace(training=replace(small_config.training, max_epochs=8))
    faster = config.replace(training=replace(config.training, lr=0.05, batch_size=32))
    worker = in_process(config)
    Recorder(worker)
    sent: list[bool] = []

    def change(snapshot) -> None:
        if snapshot.epoch >= 2 and not sent:
            sent.append(True)
            worker.submit(Configure(faster))

    worker.yielded.connect(change)
    worker.submit(Train())
    run_until_halted(worker)
    session = worker.session
    assert session.epoch == 8 and session.optimizer.lr == 0.05 and session.trainer.batch_size == 32
    (first, _), (changed_at, changed) = session.config_log
    assert changed == faster and 2 <= changed_at < 8
    mine = local_run(config, (changed_at, faster))
    assert rows(session) == rows(mine), "the change took effect exactly after the epoch it is logged at"
    assert_same_state(session, mine)


class FakeProcess:
    """Stands in for a `TrainingProcess` in the middle of a run: counts what is asked of it."""

    def __init__(self, fresh_weights: bool) -> None:
        self.fresh_weights, self.asked = fresh_weights, 0

    def request_weights(self) -> None:
        self.asked += 1


def test_weights_are_asked_for_one_item_before_a_snapshot_falls_due(small_config):
    worker = TrainingWorker(Session(small_config), training_process=True)
    worker.progress_every = 0.01
    worker._epochs = iter(())  # noqa: SLF001 - a run in progress
    worker._process = stale = FakeProcess(fresh_weights=False)  # noqa: SLF001
    assert not worker._weights_ready(now=1.0, due_at=1.02) and stale.asked == 0, "due after the next item: not yet"  # noqa: SLF001
    assert not worker._weights_ready(now=1.0, due_at=1.01) and stale.asked == 1, "due by the next item: asked ahead"  # noqa: SLF001
    assert not worker._weights_ready(now=1.0, due_at=0.5) and stale.asked == 2, "overdue: asked, not drawn stale"  # noqa: SLF001
    worker._process = fresh = FakeProcess(fresh_weights=True)  # noqa: SLF001
    assert worker._weights_ready(now=1.0, due_at=0.5) and fresh.asked == 0  # noqa: SLF001
    worker._epochs = None  # noqa: SLF001 - between runs the session's model is the trainer's own
    worker._process = stale  # noqa: SLF001
    assert worker._weights_ready(now=1.0, due_at=0.5) and stale.asked == 2  # noqa: SLF001


def test_with_items_further_apart_than_the_pauses_weights_are_asked_an_item_gap_ahead(small_config):
    worker = TrainingWorker(Session(small_config), training_process=True)
    worker.progress_every = 0.01
    worker._epochs = iter(())  # noqa: SLF001 - a run in progress, whole epochs 30 ms apart (no pause in them)
    worker._process = stale = FakeProcess(fresh_weights=False)  # noqa: SLF001
    worker._item_gap = 0.03  # noqa: SLF001
    assert not worker._weights_ready(now=1.0, due_at=1.04) and stale.asked == 0  # noqa: SLF001
    assert not worker._weights_ready(now=1.0, due_at=1.02) and stale.asked == 1, "due before the next epoch's end"  # noqa: SLF001


class BusyRenderer:
    """Stands in for a `SnapshotRenderer` rendering a snapshot."""

    busy = True

    def take_failure(self) -> None:
        return None


def test_weights_are_not_asked_for_while_no_snapshot_could_go_out(small_config):
    # Asked for and not used, they came with every other item while the window drew (a model's weights each time:
    # 2.1 weights per snapshot at batch 100, 3 for a 4×512 network).
    worker = TrainingWorker(Session(small_config), training_process=True)
    worker._epochs = iter(())  # noqa: SLF001 - a run in progress, a snapshot overdue
    worker._process = stale = FakeProcess(fresh_weights=False)  # noqa: SLF001
    worker._drawn = False  # noqa: SLF001 - the window draws the last one
    worker._emit_snapshot()  # noqa: SLF001
    assert stale.asked == 0
    worker._drawn, worker._renderer = True, BusyRenderer()  # noqa: SLF001 - the renderer renders the last one
    worker._emit_snapshot()  # noqa: SLF001
    assert stale.asked == 0
    worker._renderer = None  # noqa: SLF001
    worker._emit_snapshot()  # noqa: SLF001
    assert stale.asked == 1, "a snapshot would go out: the weights are asked for"


def test_a_training_process_that_cannot_start_fails_once_then_training_goes_on_here(
    small_config, run_until_halted, monkeypatch
):
    import minidl_gui.training_process as training_process

    monkeypatch.setattr(training_process.sys, "executable", "/bin/false")  # exits at once: no child to train
    worker = in_process(small_config)
    seen = Recorder(worker)
    errors: list[str] = []
    worker.errored.connect(errors.append)
    worker.submit(Train(3))
    run_until_halted(worker)
    assert seen.states == ["running", "failed"]
    assert len(errors) == 1 and "ended unexpectedly" in errors[0] and "goes on in the window's process" in errors[0]
    assert worker.session.epoch == 0 == len(worker.session.history)
    assert seen.snapshots[-1].epoch == 0 and seen.snapshots[-1].start == 0, "the window drops any rows it was sent"
    worker.submit(Train(3))
    run_until_halted(worker)
    assert seen.states[-1] == "paused" and worker.session.epoch == 3, "trained on the worker's thread"
    assert worker._process is None  # noqa: SLF001


def test_the_window_trains_in_its_training_process_and_pauses_where_it_shows(qtbot, small_config):
    from minidl_gui.launch import create_window
    from tests.gui.test_window import TIMEOUT, click

    config = small_config.replace(training=replace(small_config.training, batch_size=1))  # slow enough to pause
    controller = create_window(config, remember=False, training_process=True)
    window = controller.window
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.last_snapshot is not None, timeout=TIMEOUT)
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: len(window.history) >= 2, timeout=TIMEOUT)
    pid = controller.worker.training_pid
    assert pid is not None and pid != os.getpid()
    click(qtbot, window, "trainButton")  # pause
    qtbot.waitUntil(lambda: window.toolbar.state == "paused", timeout=TIMEOUT)
    session = controller.session
    assert len(window.history) == len(session.history) == session.epoch == window.last_snapshot.epoch
    np.testing.assert_array_equal(window.history.column("train_loss"), session.history.column("train_loss"))
    window.close()
    assert controller.worker.training_pid is None, "closing the window ends its training process"
