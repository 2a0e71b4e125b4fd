"""What a user notices (issue #8): exit codes, presets, run labels, readouts, shortcuts, the runs' memory."""

from __future__ import annotations

import gc
import weakref
from dataclasses import replace

import numpy as np
import pytest
import torch
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QSpinBox

from minidl_gui.launch import ScriptedRun
from minidl_gui.model.config import LayerConfig
from minidl_gui.model.point_edits import AddPoint
from minidl_gui.model.presets import preset
from minidl_gui.widgets.main_window import DEFAULT_SIZE
from minidl_gui.worker_commands import Pause, Train

TIMEOUT = 20_000


def diverging(config):
    training = replace(config.training, optimizer="sgd", lr=10.0, batch_size=1)
    network = replace(config.network, hidden=(LayerConfig(32, "relu"),) * 3, init="normal", init_std=3.0)
    return replace(config, training=training, network=network)


def test_a_diverged_run_is_listed_and_cannot_be_stopped(qtbot, playground, small_config):
    controller = playground(diverging(small_config))
    window = controller.window
    controller.submit(Train())
    qtbot.waitUntil(lambda: window.toolbar.state == "diverged" and len(window.runs.log) == 1, timeout=TIMEOUT)
    assert window.runs.table.item(0, 6).text() == "diverged"
    assert not window.findChild(QAbstractButton, "stopButton").isEnabled()


def test_a_run_continued_after_diverging_keeps_one_row_that_says_both(qtbot, playground, small_config):
    training = replace(small_config.training, optimizer="sgd", lr=100.0, max_epochs=4)
    controller = playground(replace(small_config, training=training))
    window, runs = controller.window, controller.window.runs
    controller.submit(Train())
    qtbot.waitUntil(lambda: window.toolbar.state == "diverged" and len(runs.log) == 1, timeout=TIMEOUT)
    calmer = replace(window.config().training, lr=1e-4)
    window.controls.training.lr.setValue(calmer.lr)  # the user lowers the learning rate and trains on
    qtbot.waitUntil(lambda: controller.session.config.training.lr == calmer.lr, timeout=TIMEOUT)
    controller.submit(Train())
    qtbot.waitUntil(lambda: window.toolbar.state == "done", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: runs.log[-1].epochs == 4, timeout=TIMEOUT)
    assert len(runs.log) == runs.table.rowCount() == 1  # one run, one curve: not a second, overlapping row
    assert runs.table.item(0, 6).text() == "diverged → done" and runs.table.item(0, 4).text() == "4"
    assert runs.log[0].number == 1 and len(runs.overlays.items) == 1


def test_a_done_run_trained_on_with_more_epochs_keeps_its_row_and_says_done(qtbot, playground, small_config):
    controller = playground(replace(small_config, training=replace(small_config.training, max_epochs=2)))
    window, runs = controller.window, controller.window.runs
    controller.submit(Train())
    qtbot.waitUntil(lambda: window.toolbar.state == "done" and len(runs.log) == 1, timeout=TIMEOUT)
    window.controls.training.max_epochs.setValue(4)
    qtbot.waitUntil(lambda: controller.session.config.training.max_epochs == 4, timeout=TIMEOUT)
    controller.submit(Train())
    qtbot.waitUntil(lambda: window.toolbar.state == "done" and runs.log[-1].epochs == 4, timeout=TIMEOUT)
    assert runs.table.rowCount() == 1 and runs.table.item(0, 6).text() == "done"


@pytest.mark.parametrize(("scripted", "code"), [(False, 0), (True, 1)])
def test_only_a_scripted_run_exits_1_after_a_divergence(qtbot, playground, small_config, scripted, code):
    controller = playground(diverging(small_config))
    script = ScriptedRun(controller, autostart=scripted, quit_after_epochs=None, screenshot=None)
    seen = Recorder(controller)  # queued after the script's own slot: once it has seen it, so has the script
    controller.worker.diverged.connect(seen.record, Qt.ConnectionType.QueuedConnection)
    if not scripted:
        controller.submit(Train())  # the user pressed Train
    qtbot.waitUntil(lambda: bool(seen.texts), timeout=TIMEOUT)
    assert script.exit_code == code


