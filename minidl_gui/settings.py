"""Where the app remembers its settings: the user's QSettings, or the INI file named by
``MINIDL_GUI_SETTINGS`` (tests and demos point it at a temporary file)."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

SETTINGS_ENV = "MINIDL_GUI_SETTINGS"


def open_settings() -> QSettings:
    path = os.environ.get(SETTINGS_ENV)
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("minidl", "minidl-gui")
