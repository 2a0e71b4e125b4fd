"""Where the app remembers its settings: the user's QSettings, or the INI file named by
``MINIDL_GUI_SETTINGS`` (tests and demos point it at a temporary file)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from minidl.files import check_regular_file

SETTINGS_ENV = "MINIDL_GUI_SETTINGS"
MAX_SETTINGS_BYTES = 2**20
ORGANIZATION = "minidl"
APPLICATION = "minidl-gui"


def default_settings_path() -> Path | None:
    """The file ``QSettings(ORGANIZATION, APPLICATION)`` reads, found without constructing one (that reads the
    file at once, and a FIFO there blocks it): ``~/.config/minidl/minidl-gui.conf`` (or under
    ``XDG_CONFIG_HOME``) on Linux and other Unix systems, where Qt keeps them in an INI file; None on Windows
    (the registry) and macOS (the preferences system)."""
    if sys.platform in ("win32", "darwin"):
        return None
    config = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return Path(config) / ORGANIZATION / f"{APPLICATION}.conf"


def open_settings() -> QSettings:
    """The app's settings. Raises `minidl.files.FileRefusedError` when their file (``MINIDL_GUI_SETTINGS`` or
    the default one) is a FIFO, a device, a folder or a file over `MAX_SETTINGS_BYTES`: QSettings would hang or
    fill memory reading it; `OSError` when that path cannot be looked at (a file where a folder should be)."""
    path = os.environ.get(SETTINGS_ENV)
    checked = path or default_settings_path()
    if checked:
        with contextlib.suppress(FileNotFoundError):  # a first launch: QSettings creates it on saving
            check_regular_file(checked, MAX_SETTINGS_BYTES, "settings file")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)
