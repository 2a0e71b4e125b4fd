"""The worker's logic without a thread: commands are queued, then ``run()`` serves them right here."""

from __future__ import annotations

from dataclasses import replace
from typing import get_args

import torch

from minidl_gui import worker_commands
from minidl_gui.model.session import Session
from minidl_gui.model.worker_state import WorkerState
from minidl_gui.worker import TrainingWorker
from minidl_gui.worker_commands import Configure, Reset, Step, Stop, Train, WorkerCommand


class Recorder:
    """Collects everything a worker emits, acknowledging each snapshot like the window does."""

    def __init__(self, worker: TrainingWorker) -> None:
        self.states: list[WorkerState] = []
        self.snapshots: list = []
        self.finished: list[str] = []
        self.diverged: list[tuple[str, str]] = []
        self.messages: list[str] = []
        worker.stateChanged.connect(self.states.append)
        worker.yielded.connect(self._snapshot)
        worker.finished.connect(self.finished.append)
        worker.diverged.connect(lambda text, setting: self.diverged.append((text, setting)))
        worker.message.connect(self.messages.append)
        self.worker = worker

    def _snapshot(self, snapshot) -> None:
        self.snapshots.append(snapshot)
        self.worker.snapshot_consumed()


def serve(worker: TrainingWorker, *commands: WorkerCommand) -> None:
    for command in commands:
        worker.submit(command)
    worker.quit()
    worker.run()


def test_steps_train_one_epoch_each_and_always_send_the_state(small_config):
    worker = TrainingWorker(Session(small_config))
    seen = Recorder(worker)
    serve(worker, Step(), Step(), Step())
    assert worker.session.epoch == 3
    assert [s.epoch for s in seen.snapshots] == [1, 2, 3]
    assert seen.states == ["paused"]


def test_train_until_stop_at_then_pause(small_config, run_until_halted):
    worker = TrainingWorker(Session(small_config))
    seen = Recorder(worker)
    worker.submit(Train(5))
    run_until_halted(worker)
    assert worker.session.epoch == 5
    assert seen.states == ["running", "paused"] and seen.finished == ["paused after epoch 5"]
    rows = [r.epoch for s in seen.snapshots for r in s.results]
    assert rows == [1, 2, 3, 4, 5]  # throttled or not, every epoch reaches the window exactly once
    assert seen.snapshots[-1].epoch == 5


def test_run_to_max_epochs_is_done_and_train_again_starts_over(small_config, run_until_halted):
    config = replace(small_config, training=replace(small_config.training, max_epochs=3))
    worker = TrainingWorker(Session(config))
    seen = Recorder(worker)
    worker.submit(Train())
    run_until_halted(worker)
    assert seen.states[-1] == "done" and seen.finished == ["3 epochs done"] and worker.session.epoch == 3
    serve(worker, Step())
    assert worker.session.epoch == 1


def test_live_changes_apply_between_epochs(small_config):
    worker = TrainingWorker(Session(small_config))
    Recorder(worker)
    faster = replace(small_config, training=replace(small_config.training, lr=0.05, batch_size=32))
    serve(worker, Step(), Configure(faster), Step())
    assert worker.session.optimizer.lr == 0.05 and worker.session.trainer.batch_size == 32
    assert worker.session.epoch == 2


def test_architecture_change_resets_and_says_so(small_config):
    worker = TrainingWorker(Session(small_config))
    seen = Recorder(worker)
    wider = replace(small_config, network=replace(small_config.network, seed=99))
    serve(worker, Step(), Configure(wider))
    assert worker.session.epoch == 0 and seen.states[-1] == "ready"
    assert "reset" in seen.messages[-1] or "restarts" in seen.messages[-1]
    assert seen.snapshots[-1].start == 0 and seen.snapshots[-1].epoch == 0


def test_stop_ends_the_run(small_config):
    worker = TrainingWorker(Session(small_config))
    seen = Recorder(worker)
    serve(worker, Step(), Stop())
    assert seen.states[-1] == "stopped" and worker.session.finished


