"""Where the app remembers its settings: the user's QSettings, or the INI file named by
``MINIDL_GUI_SETTINGS`` (tests and demos point it at a temporary file)."""

from __future__ import annotations

import contextlib
import os

from PySide6.QtCore import QSettings

from minidl.files import check_regular_file

SETTINGS_ENV = "MINIDL_GUI_SETTINGS"
MAX_SETTINGS_BYTES = 2**20


def open_settings() -> QSettings:
    """The app's settings. Raises `minidl.files.FileRefusedError` when ``MINIDL_GUI_SETTINGS`` names a FIFO,
    a device, a folder or a file over `MAX_SETTINGS_BYTES`: QSettings would hang or fill memory reading it."""
    path = os.environ.get(SETTINGS_ENV)
    if path:
        with contextlib.suppress(FileNotFoundError):  # a first launch: QSettings creates it on saving
            check_regular_file(path, MAX_SETTINGS_BYTES, "settings file")
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("minidl", "minidl-gui")
