"""Hostile sequences through the window: afterwards every owner of a piece of state agrees — the app state
(UI side), the worker's session, the controls and the last snapshot."""

from __future__ import annotations

import numpy as np
import pytest

from minidl_gui.model.point_edits import AddPoint
from minidl_gui.widgets import file_actions
from minidl_gui.worker_commands import Call, SendSnapshot, Train

TIMEOUT = 20_000


def settle(qtbot, controller) -> None:
    """Wait until the worker served every command queued so far and the window drew a snapshot sent after."""
    served = []
    controller.submit(Call(served.append))
    qtbot.waitUntil(lambda: bool(served), timeout=TIMEOUT)
    shown = controller.window.last_snapshot
    controller.submit(SendSnapshot())
    qtbot.waitUntil(lambda: controller.window.last_snapshot is not shown, timeout=TIMEOUT)


def assert_owners_agree(controller) -> None:
    window, session = controller.window, controller.session
    state = window.app_state
    assert state.config == session.config == window.controls.config()
    assert state.custom_points == session.custom_points == window.controls.data.custom
    assert window.last_snapshot.custom_points == session.custom_points


def test_draw_change_the_data_set_undo_then_edit_the_data_group(qtbot, playground):
    controller = playground()
    window, data = controller.window, controller.window.controls.data
    window.points.request(AddPoint(0.5, 0.5, 1))
    qtbot.waitUntil(lambda: data.custom, timeout=TIMEOUT)
    data.dataset.setCurrentIndex(data.dataset.findData("xor"))  # generated xor points; Ctrl+Z keeps the drawn
    qtbot.waitUntil(lambda: controller.session.config.data.dataset == "xor", timeout=TIMEOUT)
    settle(qtbot, controller)
    assert_owners_agree(controller)
    window.points.undo_action.trigger()  # the drawn points are back, over the xor configuration
    qtbot.waitUntil(lambda: data.custom, timeout=TIMEOUT)
    settle(qtbot, controller)
    assert_owners_agree(controller)
    assert data.config().dataset == "xor"
    data.n_train.setValue(data.n_train.value() + 1)  # generated xor points again
    qtbot.waitUntil(lambda: not data.custom, timeout=TIMEOUT)
    settle(qtbot, controller)
    assert_owners_agree(controller)
    assert data.dataset.currentData() == "xor" and len(window.last_snapshot.train.x) == data.n_train.value()


def test_live_edits_of_rate_schedule_and_optimizer_then_save_and_open(qtbot, playground, tmp_path, monkeypatch):
    controller = playground()
    window, panel = controller.window, controller.window.controls.training
    panel.schedule.setCurrentIndex(panel.schedule.findData("exponential"))
    panel.gamma.setValue(0.9)
    controller.submit(Train(4))
    qtbot.waitUntil(lambda: window.toolbar.state == "paused" and len(window.history) == 4, timeout=TIMEOUT)
    panel.lr.setValue(0.02)
    panel.optimizer.setCurrentIndex(panel.optimizer.findData("sgd"))
    controller.submit(Train(7))
    qtbot.waitUntil(lambda: window.toolbar.state == "paused" and len(window.history) == 7, timeout=TIMEOUT)
    scheduler = controller.session.scheduler
    assert scheduler.base_lr == 0.02 and controller.session.optimizer.lr == pytest.approx(0.02 * 0.9**7)
    path = tmp_path / "run.minidl"
    monkeypatch.setattr(file_actions, "ask_save_path", lambda *_: str(path))
    monkeypatch.setattr(file_actions, "ask_open_path", lambda *_: str(path))
    window.file_actions.save_as.trigger()
    qtbot.waitUntil(lambda: window.app_state.path == path and not window.app_state.modified, timeout=TIMEOUT)
    saved = controller.session
    controller.submit(Train(10))
    qtbot.waitUntil(lambda: window.toolbar.state == "paused" and len(window.history) == 10, timeout=TIMEOUT)
    expected = {name: window.history.column(name).copy() for name in ("train_loss", "lr")}
    with qtbot.waitSignal(controller.files.openFinished, timeout=TIMEOUT) as opened:
        window.file_actions.open.trigger()
    assert opened.args == [True]
    qtbot.waitUntil(lambda: controller.session is not saved and len(window.history) == 7, timeout=TIMEOUT)
    controller.submit(Train(10))
    qtbot.waitUntil(lambda: window.toolbar.state == "paused" and len(window.history) == 10, timeout=TIMEOUT)
    for name, values in expected.items():
        np.testing.assert_array_equal(window.history.column(name), values)
    settle(qtbot, controller)
    assert_owners_agree(controller)