def test_divergence_is_reported_and_training_stops(small_config, run_until_halted):
    from minidl_gui.model.config import LayerConfig

    training = replace(small_config.training, optimizer="sgd", lr=100.0, batch_size=1)
    network = replace(small_config.network, hidden=(LayerConfig(32, "relu"),) * 3, init="normal", init_std=3.0)
    worker = TrainingWorker(Session(replace(small_config, training=training, network=network)))
    seen = Recorder(worker)
    worker.submit(Train())
    run_until_halted(worker)
    (text, setting), *_ = seen.diverged
    assert seen.states[-1] == "diverged" and setting == "lr" and text.endswith("Try a learning rate below 100.")
    assert seen.snapshots[-1].epoch == worker.session.epoch


def test_the_data_goes_out_before_the_state_or_message_that_announces_it(small_config):
    # The window (and every test waiting for "paused" or "done") relies on this order.
    config = replace(small_config, training=replace(small_config.training, max_epochs=4))
    worker = TrainingWorker(Session(config), interval=3600.0)  # throttled: after the first, only forced snapshots
    events: list[tuple] = []
    worker.yielded.connect(lambda snapshot: events.append(("snapshot", snapshot.epoch)))
    worker.stateChanged.connect(lambda state: events.append(("state", state)))
    worker.finished.connect(lambda text: events.append(("finished", text)))
    worker.runEnded.connect(lambda run: events.append(("run ended", run.ended)))
    worker.message.connect(lambda text: events.append(("message", text.split(":")[0])))
    next_commands = [Train(), Reset()]  # each sent when the previous train command finishes

    def go_on(_: str) -> None:
        worker.submit(next_commands.pop(0))
        if not next_commands:
            worker.quit()

    worker.finished.connect(go_on)
    worker.submit(Train(2))
    worker.run()
    assert events == [
        ("state", "running"),
        ("snapshot", 1),
        ("snapshot", 2),
        ("state", "paused"),
        ("finished", "paused after epoch 2"),
        ("state", "running"),
        ("snapshot", 4),
        ("state", "done"),
        ("run ended", "done"),
        ("finished", "4 epochs done"),
        ("snapshot", 0),
        ("state", "ready"),
        ("message", "Reset"),
    ]


def test_an_error_while_training_fails_the_run_and_the_worker_keeps_serving(small_config, monkeypatch):
    worker = TrainingWorker(Session(small_config))
    seen = Recorder(worker)
    errors: list[str] = []
    worker.errored.connect(errors.append)

    def broken_snapshot() -> None:
        raise RuntimeError("no snapshot today")

    monkeypatch.setattr(worker.session, "snapshot", broken_snapshot)
    worker.submit(Train())
    worker.errored.connect(lambda _: worker.submit(Step()))  # still serving commands after the failure
    worker.errored.connect(lambda _: worker.quit())
    worker.run()
    assert seen.states == ["running", "failed"]
    assert errors == ["RuntimeError: no snapshot today"] * 2  # the step trained epoch 2, then failed alike
    assert worker.session.epoch == 2 and torch.is_grad_enabled()  # run() restores the caller's autograd mode


def test_states_go_out_as_worker_state_members(small_config, run_until_halted):
    worker = TrainingWorker(Session(small_config))
    seen = Recorder(worker)
    worker.submit(Train(2))
    run_until_halted(worker)
    assert seen.states == [WorkerState.RUNNING, WorkerState.PAUSED]
    assert all(type(state) is WorkerState for state in seen.states) and worker.state is WorkerState.PAUSED


def test_an_object_that_is_not_a_command_is_reported_and_the_worker_keeps_serving(small_config):
    worker = TrainingWorker(Session(small_config))
    seen = Recorder(worker)
    errors: list[str] = []
    worker.errored.connect(errors.append)
    serve(worker, "train", Step())  # the old string form is no command
    assert errors == ["not a worker command: 'train' (submit one of minidl_gui.worker_commands)"]
    assert worker.session.epoch == 1 and seen.states == [WorkerState.PAUSED]


def test_every_command_class_is_a_worker_command():
    defined = {
        value
        for value in vars(worker_commands).values()
        if isinstance(value, type) and value.__module__ == worker_commands.__name__
    }
    assert defined == set(get_args(WorkerCommand))
