"""The window end to end (headless): widgets → worker thread → plots, button states, close, settings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QAbstractButton, QComboBox, QDoubleSpinBox, QSpinBox, QToolButton

from minidl_gui.launch import create_window, dispose
from minidl_gui.model.app_state import UNSAVED
from minidl_gui.model.config import Config, LayerConfig
from minidl_gui.plots.curves import CurvesView
from minidl_gui.plots.decision_plot import DecisionPlot
from minidl_gui.widgets.main_window import MainWindow
from minidl_gui.worker_commands import Train

TIMEOUT = 20_000


def find(window, cls, name):
    widget = window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name!r}"
    return widget


def click(qtbot, window, name):
    button = find(window, QAbstractButton, name)
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(window, name, data):
    box = find(window, QComboBox, name)
    box.setCurrentIndex(box.findData(data))


def test_settings_chosen_in_the_widgets_train_and_fill_the_plots(qtbot, playground):
    controller = playground()
    window = controller.window
    choose(window, "datasetCombo", "xor")
    find(window, QSpinBox, "batchSizeSpin").setValue(8)
    click(qtbot, window, "addLayerButton")
    qtbot.waitUntil(lambda: controller.session.config.data.dataset == "xor", timeout=TIMEOUT)
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: len(window.history) >= 5, timeout=TIMEOUT)
    click(qtbot, window, "trainButton")  # now "Pause"
    qtbot.waitUntil(lambda: window.toolbar.state == "paused", timeout=TIMEOUT)
    session = controller.session
    assert session.trainer.batch_size == 8 and len(session.config.network.hidden) == 3
    curves = find(window, CurvesView, "curvesView")
    x, y = curves.curves["train_loss"].getData()
    assert len(x) == len(window.history) and np.all(np.isfinite(y))
    decision = find(window, DecisionPlot, "decisionPlot")
    assert decision.image.image.shape[:2] == (100, 100)  # RGBA pixels
    assert len(decision.train_points.data) == session.config.data.n_train
    assert find(window, QToolButton, "trainButton").text() == "Train"
    assert "epoch" in window.status.fields["epoch"].text()


def test_report_adam_preset_reaches_95_percent_test_accuracy(qtbot, playground):
    controller = playground()
    window = controller.window
    click(qtbot, window, "reportAdamPresetButton")
    qtbot.waitUntil(lambda: controller.session.config.data.n_train == 1000, timeout=TIMEOUT)
    controller.submit(Train(30))
    qtbot.waitUntil(lambda: window.toolbar.state == "paused", timeout=60_000)
    assert len(window.history) == 30  # the last epoch arrived before the state that announces it
    assert np.nanmax(window.history.column("test_accuracy")) >= 0.95


def test_step_pause_resume_and_reset(qtbot, playground):
    controller = playground()
    window, worker = controller.window, controller.worker
    initial = window.last_snapshot.weights
    for expected in (1, 2):
        click(qtbot, window, "stepButton")
        qtbot.waitUntil(
            lambda e=expected: window.toolbar.state == "paused" and len(window.history) == e, timeout=TIMEOUT
        )
        assert window.last_snapshot.epoch == expected == worker.session.epoch
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: window.toolbar.state == "running", timeout=TIMEOUT)
    assert not find(window, QToolButton, "stepButton").isEnabled()
    assert find(window, QToolButton, "trainButton").text() == "Pause"
    qtbot.waitUntil(lambda: len(window.history) >= 4, timeout=TIMEOUT)
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: window.toolbar.state == "paused", timeout=TIMEOUT)
    paused_at = controller.session.epoch
    assert len(window.history) == paused_at >= 4
    click(qtbot, window, "trainButton")  # resume: continues, no reset
    qtbot.waitUntil(lambda: len(window.history) >= paused_at + 2, timeout=TIMEOUT)
    assert window.history.column("epoch")[0] == 1
    click(qtbot, window, "resetButton")
    click(qtbot, window, "trainButton")  # pause
    qtbot.waitUntil(lambda: window.toolbar.state == "paused", timeout=TIMEOUT)
    click(qtbot, window, "resetButton")
    qtbot.waitUntil(lambda: window.toolbar.state == "ready", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.last_snapshot.epoch == 0, timeout=TIMEOUT)
    assert len(window.history) == 0
    for name, weight in initial.items():
        np.testing.assert_array_equal(window.last_snapshot.weights[name], weight)


def test_live_learning_rate_reaches_the_running_optimizer(qtbot, playground):
    controller = playground()
    window = controller.window
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: len(window.history) >= 3, timeout=TIMEOUT)
    find(window, QDoubleSpinBox, "learningRateSpin").setValue(0.002)
    qtbot.waitUntil(lambda: controller.session.optimizer.lr == 0.002, timeout=TIMEOUT)
    epoch = controller.session.epoch
    qtbot.waitUntil(lambda: len(window.history) > epoch + 1, timeout=TIMEOUT)
    assert window.toolbar.state == "running" and window.history.column("epoch")[0] == 1  # no reset
    assert window.history.column("lr")[-1] == 0.002


def test_a_learning_rate_changed_under_a_schedule_is_scheduled_from_the_next_epoch(qtbot, playground):
    """Issue #9: with an exponential schedule (gamma 0.5), lr 0.01 → 0.02 after epoch 3 trained epoch 4 at 0.02,
    undecayed. The schedule owns the rate: epoch 4 trains at 0.02 · 0.5³ = 0.0025."""
    controller = playground()
    window = controller.window
    assert controller.session.config.training.lr == 0.01
    choose(window, "scheduleCombo", "exponential")
    find(window, QDoubleSpinBox, "gammaSpin").setValue(0.5)
    qtbot.waitUntil(lambda: controller.session.config.training.schedule == "exponential", timeout=TIMEOUT)

    def step_to(epochs: int) -> None:
        click(qtbot, window, "stepButton")
        qtbot.waitUntil(lambda: window.toolbar.state == "paused" and len(window.history) == epochs, timeout=TIMEOUT)

    for epochs in (1, 2, 3):
        step_to(epochs)
    find(window, QDoubleSpinBox, "learningRateSpin").setValue(0.02)
    qtbot.waitUntil(lambda: controller.session.config.training.lr == 0.02, timeout=TIMEOUT)
    step_to(4)
    assert window.history.column("lr").tolist() == pytest.approx([0.01, 0.005, 0.0025, 0.0025], rel=1e-12)


def test_architecture_change_resets_and_the_user_sees_it(qtbot, playground):
    controller = playground()
    window = controller.window
    click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: len(window.history) == 1, timeout=TIMEOUT)
    find(window, QSpinBox, "layerWidthSpin0").setValue(12)
    qtbot.waitUntil(lambda: controller.session.config.network.hidden[0].width == 12, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: "reset" in window.statusBar().currentMessage() or "restarts" in window.statusBar().currentMessage(),
        timeout=TIMEOUT,
    )
    assert len(window.history) == 0 and window.last_snapshot.epoch == 0  # sent before the message
    assert window.toolbar.state == "ready"


def test_huge_learning_rate_diverges_with_a_clear_message(qtbot, playground, small_config):
    training = replace(small_config.training, optimizer="sgd", lr=10.0, batch_size=1)
    network = replace(small_config.network, hidden=(LayerConfig(32, "relu"),) * 3, init="normal", init_std=3.0)
    controller = playground(replace(small_config, training=training, network=network))
    window = controller.window
    click(qtbot, window, "trainButton")
    qtbot.waitUntil(lambda: window.toolbar.state == "diverged" and window.banner.isVisible(), timeout=TIMEOUT)
    text = window.banner.label.text()
    assert "Try a learning rate below 10." in text and text.endswith("Set it in Training → LR and press Train.")
    assert text.lower().count("learning rate") == 1 and text.count("diverged") == 1  # the framework's advice, once
    assert find(window, QToolButton, "trainButton").text() == "Train"
    assert np.isfinite(window.last_snapshot.grid).all()
    assert np.isfinite(window.history.column("train_loss")).all()


def test_the_divergence_banner_points_at_the_control_the_frameworks_advice_names(qtbot):
    from minidl.training import TrainingDiverged

    window = MainWindow()
    qtbot.addWidget(window)
    # The app's eps floor (1e-12) is where the framework starts to blame eps: its runs never get this advice.
    error = TrainingDiverged(2, 0.01, "Adam's eps is 0: its steps divide by sqrt(v) + eps; try 1e-8.", "eps")
    window.show_divergence(str(error), error.setting)
    text = window.banner.label.text()
    assert text == f"{error} Set it in Training → ε and press Train." and window.banner.isVisibleTo(window)


def test_the_window_shows_its_app_state_and_edits_it(qtbot):
    """The title, the controls and the Data group's "Custom" entry follow the app state; the controls'
    edits and File ▸ Save go through it (no copy of the path or of the custom flag elsewhere)."""
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.windowTitle() == "untitled — minidl playground"
    config = replace(Config(), data=replace(Config().data, dataset="xor", seed=4))
    window.app_state.adopt(config, 3, True, Path("drawn.minidl"))
    assert window.windowTitle() == "drawn.minidl — minidl playground" and window.controls.config() == config
    assert window.controls.data.dataset.currentText() == "Custom (drawn/imported)"
    window.controls.training.lr.setValue(0.25)
    assert window.app_state.config.training.lr == 0.25 and UNSAVED in window.windowTitle()
    window.app_state.adopt(window.app_state.config, 3, False, Path("drawn.minidl"))  # the points are generated again
    assert not window.controls.data.custom and window.controls.data.dataset.currentData() == "xor"
    with qtbot.waitSignal(window.file_actions.saveRequested, timeout=TIMEOUT) as saved:
        window.file_actions.save.trigger()  # a file already: Save asks nothing
    assert saved.args == ["drawn.minidl"]


class StateLog(QObject):
    """What the window shows at the moment each state reaches the UI thread (queued, like the window's)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.seen: list[tuple[str, int, int, float | None]] = []

    @Slot(str)
    def record(self, state: str) -> None:
        window = self.window
        x, _ = window.curves.curves["train_loss"].getData()
        last_drawn = None if x is None or not len(x) else float(x[-1])
        self.seen.append((state, len(window.history), window.last_snapshot.epoch, last_drawn))


def test_paused_and_done_show_only_once_the_last_epoch_is_drawn(qtbot, playground, small_config):
    config = replace(small_config, training=replace(small_config.training, max_epochs=6))
    controller = playground(config)
    log = StateLog(controller.window)
    controller.worker.stateChanged.connect(log.record, Qt.ConnectionType.QueuedConnection)
    controller.submit(Train(3))
    qtbot.waitUntil(lambda: window_state(log) == "paused", timeout=TIMEOUT)
    controller.submit(Train())
    qtbot.waitUntil(lambda: window_state(log) == "done", timeout=TIMEOUT)
    halted = [entry for entry in log.seen if entry[0] != "running"]
    assert halted == [("paused", 3, 3, 3.0), ("done", 6, 6, 6.0)]


def window_state(log: StateLog) -> str | None:
    return log.seen[-1][0] if log.seen else None


def test_closing_while_training_stops_the_worker_cleanly(qtbot, playground, qtlog):
    for _ in range(4):
        controller = playground()
        window = controller.window
        click(qtbot, window, "trainButton")
        qtbot.waitUntil(lambda w=window: len(w.history) >= 2, timeout=TIMEOUT)
        window.close()
        assert controller.thread.isFinished()  # joined before close() returned, not merely asked to stop
    assert not [r for r in qtlog.records if "Destroyed while thread" in r.message]


def test_dispose_stops_the_thread_and_deletes_the_window_at_once(qtbot, small_config):
    # What run_app does before returning: nothing left for PySide to delete at interpreter exit.
    controller = create_window(small_config, remember=False)
    window = controller.window
    window.show()
    controller.submit(Train())
    qtbot.waitUntil(lambda: len(window.history) >= 2, timeout=TIMEOUT)
    dispose(controller)
    assert controller.thread.isFinished() and not shiboken6.isValid(window)


def test_settings_are_remembered_between_launches(qtbot, playground):
    window = playground(None, remember=True).window
    choose(window, "datasetCombo", "spiral")
    choose(window, "optimizerCombo", "sgd")
    find(window, QDoubleSpinBox, "learningRateSpin").setValue(0.02)
    click(qtbot, window, "addLayerButton")
    choose(window, "resolutionCombo", 200)
    window.curves.set_log_loss(True)
    chosen = window.config()
    window.close()
    again = playground(None, remember=True).window
    assert again.config() == chosen
    assert isinstance(chosen, Config) and chosen.data.dataset == "spiral" and len(chosen.network.hidden) == 4
    assert again.toolbar.resolution.currentData() == 200 and again.curves.log_check.isChecked()
