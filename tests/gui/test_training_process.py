"""`TrainingProcess`: a session trained in the child process records the same epochs, bit for bit, as on this thread;
halting, going on, closing early, diverging and a dead child leave the session consistent (history = trainer)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace

import pytest
import torch

from minidl.training import EpochProgress, TrainingDiverged
from minidl_gui.model.epoch_records import EpochRecord
from minidl_gui.model.session import Session
from minidl_gui.training_process import TrainingProcess, TrainingProcessError, _loaded, _saved
from tests.gui.conftest import SMALL

TIMINGS = ("elapsed", "steps_per_second")
CONFIG = SMALL.replace(training=replace(SMALL.training, batch_size=10, max_epochs=5))


@pytest.fixture(scope="module")
def process() -> Iterator[TrainingProcess]:
    """One child for the module (it takes a second or two to import torch)."""
    process = TrainingProcess()
    process.start()
    yield process
    process.close()
    assert not process.alive


def untimed(record) -> tuple:
    return tuple(value for name, value in vars(record).items() if name not in TIMINGS)


def rows(session: Session) -> list[tuple]:
    return [untimed(record) for record in session.history.records]


def assert_same_state(ours: Session, theirs: Session) -> None:
    a, b = ours.trainer.state_dict(), theirs.trainer.state_dict()
    for name in a["model"]:
        assert torch.equal(a["model"][name], b["model"][name]), name
    assert torch.equal(a["generator_state"], b["generator_state"]), "the next epochs' mini-batches differ"
    state_a, state_b = a["optimizer"]["state"], b["optimizer"]["state"]
    assert str(state_a) == str(state_b)
    assert (a["epoch"], a["batch_size"]) == (b["epoch"], b["batch_size"])


def local(config=CONFIG, epochs: int | None = None) -> Session:
    session = Session(config)
    with torch.no_grad():
        for record in session.epochs():
            if record.epoch == epochs:
                break
    return session


def test_a_run_in_the_process_is_the_run_on_this_thread_bit_for_bit(process):
    remote = Session(CONFIG)
    items = list(remote.epochs(0.0, process=process))  # a pause after every step: many messages
    assert any(isinstance(item, EpochProgress) for item in items)
    records = [item for item in items if isinstance(item, EpochRecord)]
    assert [record.epoch for record in records] == [1, 2, 3, 4, 5]
    assert all(len(record.gradient_norms) == 3 for record in records), "the child computes the gradient norms"
    mine = local()
    assert rows(remote) == rows(mine)
    assert_same_state(remote, mine)
    assert remote.trainer.elapsed == records[-1].elapsed
    assert not process.halted, "the run ended: max_epochs"


def test_a_run_halted_at_stop_at_goes_on_as_if_it_never_stopped(process):
    remote = Session(CONFIG)
    assert [r.epoch for r in remote.epochs(process=process, stop_at=2)] == [1, 2]
    assert process.halted and remote.epoch == 2
    assert_same_state(remote, local(epochs=2))
    assert [r.epoch for r in remote.epochs(process=process)] == [3, 4, 5]
    mine = local()
    assert rows(remote) == rows(mine)
    assert_same_state(remote, mine)


def test_a_halt_asked_for_ends_the_run_after_an_epoch_and_every_epoch_is_taken(process):
    remote = Session(CONFIG)
    epochs = remote.epochs(process=process)
    first = next(epochs)
    process.request_halt()
    rest = list(epochs)
    assert process.halted
    assert [r.epoch for r in (first, *rest)] == list(range(1, remote.epoch + 1))
    assert remote.epoch < 5 and len(remote.history) == remote.epoch
    assert_same_state(remote, local(epochs=remote.epoch))


def test_closing_early_keeps_the_epochs_the_child_trained_meanwhile(process):
    remote = Session(CONFIG)
    epochs = remote.epochs(process=process)
    next(epochs)
    epochs.close()
    assert remote.epoch >= 1 and len(remote.history) == remote.epoch, "the unseen records went into the history"
    mine = local(epochs=remote.epoch)
    assert rows(remote) == rows(mine)
    assert_same_state(remote, mine)
    assert remote.progress == (0, 0)


def test_weights_come_when_asked_for_and_are_the_model_at_that_item(process):
    remote = Session(CONFIG)
    epochs = remote.epochs(process=process)
    assert next(epochs).epoch == 1 and not process.fresh_weights
    process.request_weights()
    record = next(epochs)
    assert process.fresh_weights and record.epoch == 2
    weights = remote.model.state_dict()
    mine = local(epochs=2).model.state_dict()
    assert all(torch.equal(weights[name], mine[name]) for name in mine)
    assert next(epochs).epoch == 3 and not process.fresh_weights, "once per request"
    epochs.close()


def test_a_diverging_run_raises_as_on_this_thread_with_the_last_finite_weights(process):
    config = CONFIG.replace(training=replace(CONFIG.training, optimizer="sgd", lr=100.0, batch_size=1))
    remote, mine = Session(config), Session(config)
    with pytest.raises(TrainingDiverged) as theirs:
        list(remote.epochs(process=process))
    with pytest.raises(TrainingDiverged) as ours, torch.no_grad():
        list(mine.epochs())
    assert str(theirs.value) == str(ours.value)
    assert theirs.value.setting == ours.value.setting
    assert rows(remote) == rows(mine)
    assert_same_state(remote, mine)


def test_a_child_that_dies_fails_the_run_and_puts_the_session_back_where_it_began(process):
    remote = Session(CONFIG)
    list(remote.epochs(process=process, stop_at=1))
    before = remote.trainer.state_dict()
    epochs = remote.epochs(process=process)
    next(epochs)
    process._process.kill()  # noqa: SLF001 - a crash, as the OOM killer would
    with pytest.raises(TrainingProcessError, match=r"ended unexpectedly .*back at epoch 1"):
        list(epochs)
    assert remote.epoch == 1 and len(remote.history) == 1, "the rows of the lost stretch are gone with it"
    after = remote.trainer.state_dict()
    assert all(torch.equal(before["model"][name], after["model"][name]) for name in before["model"])
    assert not process.alive
    assert [r.epoch for r in remote.epochs(process=process, stop_at=2)] == [2], "a new child takes over"
    assert_same_state(remote, local(epochs=2))


def test_a_child_that_dies_while_a_closed_run_halts_leaves_the_rows_with_the_trainer(process):
    config = CONFIG.replace(training=replace(CONFIG.training, batch_size=1, max_epochs=100_000))
    remote = Session(config)
    list(remote.epochs(process=process, stop_at=1))
    epochs = remote.epochs(process=process)
    assert next(epochs).epoch == 2
    assert remote.capture().start == 0  # the window gets rows 1 and 2
    process._process.kill()  # noqa: SLF001 - as the run is closed (the worker failing for another reason)
    epochs.close()  # the halt finds the child dead: the trainer goes back to where the run began
    assert remote.epoch == 1 and len(remote.history) == 1, "no row of an epoch the trainer did not keep"
    assert remote.capture().start == 1, "the window is told to drop the row it was sent of that stretch"


def test_a_trainer_that_cannot_be_sent_fails_the_run_at_once_and_the_child_serves_on(process):
    session = Session(CONFIG)
    session.trainer.unpicklable = lambda: None  # pickle refuses a lambda: nothing is sent to the child
    with pytest.raises(TrainingProcessError, match=r"could not be sent to the training process: .*lambda"):
        list(session.epochs(process=process))  # hung before: waiting for the end of a run that never began
    assert session.epoch == 0 == len(session.history)
    del session.trainer.unpicklable
    assert [r.epoch for r in session.epochs(process=process, stop_at=1)] == [1], "the child serves the next run"


def test_a_network_with_input_features_trains_there_bit_for_bit(process):
    config = CONFIG.replace(network=replace(CONFIG.network, features=("x1", "x2", "x1^2", "x1*x2", "sin(x2)")))
    remote = Session(config)
    assert [r.epoch for r in remote.epochs(process=process, stop_at=2)] == [1, 2]
    mine = local(config, epochs=2)
    assert rows(remote) == rows(mine)
    assert_same_state(remote, mine)


def test_a_trainer_goes_there_without_the_tensors_of_its_last_forward_pass(process):
    # Each layer keeps its last forward pass's input or output for a backward that never comes between epochs: after
    # a snapshot (the grid: resolution² points) or an epoch trained here (the whole training set) that is most of
    # the trainer — 180 of 200 MB for the largest network and data set the app allows, ~1 s on every run start.
    session = Session(CONFIG)
    list(session.epochs(process=process, stop_at=1))
    sent = len(_saved(session.trainer))
    session.snapshot()
    with torch.no_grad():
        next(iter(session.trainer.run()))  # an epoch here too: the loss keeps its inputs
    assert session.trainer.epoch == 2
    saved = _saved(session.trainer)
    assert len(saved) < 1.5 * sent, "(its last finite state, kept by an epoch trained here, adds ~10 %)"
    theirs = _loaded(saved)
    assert all(getattr(module, name, None) is None for module in theirs.model for name in ("_input", "_output"))
    assert [r.epoch for r in session.epochs(process=process, stop_at=3)] == [3]
    session.history.truncate(0)  # the rows are not what is compared (one epoch was trained without a record)
    mine = local(epochs=3)
    assert_same_state(session, mine)


def test_closing_ends_the_child_at_once_whatever_it_does():
    # Exiting by itself took it 0.7-0.9 s (the interpreter's teardown with torch loaded) and 2 s while it still
    # imported torch (then it was killed): a window that closed waited that long.
    process = TrainingProcess()
    list(Session(CONFIG).epochs(process=process, stop_at=1))  # a run ended: the child waits for the next
    idle = process._process  # noqa: SLF001
    process.close()
    process.start()  # importing torch
    importing = process._process  # noqa: SLF001
    process.close()
    for child in (idle, importing):
        assert child.returncode == -signal.SIGKILL, "not waited for: it keeps nothing the window's process lacks"
    assert not process.alive and process.pid is None


PARENT = """
import os, sys
from dataclasses import replace
from minidl_gui.model.session import Session
from minidl_gui.training_process import TrainingProcess
from tests.gui.conftest import SMALL
config = SMALL.replace(training=replace(SMALL.training, batch_size=1, max_epochs=100000))
process = TrainingProcess()
epochs = Session(config).epochs(process=process)
next(epochs)
print(process.pid, flush=True)
os._exit(0)  # gone without closing anything, as a crashed window
"""


def test_a_child_whose_parent_died_ends_too_quietly():
    # run() returns once the child too has closed its inherited stdout and stderr: when it is ending. It still runs
    # for a few milliseconds then (the kernel closes a process's files before it becomes a zombie): waited for.
    parent = subprocess.run([sys.executable, "-c", PARENT], capture_output=True, text=True, timeout=120, check=True)
    pid = int(parent.stdout.split()[-1])
    assert _ends(pid, within=60), "the orphaned child trains on for nobody"
    assert parent.stderr == "", "no traceback from the child: a broken pipe is its cue to go"


def _ends(pid: int, within: float) -> bool:
    """The process ``pid`` has ended (a zombie, or gone), or ends within ``within`` seconds: its pidfd becomes
    readable when it exits."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([pidfd], [], [], within)[0])
    finally:
        os.close(pidfd)
