"""The toolbar and the status bar show every `WorkerState` the worker can send, with the words users know."""

from __future__ import annotations

import pytest

from minidl_gui.model.worker_state import WorkerState
from minidl_gui.widgets.status_bar import TrainingStatusBar
from minidl_gui.widgets.toolbar import TrainingToolbar

LABELS = {
    WorkerState.READY: "Ready",
    WorkerState.RUNNING: "Training…",
    WorkerState.PAUSED: "Paused",
    WorkerState.DONE: "Done",
    WorkerState.STOPPED: "Stopped",
    WorkerState.DIVERGED: "Diverged",
    WorkerState.FAILED: "Error",
}


@pytest.mark.parametrize("state", list(WorkerState))
def test_each_state_has_its_label_and_buttons(qtbot, state: WorkerState):
    toolbar, status = TrainingToolbar(), TrainingStatusBar()
    qtbot.addWidget(toolbar)
    qtbot.addWidget(status)
    toolbar.set_state(state)
    status.set_state(state)
    assert status.fields["state"].text() == LABELS[state]
    assert toolbar.state is state
    assert toolbar.train.text() == ("Pause" if state is WorkerState.RUNNING else "Train")
    assert toolbar.step.isEnabled() == (state is not WorkerState.RUNNING)
    assert toolbar.stop.isEnabled() == (state in (WorkerState.RUNNING, WorkerState.PAUSED))


def test_a_state_is_the_word_a_run_record_uses():
    words = ["ready", "running", "paused", "done", "stopped", "diverged", "failed"]
    assert [str(state) for state in WorkerState] == [state.value for state in WorkerState] == words
    assert f"{WorkerState.DIVERGED} → reset" == "diverged → reset"
