"""Compare runs: the runs log and summaries, the runs table filling up, overlays of selected runs, restore."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QSpinBox

from minidl.formatting import short_number
from minidl_gui.model.config import Config, LayerConfig, NetworkConfig, TrainingConfig
from minidl_gui.model.history import COLUMNS, History
from minidl_gui.model.runs_log import MAX_RUNS, STATES_KEPT, RunsLog, make_run, summary_text
from minidl_gui.widgets.main_window import MainWindow
from minidl_gui.worker_commands import Reset, SendSnapshot, Step, Stop, Train

TIMEOUT = 20_000


# -- the model layer ---------------------------------------------------------------------------------
def fake_history(losses: list[float]) -> History:
    history = History()
    for epoch, loss in enumerate(losses, 1):
        row = dict.fromkeys(COLUMNS, None)
        row.update(epoch=epoch, train_loss=loss, test_loss=2 * loss, train_accuracy=0.5, test_accuracy=0.25)
        history.append(type("Row", (), row)())
    return history


def test_summary_names_data_network_optimizer_and_batch():
    assert summary_text(Config()) == "disc · 3×25 relu · Adam lr 5e-3 · bs 1 · mse"
    config = Config(
        network=NetworkConfig(hidden=(LayerConfig(8, "tanh"), LayerConfig(4, "relu"))),
        training=TrainingConfig(optimizer="sgd", lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4),
    )
    assert summary_text(config) == "disc · 8 tanh, 4 relu · SGD lr 0.1 m 0.9 nesterov L2 1e-4 · bs 1 · mse"
    assert summary_text(Config(network=NetworkConfig(hidden=()))).split(" · ")[1] == "no hidden layer"
    assert [short_number(v) for v in (0.05, 5e-3, 1e-4, 2500.0, 0.0)] == ["0.05", "5e-3", "1e-4", "2.5e3", "0"]


def test_a_run_copies_its_history_and_the_log_numbers_and_bounds_runs():
    history = fake_history([1.0, 0.5, 0.25])
    run = make_run(Config(), history, elapsed=1.5, ended="done")
    history.append(history.records[0])  # the live history goes on: the run keeps its own copy
    assert run.epochs == 3 and run.final("test_loss") == 0.5 and run.final("test_accuracy") == 0.25
    assert run.final("lr") is None
    log = RunsLog(capacity=2)
    first, dropped = log.add(run)
    assert first.number == 1 and dropped == []
    second, _ = log.add(run)
    third, dropped = log.add(run)
    assert [r.number for r in log] == [2, 3] and dropped == [first]
    log.remove(second)
    assert [r.number for r in log] == [3] and log.by_number(3) is third and log.by_number(1) is None


# -- the window --------------------------------------------------------------------------------------
def test_the_restorable_runs_spin_drops_older_states_and_is_saved_with_the_settings(qtbot, tmp_path):
    window = MainWindow()
    qtbot.addWidget(window)
    dock = window.runs
    spin = window.findChild(QSpinBox, "restorableRunsSpin")
    assert spin.value() == STATES_KEPT and (spin.minimum(), spin.maximum()) == (1, MAX_RUNS)
    assert "1 MB" in spin.toolTip() and "cannot be restored" in spin.toolTip()
    for _ in range(4):
        dock.add_run(make_run(Config(), fake_history([1.0, 0.5]), elapsed=1.0, ended="done", saved=object()))
    messages: list[str] = []
    dock.message.connect(messages.append)
    spin.setValue(2)
    assert dock.log.states_kept == 2 and [run.saved is not None for run in dock.log] == [False, False, True, True]
    assert messages == ["Dropped the saved state of run 1, run 2 to save memory: they can no longer be restored."]
    settings = QSettings(str(tmp_path / "kept.ini"), QSettings.Format.IniFormat)
    window.save_settings(settings)
    restored = MainWindow()
    qtbot.addWidget(restored)
    restored.restore_settings(settings, config=False)
    assert restored.runs.log.states_kept == 2
    assert restored.findChild(QSpinBox, "restorableRunsSpin").value() == 2


@pytest.fixture
def short_config(small_config) -> Config:
    return replace(small_config, training=replace(small_config.training, max_epochs=4))


def run_to_end(qtbot, controller, runs: int) -> None:
    """Press Train, wait until the run is done and the table has ``runs`` rows."""
    window = controller.window
    button = window.findChild(QAbstractButton, "trainButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.toolbar.state == "done" and len(window.runs.log) == runs, timeout=TIMEOUT)


def test_each_ended_run_gets_a_row(qtbot, playground, short_config):
    controller = playground(short_config)
    window, table = controller.window, controller.window.runs.table
    run_to_end(qtbot, controller, 1)
    assert table.rowCount() == 1
    cells = [table.item(0, column).text() for column in range(table.columnCount())]
    history = window.history
    assert cells[0] == "1" and cells[1] == summary_text(short_config) and cells[4] == "4" and cells[6] == "done"
    assert cells[3] == f"{100 * history.last('test_accuracy'):.1f} %"
    assert cells[7:] == ["binary", "x1, x2"]  # the problem and the input features
    controller.submit(Train(2))  # a new run (the last one was done), paused after two epochs...
    qtbot.waitUntil(lambda: window.toolbar.state == "paused" and len(window.history) == 2, timeout=TIMEOUT)
    controller.submit(Reset())  # ...and interrupted by a reset
    qtbot.waitUntil(lambda: table.rowCount() == 2, timeout=TIMEOUT)
    assert table.item(1, 6).text() == "reset" and table.item(1, 4).text() == "2"
    controller.submit(Step())
    qtbot.waitUntil(lambda: window.toolbar.state == "paused" and len(window.history) == 1, timeout=TIMEOUT)
    controller.submit(Stop())
    qtbot.waitUntil(lambda: table.rowCount() == 3, timeout=TIMEOUT)
    assert table.item(2, 6).text() == "stopped"
    controller.submit(Reset())  # already recorded: no new row
    qtbot.waitUntil(lambda: window.toolbar.state == "ready" and len(window.history) == 0, timeout=TIMEOUT)
    controller.submit(SendSnapshot())
    qtbot.waitUntil(lambda: window.last_snapshot.epoch == 0, timeout=TIMEOUT)
    assert table.rowCount() == 3


def test_selected_runs_overlay_their_loss_curves_with_a_legend(qtbot, playground, short_config):
    controller = playground(short_config)
    window, dock = controller.window, controller.window.runs
    run_to_end(qtbot, controller, 1)
    window.controls.training.lr.setValue(0.05)  # a second run with another learning rate
    qtbot.waitUntil(lambda: controller.session.config.training.lr == 0.05, timeout=TIMEOUT)
    run_to_end(qtbot, controller, 2)
    first, second = list(dock.log)
    assert first.summary != second.summary
    overlays, legend = dock.overlays, window.curves.loss_plot.getPlotItem().legend
    assert not any(item.isVisible() for _, item in overlays.items.values())
    dock.select([first, second])
    assert dock.selected_runs() == [first, second]
    for run in (first, second):
        x, y = overlays.data(run)
        np.testing.assert_array_equal(x, run.history["epoch"])
        np.testing.assert_array_equal(y, run.history["test_loss"])
        assert overlays.items[run.number][1].isVisible()
    labels = [label.text for _, label in legend.items]
    assert "run 1 (test)" in labels and "run 2 (test)" in labels
    dock.column.setCurrentIndex(dock.column.findData("train_loss"))
    np.testing.assert_array_equal(overlays.data(first)[1], first.history["train_loss"])
    dock.select([second])
    assert not overlays.items[first.number][1].isVisible() and overlays.items[second.number][1].isVisible()
    assert [label.text for _, label in legend.items].count("run 2 (train)") == 1
    assert "run 1 (train)" not in [label.text for _, label in legend.items]
    dock.select([first])
    dock.remove_button.click()
    assert len(dock.log) == 1 and dock.table.rowCount() == 1 and first.number not in overlays.items


def test_a_run_is_restored_with_its_settings_weights_and_curves(qtbot, playground, short_config):
    controller = playground(short_config)
    window, dock = controller.window, controller.window.runs
    run_to_end(qtbot, controller, 1)
    weights = controller.session.model.state_dict()
    losses = window.history.column("train_loss").copy()
    window.controls.network.seed.setValue(42)  # another network: a reset, and another run
    qtbot.waitUntil(lambda: controller.session.config.network.seed == 42, timeout=TIMEOUT)
    run_to_end(qtbot, controller, 2)
    first = dock.log[0]
    dock.select([first])
    assert dock.restore_button.isEnabled()
    shown = window.last_snapshot  # the last of run 2 (the worker sent it before reporting the run)
    dock.restore_button.click()
    qtbot.waitUntil(lambda: window.last_snapshot is not shown, timeout=TIMEOUT)
    assert window.last_snapshot.epoch == 4 and controller.session.config == short_config
    assert window.config() == short_config
    np.testing.assert_array_equal(window.history.column("train_loss"), losses)
    restored = controller.session.model.state_dict()
    assert all(torch.equal(restored[name], tensor) for name, tensor in weights.items())
    assert len(dock.log) == 2  # the run that was current had already been recorded (done)


def test_training_a_restored_finished_run_afresh_adds_no_copy_of_it(qtbot, playground, short_config):
    """Train on a restored run that was done resets it: that run is listed already, so no new row."""
    controller = playground(short_config)
    window, dock = controller.window, controller.window.runs
    run_to_end(qtbot, controller, 1)
    dock.select([dock.log[0]])
    shown = window.last_snapshot
    dock.restore_button.click()
    qtbot.waitUntil(lambda: window.last_snapshot is not shown and window.toolbar.state == "done", timeout=TIMEOUT)
    run_to_end(qtbot, controller, 2)  # Train: the restored run restarts from epoch 0 and ends again
    assert [run.ended for run in dock.log] == ["done", "done"]
    assert dock.table.rowCount() == 2