class Recorder(QObject):
    """Records the texts of a signal it is connected to, in the UI thread."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.texts: list[str] = []

    @Slot(str, str)
    def record(self, text: str, _setting: str = "") -> None:
        self.texts.append(text)


def click(qtbot, window, name: str) -> None:
    button = window.findChild(QAbstractButton, name)
    assert button is not None and button.isEnabled(), f"{name} is missing or disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("mess", ["trained", "drawn", "reinitialised"])
def test_a_preset_starts_its_experiment_from_scratch(qtbot, playground, mess):
    config = preset("report-sgd")
    fresh = playground(config)
    controller = playground(config)
    window = controller.window
    if mess == "drawn":
        window.points.request(AddPoint(0.1, 0.2, 1))
    elif mess == "reinitialised":
        click(qtbot, window, "reinitialiseButton")
        qtbot.waitUntil(lambda: controller.session.config != config, timeout=TIMEOUT)
    controller.submit(Train(2))
    qtbot.waitUntil(lambda: window.toolbar.state == "paused" and len(window.history) == 2, timeout=TIMEOUT)
    click(qtbot, window, "reportSgdPresetButton")
    qtbot.waitUntil(lambda: "from scratch" in window.statusBar().currentMessage(), timeout=TIMEOUT)
    session, snapshot, expected = controller.session, window.last_snapshot, fresh.window.last_snapshot
    assert session.config == config and window.config() == config and snapshot.epoch == 0
    assert window.toolbar.state == "ready" and len(window.history) == 0
    for ours, theirs in zip(
        (*session.train_data, *session.test_data), (*fresh.session.train_data, *fresh.session.test_data), strict=True
    ):
        assert torch.equal(ours, theirs)
    assert snapshot.weights.keys() == expected.weights.keys()
    for name, weights in snapshot.weights.items():
        np.testing.assert_array_equal(weights, expected.weights[name], err_msg=name)


def test_a_run_whose_optimizer_changed_mid_way_is_labelled_so(qtbot, playground, small_config):
    controller = playground(small_config)  # Adam
    window = controller.window
    controller.submit(Train(3))
    qtbot.waitUntil(lambda: window.toolbar.state == "paused" and len(window.history) == 3, timeout=TIMEOUT)
    optimizer = window.controls.training.optimizer
    optimizer.setCurrentIndex(optimizer.findData("sgd"))
    qtbot.waitUntil(lambda: controller.session.config.training.optimizer == "sgd", timeout=TIMEOUT)
    controller.submit(Train(5))
    qtbot.waitUntil(lambda: window.toolbar.state == "paused" and len(window.history) == 5, timeout=TIMEOUT)
    click(qtbot, window, "stopButton")
    qtbot.waitUntil(lambda: len(window.runs.log) == 1, timeout=TIMEOUT)
    cell = window.runs.table.item(0, 1)
    assert "Adam lr 0.01 → SGD lr 0.01" in cell.text()
    assert "after epoch 3" in cell.toolTip() and "SGD" in cell.toolTip()


def test_a_run_is_labelled_with_what_it_trained_with_from_its_first_epoch(small_config):
    from minidl_gui.model.saved_session import ended_run
    from minidl_gui.model.session import Session

    session = Session(small_config)
    training = replace(small_config.training, optimizer="sgd", momentum=0.0)
    session.configure(small_config.replace(training=training))  # before the first epoch: not a change
    epochs = session.epochs()
    next(epochs), next(epochs)
    session.configure(small_config.replace(training=replace(training, lr=0.1)))
    next(epochs)
    epochs.close()
    run = ended_run(session, "stopped")
    assert "Adam" not in run.summary and "SGD lr 0.01 → SGD lr 0.1" in run.summary
    assert run.changes == ("after epoch 2: SGD lr 0.01 → SGD lr 0.1",)


def test_the_curve_readout_never_resizes_the_plots(qtbot, playground):
    window = playground().window
    assert (window.width(), window.height()) == DEFAULT_SIZE
    settle_layouts()
    width = window.decision.width()
    longest = "epoch 100000 · loss train 1.234e-05 test 1.234e-05 · accuracy train 100.0 % test 100.0 %"
    window.curves.readout.setText(longest)
    settle_layouts()
    assert window.decision.width() == width
    assert window.curves.readout.toolTip() == longest  # what a narrow panel cuts off is in the tooltip


def settle_layouts() -> None:
    """Let the nested layouts (label, tab, splitter, window) each take the posted layout requests."""
    for _ in range(10):
        QApplication.processEvents()


def test_space_and_esc_train_pause_and_stop_even_from_a_spin_box(qtbot, playground):
    controller = playground()
    window = controller.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT)
    spin = window.findChild(QSpinBox, "batchSizeSpin")
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus, timeout=TIMEOUT)
    text = spin.text()
    qtbot.keyClick(spin, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.toolbar.state == "running", timeout=TIMEOUT)
    qtbot.keyClick(spin, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.toolbar.state == "paused", timeout=TIMEOUT)
    qtbot.keyClick(spin, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.toolbar.state == "stopped", timeout=TIMEOUT)
    assert spin.text() == text and spin.hasFocus()


def test_only_the_latest_runs_keep_their_state_and_a_dropped_one_says_so(qtbot, playground, small_config, tmp_path):
    settings = QSettings(str(tmp_path / "kept.ini"), QSettings.Format.IniFormat)
    settings.setValue("restorableRuns", 2)
    controller = playground(replace(small_config, training=replace(small_config.training, max_epochs=3)))
    window, runs = controller.window, controller.window.runs
    window.restore_settings(settings, config=False)
    for count in (1, 2, 3):
        controller.submit(Train())
        qtbot.waitUntil(lambda c=count: window.toolbar.state == "done" and len(runs.log) == c, timeout=TIMEOUT)
        if count == 1:
            first_state = weakref.ref(runs.log[0].saved)
    assert [run.saved is not None for run in runs.log] == [False, True, True]
    gc.collect()
    assert first_state() is None, "a dropped state must be freed, not kept by the run's overlay curve"
    assert "run 1" in window.statusBar().currentMessage()
    assert "dropped" in runs.table.item(0, 0).toolTip()
    runs.select([runs.log[0]])
    assert not runs.restore_button.isEnabled() and runs.table.rowCount() == 3
    runs.select([runs.log[1]])
    assert runs.restore_button.isEnabled()
    window.save_settings(settings)
    assert int(settings.value("restorableRuns")) == 2


def test_holding_space_trains_without_flickering_between_train_and_pause(qtbot, playground):
    controller = playground()
    window = controller.window
    asked: list[str] = []
    window.toolbar.trainRequested.connect(lambda: asked.append("train"))
    window.toolbar.pauseRequested.connect(lambda: asked.append("pause"))
    spin = window.findChild(QSpinBox, "batchSizeSpin")
    spin.setFocus()
    text = spin.text()
    for repeated in (False, True, True, True):  # the key goes down, then the keyboard repeats it
        press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ", repeated)
        QApplication.sendEvent(window.windowHandle(), press)  # as the platform delivers keys: shortcuts first
        QApplication.processEvents()
    qtbot.waitUntil(lambda: window.toolbar.state == "running", timeout=TIMEOUT)
    assert asked == ["train"] and spin.text() == text
    controller.submit(Pause())
    qtbot.waitUntil(lambda: window.toolbar.state == "paused", timeout=TIMEOUT)
