"""`TrainingProcess`: a session trained in the child process records the same epochs, bit for bit, as on this thread;
halting, going on, closing early, diverging and a dead child leave the session consistent (history = trainer)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from minidl.training import EpochProgress, TrainingDiverged
from minidl_gui.model.epoch_records import EpochRecord
from minidl_gui.model.session import Session
from minidl_gui.training_process import TrainingProcess, TrainingProcessError
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
    # run() returns once the child too has closed its inherited stdout and stderr: when it has ended.
    parent = subprocess.run([sys.executable, "-c", PARENT], capture_output=True, text=True, timeout=120, check=True)
    pid = int(parent.stdout.split()[-1])
    assert not _running(pid), "the orphaned child trains on for nobody"
    assert parent.stderr == "", "no traceback from the child: a broken pipe is its cue to go"


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
