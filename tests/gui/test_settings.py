"""Saved settings that are invalid (edited by hand, another version's, a bad path) never stop the app."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from minidl.files import FileRefusedError
from minidl_gui.model.config import Config
from minidl_gui.model.runs_log import STATES_KEPT
from minidl_gui.settings import MAX_SETTINGS_BYTES, SETTINGS_ENV, open_settings
from minidl_gui.widgets.main_window import MainWindow


def restored(qtbot, path: str, text: str | None = None) -> tuple[MainWindow, list[str]]:
    """A window that restored the settings at ``path`` (written with ``text`` first, if given), and the status
    messages it showed."""
    if text is not None:
        Path(path).write_text(text)
    window = MainWindow()
    qtbot.addWidget(window)
    messages: list[str] = []
    window.status.messageChanged.connect(lambda message: message and messages.append(message))
    window.restore_settings(QSettings(path, QSettings.Format.IniFormat))
    return window, messages


def test_invalid_settings_get_defaults_the_rest_is_kept_and_the_status_bar_says_which(qtbot, temporary_settings):
    config = {"data": {"dataset": "spiral"}, "training": {"lr": "Infinity", "optimizer": "sgd"}}
    text = (
        "[General]\n"
        f"config={json.dumps(json.dumps(config))}\n"
        "geometry=Infinity\nresolution=abc\nshowTest=maybe\nlogLoss=true\nrestorableRuns=-3\n"
    )
    window, messages = restored(qtbot, temporary_settings, text)
    assert window.config().data.dataset == "spiral" and window.config().training.optimizer == "sgd"
    assert window.config().training.lr == Config().training.lr
    assert window.toolbar.resolution.currentData() == 100 and window.toolbar.show_test.isChecked()
    assert window.curves.log_check.isChecked()
    assert messages == [
        "Some saved settings were invalid and were reset: config.training.lr, geometry, resolution, showTest, "
        "restorableRuns"
    ]
    assert window.runs.log.states_kept == STATES_KEPT


@pytest.mark.parametrize("config", ["{not json", "[" * 100_000, '"a string"', '{"data": 3}'])
def test_a_saved_config_that_is_not_one_gets_the_default_config(qtbot, temporary_settings, config):
    window, messages = restored(qtbot, temporary_settings, f"[General]\nconfig={json.dumps(config)}\nresolution=200\n")
    assert window.config() == Config() and window.toolbar.resolution.currentData() == 200
    assert messages == ["Some saved settings were invalid and were reset: config"]


def test_valid_settings_give_no_message(qtbot, temporary_settings):
    _, messages = restored(qtbot, temporary_settings, "[General]\nresolution=200\nshowTest=false\n")
    assert messages == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_settings_path_that_is_a_fifo_is_ignored_and_not_overwritten(qtbot, tmp_path, monkeypatch):
    from minidl_gui.launch import create_window

    fifo = tmp_path / "settings.ini"
    os.mkfifo(fifo)  # reading it would wait for a writer for ever
    monkeypatch.setenv(SETTINGS_ENV, str(fifo))
    controller = create_window()
    qtbot.addWidget(controller.window)
    assert "named pipe" in controller.window.status.currentMessage()
    controller.window.close()
    qtbot.waitUntil(controller.thread.isFinished)
    assert fifo.is_fifo()


def test_a_huge_settings_file_is_ignored_and_kept(qtbot, temporary_settings):
    from minidl_gui.launch import create_window

    Path(temporary_settings).write_text("[General]\nresolution=200\n" + "#" * MAX_SETTINGS_BYTES)
    controller = create_window()
    qtbot.addWidget(controller.window)
    assert "too large for a settings file" in controller.window.status.currentMessage()
    assert controller.window.toolbar.resolution.currentData() == 100
    controller.window.close()
    qtbot.waitUntil(controller.thread.isFinished)
    assert Path(temporary_settings).stat().st_size > MAX_SETTINGS_BYTES


@pytest.fixture
def default_settings(tmp_path, monkeypatch) -> Path:
    """The default settings file's path (no ``MINIDL_GUI_SETTINGS``), in a temporary XDG config folder."""
    monkeypatch.delenv(SETTINGS_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "minidl").mkdir()
    return tmp_path / "minidl" / "minidl-gui.conf"


@pytest.mark.skipif(not hasattr(os, "mkfifo") or sys.platform == "darwin", reason="needs named pipes and INI settings")
def test_a_fifo_at_the_default_settings_path_is_refused_before_qt_reads_it(qtbot, default_settings):
    from minidl_gui.launch import create_window

    os.mkfifo(default_settings)  # QSettings("minidl", "minidl-gui") would wait for a writer for ever
    with pytest.raises(FileRefusedError, match="named pipe"):
        open_settings()
    controller = create_window()
    qtbot.addWidget(controller.window)
    assert controller.window.status.currentMessage().startswith(f"Settings ignored: {default_settings} is a named pipe")
    controller.window.close()
    qtbot.waitUntil(controller.thread.isFinished)
    assert default_settings.is_fifo()


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the default settings are an INI file on Linux only")
def test_a_huge_default_settings_file_is_refused(default_settings):
    default_settings.write_text("[General]\nresolution=200\n" + "#" * MAX_SETTINGS_BYTES)
    with pytest.raises(FileRefusedError, match="too large for a settings file"):
        open_settings()


def test_a_settings_path_that_cannot_be_looked_at_is_ignored_not_a_crash(qtbot, tmp_path, monkeypatch):
    from minidl_gui.launch import create_window

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    monkeypatch.setenv(SETTINGS_ENV, str(not_a_folder / "settings.ini"))  # stat: NotADirectoryError
    controller = create_window()
    qtbot.addWidget(controller.window)
    assert controller.window.status.currentMessage().startswith("Settings ignored:")
    controller.window.close()
    qtbot.waitUntil(controller.thread.isFinished)
