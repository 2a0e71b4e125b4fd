"""While training the status bar's fields keep a fixed size (`FieldLabel`): a new text of the same width lays nothing
out (before, each update laid out the bar and the whole window), a wider or narrower one resizes its field, as
before; halted, the fields size freely."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

from minidl_gui.model.worker_state import WorkerState
from minidl_gui.widgets.status_bar import TrainingStatusBar

pytestmark = pytest.mark.usefixtures("qapp")


class LayoutRequests(QObject):
    def __init__(self, *watched: QObject) -> None:
        super().__init__()
        self.count = 0
        for widget in watched:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


@pytest.fixture
def window(qtbot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setStatusBar(TrainingStatusBar())
    window.resize(1280, 300)
    window.show()
    qtbot.waitExposed(window)
    settle()
    return window


def test_while_training_a_text_of_the_same_size_lays_nothing_out(window) -> None:
    status = window.statusBar()
    status.set_state(WorkerState.RUNNING)
    settle()
    loss = status.fields["loss"]
    loss.setText("loss train 0.123 · test 0.456")
    settle()
    requests = LayoutRequests(status, window)
    loss.setText("loss train 0.789 · test 0.012")  # digits of one width: the same size
    settle()
    assert requests.count == 0
    loss.setText("loss train 0.789 · test 0.012 and more")  # wider: the field grows, the bar is laid out
    settle()
    assert requests.count > 0
    assert loss.width() == loss.natural_size().width()


def test_fixed_fields_take_the_place_free_ones_do_and_halted_they_are_free_again(window) -> None:
    status = window.statusBar()
    free = {name: label.geometry() for name, label in status.fields.items()}
    status.set_state(WorkerState.RUNNING)
    status.set_state(WorkerState.READY)
    settle()
    assert {name: label.geometry() for name, label in status.fields.items()} == free
    assert all(label.minimumWidth() == 0 and label.maximumWidth() > 10_000 for label in status.fields.values())
    status.set_state(WorkerState.RUNNING)
    settle()
    for name, label in status.fields.items():
        if name not in ("state", "epoch"):  # their texts changed: "Training…", the epoch's least width
            assert label.geometry() == free[name]
        assert label.minimumSize() == label.maximumSize()
