"""Sessions through the window: File ▸ Save / Open, continuing exactly, saving while training, bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from minidl_gui.app import main
from minidl_gui.model.config import Config
from minidl_gui.model.point_edits import ClearPoints
from minidl_gui.model.session import Session
from minidl_gui.model.session_file import load_session, save_session
from minidl_gui.model.session_io import capture_session
from minidl_gui.session_files import UNSAVED
from minidl_gui.widgets import file_actions
from minidl_gui.worker_commands import SendSnapshot, Train

TIMEOUT = 20_000
COMPARED = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy", "lr")


def click_train(qtbot, window) -> None:
    button = window.findChild(QAbstractButton, "trainButton")
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose_path(monkeypatch, path) -> None:
    """The next file dialogs answer ``path`` (no modal dialog in tests)."""
    monkeypatch.setattr(file_actions, "ask_save_path", lambda *_: str(path))
    monkeypatch.setattr(file_actions, "ask_open_path", lambda *_: str(path))


# The worker's signals come from its thread: the tests wait for what the window shows (qtbot.waitSignal
# can miss a signal emitted from another thread right before it starts waiting).
def train_until(qtbot, controller, epochs: int) -> None:
    """Train (as ``--quit-after-epochs`` does) until ``epochs`` and wait for the window to show them."""
    window = controller.window
    controller.submit(Train(epochs))
    qtbot.waitUntil(lambda: window.toolbar.state == "paused" and len(window.history) == epochs, timeout=TIMEOUT)


def save_through_menu(qtbot, controller, monkeypatch, path, action: str = "save_as") -> None:
    """Save with File ▸ Save as… (or ``action``) and wait until the window says it is saved."""
    choose_path(monkeypatch, path)
    getattr(controller.window.file_actions, action).trigger()
    qtbot.waitUntil(lambda: controller.files.path == path, timeout=TIMEOUT)


def columns(window) -> dict[str, np.ndarray]:
    return {name: window.history.column(name).copy() for name in COMPARED}


@pytest.fixture
def short_config(small_config) -> Config:
    """Nine epochs in all, so that Train runs to the end by itself."""
    return replace(small_config, training=replace(small_config.training, max_epochs=9))


def test_open_then_train_continues_exactly_where_the_saved_run_stopped(
    qtbot, playground, short_config, tmp_path, monkeypatch
):
    path = tmp_path / "run.minidl"
    first = playground(short_config)
    train_until(qtbot, first, 5)
    save_through_menu(qtbot, first, monkeypatch, path)
    assert first.window.windowTitle().startswith("run.minidl —") and UNSAVED not in first.window.windowTitle()
    before = columns(first.window)
    before_norms = first.window.history.gradient_norms.values().copy()
    assert before_norms.shape == (5, 3) and np.all(np.isfinite(before_norms))
    click_train(qtbot, first.window)  # epochs 6..9, then done
    qtbot.waitUntil(lambda: first.window.toolbar.state == "done" and len(first.window.history) == 9, timeout=TIMEOUT)
    assert UNSAVED in first.window.windowTitle()
    expected, expected_weights = columns(first.window), first.session.model.state_dict()
    expected_norms = first.window.history.gradient_norms.values().copy()

    other = replace(short_config, network=replace(short_config.network, seed=11))  # opening replaces all of it
    second = playground(other)
    choose_path(monkeypatch, path)
    second.window.file_actions.open.trigger()
    qtbot.waitUntil(
        lambda: second.window.last_snapshot.epoch == 5 and second.window.toolbar.state == "paused", timeout=TIMEOUT
    )
    assert second.window.config() == short_config and second.session.config == short_config
    assert second.window.windowTitle().startswith("run.minidl —")
    for name, values in before.items():  # the history came back with the file
        np.testing.assert_array_equal(second.window.history.column(name), values)
    np.testing.assert_array_equal(second.window.history.gradient_norms.values(), before_norms)  # and the gradients
    second.window.side_tabs.setCurrentWidget(second.window.gradients)  # drawn on show
    view = second.window.gradients
    qtbot.waitUntil(lambda: len(view.curves) == 3, timeout=TIMEOUT)
    for layer, curve in enumerate(view.curves):
        x, y = curve.getOriginalDataset()
        np.testing.assert_array_equal(x, [1, 2, 3, 4, 5])
        np.testing.assert_array_equal(y, before_norms[:, layer])
    click_train(qtbot, second.window)
    qtbot.waitUntil(lambda: second.window.toolbar.state == "done" and len(second.window.history) == 9, timeout=TIMEOUT)
    for name, values in expected.items():
        np.testing.assert_array_equal(second.window.history.column(name), values, err_msg=name)
    np.testing.assert_array_equal(second.window.history.gradient_norms.values(), expected_norms)
    weights = second.session.model.state_dict()
    assert weights.keys() == expected_weights.keys()
    for name, tensor in expected_weights.items():
        assert torch.equal(weights[name], tensor), name


def test_save_while_training_keeps_training_and_writes_a_consistent_file(qtbot, playground, tmp_path, monkeypatch):
    controller = playground()
    window = controller.window
    click_train(qtbot, window)
    qtbot.waitUntil(lambda: len(window.history) >= 3, timeout=TIMEOUT)
    path = tmp_path / "live.minidl"
    save_through_menu(qtbot, controller, monkeypatch, path, "save")  # no file yet: Save asks for one
    data = load_session(path)
    assert window.toolbar.state == "running"
    qtbot.waitUntil(lambda: len(window.history) >= data.epoch + 2, timeout=TIMEOUT)  # and it goes on
    click_train(qtbot, window)  # pause
    assert data.epoch >= 3
    assert data.history["epoch"] == list(range(1, data.epoch + 1))
    np.testing.assert_array_equal(data.history["train_loss"], window.history.column("train_loss")[: data.epoch])
    assert Config.from_dict(data.config) == window.config()


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01 not json at all",
        b'{"format": "minidl-session", "version": 1, "config": {}}',
        b'{"format": "minidl-session", "version": 99}',
        "tampered-config",
        "weights-do-not-fit",
        "huge-epoch",
        "float64-points",
        "lr-1e308",
        "lr-not-the-configured-one",
    ],
)
def test_a_bad_file_shows_a_message_and_changes_nothing(qtbot, playground, tmp_path, monkeypatch, content):
    controller = playground()
    window = controller.window
    train_until(qtbot, controller, 2)
    good = tmp_path / "good.minidl"
    save_through_menu(qtbot, controller, monkeypatch, good)
    path = tmp_path / "bad.minidl"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        document = json.loads(good.read_text())
        TAMPER[content](document)
        path.write_text(json.dumps(document))
    session, config, title = controller.session, window.config(), window.windowTitle()
    history, points = columns(window), window.last_snapshot.train
    choose_path(monkeypatch, path)
    with qtbot.waitSignal(controller.files.openFinished, timeout=TIMEOUT) as opened:
        window.file_actions.open.trigger()
    assert opened.args == [False]
    assert window.banner.isVisible() and window.banner.kind == "error"
    text = window.banner.label.text()
    assert text.count("bad.minidl") == 1 and "unchanged" in text
    controller.submit(SendSnapshot())
    qtbot.waitUntil(lambda: window.last_snapshot.epoch == 2, timeout=TIMEOUT)
    assert controller.session is session and session.epoch == 2
    np.testing.assert_array_equal(window.last_snapshot.train.x, points.x)
    np.testing.assert_array_equal(window.last_snapshot.train.y, points.y)
    assert window.config() == config and window.windowTitle() == title and controller.files.path == good
    for name, values in history.items():
        np.testing.assert_array_equal(window.history.column(name), values)


def _set_lr(value: float):  # noqa: ANN202
    return lambda document: document["optimizer"]["hyperparameters"].update(lr=value)


TAMPER = {
    "tampered-config": lambda d: d["config"]["network"]["hidden"][0].update(activation="__import__('os').system"),
    "weights-do-not-fit": lambda d: d["config"]["network"]["hidden"][0].update(width=9),
    "huge-epoch": lambda d: d["history"]["epoch"].__setitem__(0, 10**400),
    "float64-points": lambda d: d["data"].update(dtype="float64"),
    "lr-1e308": _set_lr(1e308),
    "lr-not-the-configured-one": _set_lr(0.5),
}
"""Ways of damaging a saved session's document (issue #8 lists most of them)."""


