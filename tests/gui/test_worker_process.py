"""A `TrainingWorker` with ``training_process``: the same runs, states and snapshots as on its own thread; a command
that comes during a run acts at an epoch's end, after every epoch trained up to there was recorded and sent.

Each worker starts its own child (a second or two): these tests are few. The worker runs on the test's thread; a
command "during a run" is submitted from the worker's own signals, as the window's would arrive."""

from __future__ import annotations

from dataclasses import replace

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
