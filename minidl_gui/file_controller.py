"""`FileController`: what the File menu and the runs table ask for, done with the controller's worker.

- Save: the worker captures its session between epochs and writes the file (training goes on).
- Open: the file is read, checked and turned into a new `Session` on a helper thread (the window's
  `BackgroundLoads`: the window stays responsive, a progress dialog shows if it takes a while); only if
  all of that works does the worker adopt it (between epochs, if it is training) — a corrupt or
  hostile file shows a message and changes nothing.
- Restore (a run from the runs table) and New (the defaults) adopt a new session the same way.
- Export: the history (CSV) and the weights (JSON) are written by the worker, between epochs.

The current file and the unsaved changes are the window's `AppState`'s: this tells it when a session
is adopted or saved (the window title follows it).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot

from minidl_gui.model.config import Config
from minidl_gui.model.export import save_weights, write_history_csv
from minidl_gui.model.history import columns_of
from minidl_gui.model.runs_log import Run
from minidl_gui.model.saved_session import capture_session, session_from_saved
from minidl_gui.model.session import Session
from minidl_gui.model.session_format import SessionData, SessionFileError, load_session, save_session
from minidl_gui.widgets.main_window import MainWindow
from minidl_gui.worker import TrainingWorker
from minidl_gui.worker_commands import Adopt, Call

_QUEUED = Qt.ConnectionType.QueuedConnection


class FileController(QObject):
    """Sessions and exports for ``window`` and its ``worker``; the current file is ``window.app_state.path``.

    ``saved(path)``, ``exported(path)`` and ``failed(message)`` report the worker's writes;
    ``openFinished(ok)`` ends every `open` that started.
    """

    saved = Signal(str, int, object)  # path, epoch, config
    exported = Signal(str)
    failed = Signal(str)
    openFinished = Signal(bool)  # noqa: N815 (Qt naming) True: the opened file is the current session

    def __init__(self, window: MainWindow, worker: TrainingWorker) -> None:
        super().__init__(window)
        self.window, self.worker = window, worker
        self.app_state = window.app_state
        self.last_error: str | None = None  # the latest failure, as plain text
        session = worker.session  # the session the window starts with counts as New: nothing unsaved
        self.app_state.adopt(session.config, session.epoch, session.custom_points, None)
        actions = window.file_actions
        actions.newRequested.connect(self.new)
        actions.openRequested.connect(self.open)
        actions.saveRequested.connect(self.save)
        actions.exportHistoryRequested.connect(self.export_history)
        actions.exportWeightsRequested.connect(self.export_weights)
        window.runs.restoreRequested.connect(self.restore_run)
        worker.runEnded.connect(window.runs.add_run, _QUEUED)
        self.saved.connect(self._saved, _QUEUED)
        self.exported.connect(lambda path: window.show_message(f"Exported {path}"), _QUEUED)
        self.failed.connect(self._show_failure, _QUEUED)

    # -- sessions -----------------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Save the session to ``path`` (asynchronous: the worker writes it between epochs, then
        ``saved`` or ``failed`` tell)."""
        self.worker.submit(Call(partial(self._write_session, str(path))))

    def open(self, path: str | Path) -> bool:
        """Start opening session file ``path``: it is read, checked and built into a session off the UI
        thread (the window's `BackgroundLoads`); then ``openFinished(True)`` when it is the current
        session, or ``openFinished(False)`` with a message saying why (nothing changed). False when
        another load is in flight: nothing started."""
        return self.window.loads.start(
            f"Opening {Path(path).name}",
            partial(_read_session, path, self._resolution()),
            lambda session: self._opened(session, Path(path)),
            lambda error: self._open_failed(path, error),
            (OSError, SessionFileError, ValueError),
        )

    def _opened(self, session: Session, path: Path) -> None:
        self._adopt(session, path)
        self.window.show_message(f"Opened {path} at epoch {session.epoch}: press Train to continue.")
        self.openFinished.emit(True)

    def _open_failed(self, path: str | Path, error: BaseException) -> None:
        reason = _without_path(_reason(error), str(path))
        self._show_failure(f"Could not open {path}: {reason}. The current session is unchanged.")
        self.openFinished.emit(False)

    def restore_run(self, run: Run) -> bool:
        """Make ``run`` current again: its settings, final weights, optimizer state and curves."""
        if run.saved is None:
            return False
        try:
            session = session_from_saved(run.saved, self._resolution())
        except ValueError as error:
            self._show_failure(f"Could not restore {run.label}: {error}")
            return False
        self._adopt(session, self.app_state.path, in_file=False)  # a restored run is not what the file holds
        self.window.show_message(f"Restored {run.label} ({run.summary}) at epoch {session.epoch}.")
        return True

    def new(self) -> None:
        """Start afresh from the default configuration, with no file."""
        self._adopt(Session(Config(), self._resolution()), None)

    def _adopt(self, session: Session, path: Path | None, *, in_file: bool = True) -> None:
        self.app_state.adopt(session.config, session.epoch, session.custom_points, path, in_file=in_file)
        self.worker.submit(Adopt(session))

    # -- exports ------------------------------------------------------------------------------------
    def export_history(self, path: str | Path) -> None:
        """Write the history as CSV (asynchronous, like ``save``)."""

        def write(session: Session) -> None:
            columns = columns_of(session.config.data.problem)  # a regression's RMSE and R² too
            write_history_csv(path, {name: session.history.column(name) for name in columns})

        self.worker.submit(Call(partial(self._write, str(path), write)))

    def export_weights(self, path: str | Path) -> None:
        """Write the model's weights alone as a JSON weights file (asynchronous, like ``save``)."""
        self.worker.submit(Call(partial(self._write, str(path), lambda session: save_weights(path, session.model))))

    # -- the worker's thread ------------------------------------------------------------------------
    def _write_session(self, path: str, session: Session) -> None:
        try:
            data: SessionData = capture_session(session)
            save_session(path, data)
        except (OSError, ValueError) as error:
            self.failed.emit(f"Could not save {path}: {_reason(error)}")
        else:
            self.saved.emit(path, data.epoch, session.config)

    def _write(self, path: str, write: Callable[[Session], None], session: Session) -> None:
        try:
            write(session)
        except (OSError, ValueError) as error:
            self.failed.emit(f"Could not export {path}: {_reason(error)}")
        else:
            self.exported.emit(path)

    # -- the window ---------------------------------------------------------------------------------
    @Slot(str, int, object)
    def _saved(self, path: str, epoch: int, config: Config) -> None:
        self.app_state.mark_saved(Path(path), epoch, config)
        self.window.show_message(f"Saved {path} at epoch {epoch}")

    @Slot(str)
    def _show_failure(self, message: str) -> None:
        self.last_error = message
        self.window.banner.show_message(html.escape(message), "error")

    def _resolution(self) -> int:
        return int(self.window.toolbar.resolution.currentData())


def _read_session(path: str | Path, resolution: int) -> Session:
    """Session file ``path`` read, checked and built (on a helper thread: no Qt here)."""
    return session_from_saved(load_session(path), resolution)


def _without_path(reason: str, path: str) -> str:
    """``"/a/run.minidl: damaged"`` → ``"damaged"``, ``"/a/run.minidl is a folder"`` → ``"it is a folder"``:
    the message around it names the file already."""
    if reason.startswith(f"{path}: "):
        return reason[len(path) + 2 :]
    if reason.startswith(f"{path} "):
        return "it " + reason[len(path) + 1 :]
    return reason


def _reason(error: BaseException) -> str:
    return error.strerror if isinstance(error, OSError) and error.strerror else str(error)
