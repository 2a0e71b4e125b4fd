"""Launching the app: a window with its controller, settings restored; and the scripted run."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from minidl.files import FileRefusedError
from minidl_gui.controller import Controller
from minidl_gui.file_controller import FileController
from minidl_gui.model.config import Config
from minidl_gui.settings import APPLICATION, ORGANIZATION, open_settings
from minidl_gui.widgets.main_window import ICON_PATH, MainWindow
from minidl_gui.worker import NO_POINTS
from minidl_gui.worker_commands import Train

GIL_SWITCH_INTERVAL = 0.001
"""Seconds a thread of the window's process may keep the GIL while another waits for it (Python's default: 0.005).
The UI thread shares it with the snapshot renderer and the worker: waiting for it while they run Python, its timers
and input were late by up to 5 ms on top of their own work (`python -m bench --app`, ``--switch-interval``)."""


def application() -> QApplication:
    """The running QApplication, created (and named, for settings and the desktop) if needed; the process's GIL
    switch interval set to `GIL_SWITCH_INTERVAL`."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANIZATION)
    app.setDesktopFileName("minidl-gui")
    app.setWindowIcon(QIcon(str(ICON_PATH)))
    return app


def create_window(config: Config | None = None, *, remember: bool = True, training_process: bool = False) -> Controller:
    """A ready window (``controller.window``) training ``config`` — or, when None, the remembered
    configuration. With ``remember`` the settings are restored now and saved when it closes; with
    ``training_process`` it trains in a process of its own (`TrainingProcess`: the app does)."""
    window = MainWindow()
    if remember:
        try:
            settings = open_settings()
        except (FileRefusedError, OSError) as error:  # neither read nor, on closing, overwritten
            window.show_message(f"Settings ignored: {error}")
        else:
            window.restore_settings(settings, config=config is None)
            window.closing.connect(lambda: window.save_settings(settings))
    if config is not None:
        window.app_state.set_config(config)
    return Controller(window, training_process=training_process)


class ScriptedRun(QObject):
    """Train ``quit_after_epochs`` epochs (or the whole run), save a screenshot, quit."""

    def __init__(
        self, controller: Controller, *, autostart: bool, quit_after_epochs: int | None, screenshot: Path | None
    ) -> None:
        super().__init__(controller)
        self.controller, self.screenshot = controller, screenshot
        self.quits = quit_after_epochs is not None or screenshot is not None
        self.scripted = autostart or self.quits  # only a scripted run fails (exit status 1) when training does
        self.exit_code = 0
        worker, queued = controller.worker, Qt.ConnectionType.QueuedConnection
        worker.finished.connect(self._done, queued)
        worker.aborted.connect(self._done, queued)
        worker.diverged.connect(self._diverged, queued)
        worker.errored.connect(self._errored, queued)
        worker.message.connect(self._refused, queued)
        if autostart or quit_after_epochs is not None:
            controller.submit(Train(quit_after_epochs))
        elif self.quits:
            controller.window.snapshotDrawn.connect(self._done)

    @Slot(str, str)
    def _diverged(self, text: str, _setting: str) -> None:
        self._failed(f"training diverged: {text}")

    @Slot(str)
    def _errored(self, text: str) -> None:
        self._failed(f"training failed: {text}")

    @Slot(str)
    def _refused(self, text: str) -> None:
        """Train was refused (no points): a scripted run would wait for ever; it fails instead."""
        if text == NO_POINTS and self.quits:
            self._failed("nothing to train: the session has no training points")

    def _failed(self, message: str) -> None:
        if not self.scripted:
            return  # the user saw the banner and may go on: quitting normally exits 0
        print(f"minidl-gui: {message}", file=sys.stderr)
        self.exit_code = 1
        self._done()

    @Slot()
    @Slot(str)
    def _done(self, *_: object) -> None:
        if not self.quits:
            return
        self.quits = False
        window = self.controller.window
        if self.screenshot is not None:
            QApplication.processEvents()
            if not window.grab().save(str(self.screenshot)):
                print(f"minidl-gui: error: could not write the screenshot {self.screenshot}", file=sys.stderr)
                self.exit_code = 1
            else:
                print(f"minidl-gui: wrote {self.screenshot}")
        window.close()
        QApplication.quit()


def freeze_startup_objects() -> None:
    """Collect, then move every object made so far (Qt's wrappers, pyqtgraph, torch, the window) out of the garbage
    collector's generations (`gc.freeze`): its full collections, which the training thread's allocations set off
    every few seconds, then walk only what came later — a pause of the UI thread of ~200 ms otherwise, measured by
    ``python -m bench --app``. Call it once, when the window is built; frozen objects are still freed when their
    reference count drops to zero, but a reference cycle among them is never collected (the window lives until the
    app quits)."""
    gc.collect()
    gc.freeze()


def run_app(
    config: Config | None = None,
    *,
    autostart: bool = False,
    quit_after_epochs: int | None = None,
    screenshot: Path | None = None,
    remember: bool = True,
    session: Path | None = None,
    training_process: bool = True,
) -> int:
    """Show the window (with ``session``, a saved session file, opened) and run the event loop until it
    closes; returns the exit status. ``training_process``: train in a process of its own (else on a thread)."""
    app = application()
    controller = create_window(config, remember=remember, training_process=training_process)
    if session is not None and not open_and_wait(controller.files, session):
        reason = controller.files.last_error or f"opening {session} was cancelled"
        print(f"minidl-gui: error: {reason}", file=sys.stderr)
        dispose(controller)
        return 2
    script = ScriptedRun(controller, autostart=autostart, quit_after_epochs=quit_after_epochs, screenshot=screenshot)
    controller.window.show()
    freeze_startup_objects()
    status = app.exec()
    exit_code = script.exit_code or status
    dispose(controller)
    return exit_code


def open_and_wait(files: FileController, path: Path) -> bool:
    """Open session file ``path`` (as File ▸ Open does, off the UI thread) and serve events until that
    ends: True when it is the current session (False: it failed or was cancelled). For start-up, before
    the main event loop runs."""
    outcomes: list[bool] = []
    loop = QEventLoop()

    def record(ok: bool) -> None:
        outcomes.append(ok)

    loads = files.window.loads
    files.openFinished.connect(record)
    loads.finished.connect(loop.quit)  # also after a Cancel, which sends no openFinished
    try:
        if files.open(path):
            loop.exec()
    finally:
        files.openFinished.disconnect(record)
        loads.finished.disconnect(loop.quit)
    return outcomes == [True]


def dispose(controller: Controller) -> None:
    """Close the window (its training thread ends before ``close`` returns) and delete it now.

    Left alive (its signal connections hold it in reference cycles), the window would be deleted by
    PySide at interpreter exit, when its pyqtgraph items call back into a half-finalised Python:
    a segmentation fault after a successful run.
    """
    window = controller.window
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
