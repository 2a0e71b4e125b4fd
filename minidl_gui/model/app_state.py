"""`AppState`: the one owner of what the window shows about the session as a whole, and `Event`.

- ``config``: the configuration the controls show and the worker was last sent;
- ``custom_points``: the worker's points were drawn, edited or imported — no longer the configuration's
  generated ones (as the worker's latest snapshot reports it: the live session decides, this follows);
- ``path``: the current session file (None: never saved, "untitled");
- ``modified``: unsaved changes: the epoch or the configuration differ from when the session was last
  saved, opened or started (a restored run differs from any file until it is saved).

Pure Python, no Qt: the views subscribe to its events (plain callbacks, napari's evented models in
small) and show its values; every change comes through one of its methods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from minidl_gui.model.config import Config
from minidl_gui.model.snapshot import Snapshot

APP_TITLE = "minidl playground"
UNSAVED = "•"
"""The window title's mark of unsaved changes: ``run.minidl • — minidl playground``."""


class Event:
    """Callbacks called in the order they were connected, with no arguments, on each ``emit``."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[], object]] = []

    def connect(self, callback: Callable[[], object]) -> None:
        self._callbacks.append(callback)

    def emit(self) -> None:
        for callback in list(self._callbacks):
            callback()


class AppState:
    """The app's state on the UI side (see the module). Its events fire after a value changed:

    ``config_changed`` (``config``), ``custom_points_changed`` (``custom_points``) and ``file_changed``
    (``path`` or ``modified``, hence ``title``).
    """

    def __init__(self, config: Config) -> None:
        self._config = config
        self._custom_points = False
        self._path: Path | None = None
        self._epoch = 0
        self._clean: tuple[int, Config] | None = (0, config)
        """(epoch, config) that the file (or New) holds; None: no file holds this session."""
        self.config_changed = Event()
        self.custom_points_changed = Event()
        self.file_changed = Event()

    def __repr__(self) -> str:
        return f"AppState(path={self._path}, epoch={self._epoch}, custom_points={self._custom_points})"

    # -- reading ----------------------------------------------------------------------------------
    @property
    def config(self) -> Config:
        return self._config

    @property
    def custom_points(self) -> bool:
        return self._custom_points

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def epoch(self) -> int:
        """The epoch of the latest snapshot (or of the session adopted since)."""
        return self._epoch

    @property
    def modified(self) -> bool:
        """The session differs from its file (or from New): another epoch or other settings."""
        return self._clean is None or (self._epoch, self._config) != self._clean

    @property
    def title(self) -> str:
        """The window title: the file's name (or "untitled"), "•" if modified, the app's name."""
        name = self._path.name if self._path is not None else "untitled"
        mark = f" {UNSAVED}" if self.modified else ""
        return f"{name}{mark} — {APP_TITLE}"

    # -- changing ---------------------------------------------------------------------------------
    def set_config(self, config: Config) -> None:
        """The user (a control, a preset, the saved settings) chose ``config``."""
        if config == self._config:
            return
        with self._file_watched():
            self._config = config
        self.config_changed.emit()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """The worker reported ``snapshot``: its epoch, and whether its points are custom."""
        with self._file_watched():
            self._epoch = snapshot.epoch
        self._set_custom_points(snapshot.custom_points)

    def adopt(
        self, config: Config, epoch: int, custom_points: bool, path: Path | None, *, in_file: bool = True
    ) -> None:
        """A session became current: opened from ``path``, started (New, launch: ``path`` None), or a run
        restored (``in_file`` False: what ``path`` holds is another state, the session counts as unsaved)."""
        config_changed, custom_changed = config != self._config, custom_points != self._custom_points
        with self._file_watched():
            self._config, self._epoch, self._path = config, epoch, path
            self._clean = (epoch, config) if in_file else None
            self._custom_points = custom_points  # set before any event: listeners see the whole new state
        if config_changed:
            self.config_changed.emit()
        if custom_changed:
            self.custom_points_changed.emit()

    def mark_saved(self, path: Path, epoch: int, config: Config) -> None:
        """The session at ``epoch`` with ``config`` was written to ``path`` (the worker saves between
        epochs: the window may show a later epoch already, which stays unsaved)."""
        with self._file_watched():
            self._path, self._clean = path, (epoch, config)

    # -- notifying --------------------------------------------------------------------------------
    def _set_custom_points(self, custom: bool) -> None:
        if custom != self._custom_points:
            self._custom_points = custom
            self.custom_points_changed.emit()

    @contextmanager
    def _file_watched(self) -> Iterator[None]:
        """Emit ``file_changed`` after the block if it changed the path or ``modified``."""
        before = (self._path, self.modified)
        yield
        if (self._path, self.modified) != before:
            self.file_changed.emit()
