"""Opening and importing off the UI thread: the window stays responsive, one load at a time, Cancel and
closing the window mid-load drop the load safely.

A slow load is a loader blocked on a `threading.Event` the test releases (nothing here sleeps or times).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import torch
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

import minidl_gui.session_files
import minidl_gui.widgets.data_actions
from minidl.data import save_points
from minidl_gui.model.session import Session
from minidl_gui.model.session_file import save_session
from minidl_gui.model.session_io import capture_session
from minidl_gui.worker_commands import Pause, SendSnapshot, Train

TIMEOUT = 20_000


class Gate:
    """Wraps a loader so that it blocks until ``release()``; ``threads`` are the threads it ran on."""

    def __init__(self, loader: Callable) -> None:
        self.loader, self.released, self.entered = loader, threading.Event(), threading.Event()
        self.threads: list[threading.Thread] = []

    def __call__(self, *args: object) -> object:
        self.threads.append(threading.current_thread())
        self.entered.set()
        assert self.released.wait(TIMEOUT / 1000), "the test never released the load"
        return self.loader(*args)

    def release(self) -> None:
        self.released.set()


@pytest.fixture
def session_file(tmp_path, small_config):
    """A session file saved at epoch 2."""
    session = Session(small_config)
    for result in session.epochs():
        if result.epoch == 2:
            break
    path = tmp_path / "saved.minidl"
    save_session(path, capture_session(session))
    return path


@pytest.fixture
def points_file(tmp_path):
    path = tmp_path / "points.csv"
    save_points(path, torch.tensor([[0.1, 0.1], [0.2, 0.9], [0.8, 0.2], [0.9, 0.9]]), torch.tensor([[0.0], [1.0]] * 2))
    return path


def gate(monkeypatch, module, name: str) -> Gate:
    blocked = Gate(getattr(module, name))
    monkeypatch.setattr(module, name, blocked)
    return blocked


def progress_dialog(window) -> QProgressDialog | None:
    dialog = window.findChild(QProgressDialog, "loadProgressDialog")
    return dialog if dialog is not None and dialog.isVisible() else None


def test_the_ui_thread_serves_events_while_a_session_is_read_and_a_second_load_is_refused(
    qtbot, playground, monkeypatch, session_file, points_file
):
    controller = playground()
    window, files = controller.window, controller.files
    blocked = gate(monkeypatch, minidl_gui.session_files, "load_session")
    assert files.open(session_file)
    assert blocked.entered.wait(TIMEOUT / 1000) and blocked.threads[0] is not threading.main_thread()
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(window.loads.busy))
    qtbot.waitUntil(lambda: fired == [True], timeout=TIMEOUT)  # the event loop ran while the file was read
    qtbot.waitUntil(lambda: progress_dialog(window) is not None, timeout=TIMEOUT)  # shown: the load takes long
    assert "Opening saved.minidl" in progress_dialog(window).labelText()

    assert not files.open(session_file)  # one load at a time
    assert not window.points.import_points(points_file)
    assert "still in progress" in window.status.currentMessage() and len(blocked.threads) == 1

    with qtbot.waitSignal(files.openFinished, timeout=TIMEOUT) as opened:
        blocked.release()
    assert opened.args == [True] and not window.loads.busy and progress_dialog(window) is None
    assert files.path == session_file and "Opened" in window.status.currentMessage()
    qtbot.waitUntil(lambda: window.last_snapshot.epoch == 2 and window.toolbar.state == "paused", timeout=TIMEOUT)


def test_training_goes_on_while_a_session_opens_then_the_opened_session_replaces_it(
    qtbot, playground, monkeypatch, session_file
):
    controller = playground()
    window = controller.window
    blocked = gate(monkeypatch, minidl_gui.session_files, "load_session")
    controller.submit(Train())
    qtbot.waitUntil(lambda: window.toolbar.state == "running", timeout=TIMEOUT)
    assert controller.files.open(session_file)
    epochs = len(window.history)
    qtbot.waitUntil(lambda: len(window.history) >= epochs + 3, timeout=TIMEOUT)  # trained on, shown, meanwhile
    assert window.loads.busy
    with qtbot.waitSignal(controller.files.openFinished, timeout=TIMEOUT) as opened:
        blocked.release()
    assert opened.args == [True]
    qtbot.waitUntil(lambda: window.toolbar.state == "paused" and window.last_snapshot.epoch == 2, timeout=TIMEOUT)
    assert controller.session.epoch == 2 and len(window.history) == 2


def test_cancel_drops_the_import_and_keeps_the_points(qtbot, playground, monkeypatch, points_file):
    controller = playground()
    window = controller.window
    blocked = gate(monkeypatch, minidl_gui.widgets.data_actions, "read_points")
    outcomes: list[bool] = []
    window.points.importFinished.connect(outcomes.append)
    version = window.last_snapshot.data_version
    assert window.points.import_points(points_file)
    qtbot.waitUntil(lambda: progress_dialog(window) is not None, timeout=TIMEOUT)
    cancel = progress_dialog(window).findChild(QPushButton)
    assert cancel.text() == "Cancel"
    with qtbot.waitSignal(window.loads.finished, timeout=TIMEOUT):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not window.loads.busy and "cancelled" in window.status.currentMessage()
    blocked.release()
    qtbot.waitUntil(lambda: not blocked.threads[0].is_alive(), timeout=TIMEOUT)
    QApplication.processEvents()  # whatever the finished thread posted is delivered (and dropped)
    before = window.last_snapshot
    controller.submit(SendSnapshot())
    qtbot.waitUntil(lambda: window.last_snapshot is not before, timeout=TIMEOUT)
    assert outcomes == [] and window.last_snapshot.data_version == version
    assert len(window.last_snapshot.train.x) == 200 and not window.controls.data.custom
    with qtbot.waitSignal(window.points.importFinished, timeout=TIMEOUT) as second:  # the next import works
        assert window.points.import_points(points_file)
    assert second.args == [True]


def test_closing_the_window_mid_load_neither_hangs_nor_crashes(qtbot, playground, monkeypatch, points_file):
    controller = playground()
    window = controller.window
    blocked = gate(monkeypatch, minidl_gui.widgets.data_actions, "read_points")
    outcomes: list[bool] = []
    window.points.importFinished.connect(outcomes.append)
    assert window.points.import_points(points_file)
    assert blocked.entered.wait(TIMEOUT / 1000)
    window.close()  # returns although the helper thread is still blocked
    assert controller.thread.isFinished() and blocked.threads[0].is_alive() and not window.loads.busy
    blocked.release()
    qtbot.waitUntil(lambda: not blocked.threads[0].is_alive(), timeout=TIMEOUT)
    QApplication.processEvents()
    assert outcomes == []


def test_esc_in_the_progress_dialog_cancels_the_load_only(qtbot, playground, monkeypatch, points_file):
    controller = playground()
    window = controller.window
    blocked = gate(monkeypatch, minidl_gui.widgets.data_actions, "read_points")
    controller.submit(Train())
    qtbot.waitUntil(lambda: window.toolbar.state == "running", timeout=TIMEOUT)
    assert window.points.import_points(points_file)
    qtbot.waitUntil(lambda: progress_dialog(window) is not None, timeout=TIMEOUT)
    dialog = progress_dialog(window)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=TIMEOUT)
    with qtbot.waitSignal(window.loads.finished, timeout=TIMEOUT):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    blocked.release()
    assert "cancelled" in window.status.currentMessage() and window.toolbar.state == "running"
    controller.submit(Pause())
    qtbot.waitUntil(lambda: window.toolbar.state == "paused", timeout=TIMEOUT)