def test_a_missing_file_says_so(qtbot, playground, tmp_path):
    controller = playground()
    with qtbot.waitSignal(controller.files.openFinished, timeout=TIMEOUT) as opened:
        assert controller.files.open(tmp_path / "nowhere.minidl")  # started: it fails on the helper thread
    assert opened.args == [False]
    assert "No such file" in controller.window.banner.label.text()


def test_new_starts_from_the_defaults_without_a_file(qtbot, playground, tmp_path, monkeypatch):
    controller = playground()
    window = controller.window
    train_until(qtbot, controller, 2)
    save_through_menu(qtbot, controller, monkeypatch, tmp_path / "a.minidl")
    window.file_actions.new.trigger()
    qtbot.waitUntil(lambda: window.toolbar.state == "ready", timeout=TIMEOUT)  # sent after the snapshot
    assert window.last_snapshot.epoch == 0 and len(window.history) == 0
    assert controller.session.config == Config() and window.config() == Config()
    assert controller.files.path is None and window.windowTitle().startswith("untitled —")


def test_the_command_line_opens_a_session_file(tmp_path, temporary_settings, small_config):
    session = Session(small_config)
    for result in session.epochs():
        if result.epoch == 2:
            break
    path, shot = tmp_path / "saved.minidl", tmp_path / "shot.png"
    save_session(path, capture_session(session))
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from minidl_gui.app import main; sys.exit(main(sys.argv[1:]))",
         str(path), "--autostart", "--quit-after-epochs", "4", "--screenshot", str(shot)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"wrote {shot}" in done.stdout and shot.is_file()


def test_a_scripted_run_with_nothing_to_train_fails_instead_of_waiting_for_ever(tmp_path, small_config):
    session = Session(small_config)
    session.edit_points(ClearPoints())
    path = tmp_path / "empty.minidl"
    save_session(path, capture_session(session))
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from minidl_gui.app import main; sys.exit(main(sys.argv[1:]))",
         str(path), "--autostart", "--quit-after-epochs", "3"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode == 1 and "no training points" in done.stderr


def test_the_command_line_refuses_a_huge_number_with_one_line(tmp_path, small_config):
    session = Session(small_config)
    next(session.epochs())
    path = tmp_path / "huge.minidl"
    save_session(path, capture_session(session))
    document = json.loads(path.read_text())
    document["history"]["train_loss"][0] = 10**400  # no float holds it
    path.write_text(json.dumps(document))
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from minidl_gui.app import main; sys.exit(main(sys.argv[1:]))",
         str(path)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("minidl-gui: error: Could not open") and done.stderr.count("\n") == 1
    assert "column 'train_loss' of 'history'" in done.stderr


def test_the_command_line_refuses_a_bad_session_file(tmp_path, capsys):
    path = tmp_path / "bad.minidl"
    path.write_text('{"format": "minidl-session", "version": 1}')
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("minidl-gui: error: Could not open") and "bad.minidl" in err and "missing" in err
    with pytest.raises(SystemExit):  # a session file brings its own configuration
        main([str(path), "--preset", "report-adam"])
    assert "leave out --preset" in capsys.readouterr().err
