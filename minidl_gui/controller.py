"""`Controller`: wires a `MainWindow` to a `TrainingWorker` running on its own QThread.

The window asks, the worker does, the window shows what the worker reports. Closing the window
stops the worker after its current epoch and joins the thread before the window goes away.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Qt, QThread

from minidl_gui.file_controller import FileController
from minidl_gui.model.config import Config, ConfigEdit
from minidl_gui.model.session import Session
from minidl_gui.widgets.main_window import MainWindow
from minidl_gui.worker import TrainingWorker
from minidl_gui.worker_commands import (
    Configure,
    EditPoints,
    Pause,
    Reinitialise,
    Reset,
    SelectNeuron,
    SendSnapshot,
    SetDevice,
    SetResolution,
    SetView,
    StartAfresh,
    Step,
    Stop,
    Train,
    UndoPoints,
    WorkerCommand,
)

JOIN_TIMEOUT_MS = 5000
_DIRECT = Qt.ConnectionType.DirectConnection
_QUEUED = Qt.ConnectionType.QueuedConnection


class Controller(QObject):
    """Owns the worker (which owns the session) and the thread of one window, and is a child of that window."""

    def __init__(self, window: MainWindow, *, training_process: bool = False) -> None:
        """``training_process``: the worker trains in a `TrainingProcess` (the app's choice: see `create_window`)."""
        super().__init__(window)
        self.window = window
        toolbar = window.toolbar
        session = Session(
            window.config(),
            resolution=toolbar.resolution.currentData(),
            device=toolbar.device.currentData(),
            view=window.decision.view_options,  # restored settings reach the worker with its session
        )
        self.worker = TrainingWorker(session, render_thread=True, training_process=training_process)
        self.thread = QThread()
        self.thread.setObjectName("trainingThread")
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.closed.connect(self.thread.quit, _DIRECT)
        self._connect()
        self.files = FileController(window, self.worker)  # File menu and runs table: save, open, export, restore
        self.thread.start()
        self.worker.submit(SendSnapshot())

    def _connect(self) -> None:
        window, worker, toolbar = self.window, self.worker, self.window.toolbar
        # Requests go straight into the worker's thread-safe queue (direct: the worker's thread runs
        # no event loop that could deliver queued calls).
        for signal, command in (
            (toolbar.trainRequested, Train()),
            (toolbar.pauseRequested, Pause()),
            (toolbar.stepRequested, Step()),
            (toolbar.resetRequested, Reset()),
            (toolbar.stopRequested, Stop()),
        ):
            signal.connect(lambda c=command: worker.submit(c), _DIRECT)
        window.reinitialiseRequested.connect(lambda seed: worker.submit(Reinitialise(seed)), _DIRECT)
        window.configChanged.connect(self._configure, _DIRECT)
        toolbar.resolutionChanged.connect(lambda n: worker.submit(SetResolution(n)), _DIRECT)
        toolbar.deviceChanged.connect(lambda device: worker.submit(SetDevice(device)), _DIRECT)
        window.neuronSelected.connect(lambda neuron: worker.submit(SelectNeuron(neuron)), _DIRECT)
        window.decision.viewOptionsChanged.connect(lambda options: worker.submit(SetView(options)), _DIRECT)
        window.points.editRequested.connect(lambda edit: worker.submit(EditPoints(edit)), _DIRECT)
        window.points.undoRequested.connect(lambda: worker.submit(UndoPoints()), _DIRECT)
        window.snapshotDrawn.connect(worker.snapshot_consumed, _DIRECT)
        window.redraws.intervalChanged.connect(worker.set_interval, _DIRECT)  # the UI thread's redraw budget
        # Reports come back queued, into the UI thread (said explicitly: the callee is a Python method).
        # Snapshots go to the window's scheduler: drawn in slices while training, whole at once otherwise.
        worker.yielded.connect(window.redraws.offer, _QUEUED)
        worker.stateChanged.connect(window.set_state, _QUEUED)
        worker.message.connect(window.show_message, _QUEUED)
        worker.diverged.connect(window.show_divergence, _QUEUED)
        worker.errored.connect(window.show_error, _QUEUED)
        window.closing.connect(self.shutdown)

    def _configure(self, config: Config, section: ConfigEdit) -> None:
        """A preset starts afresh; any other edit configures the session, and an edit of the Data group
        also brings generated points back in place of drawn ones — one command, whatever else listens."""
        if section is ConfigEdit.PRESET:
            self.worker.submit(StartAfresh(config))
        else:
            self.worker.submit(Configure(config, regenerate_points=section is ConfigEdit.DATA))

    @property
    def session(self) -> Session:
        """The worker's session (opening a file or restoring a run replaces it)."""
        return self.worker.session

    def submit(self, command: WorkerCommand) -> None:
        """Queue ``command`` for the worker (see `TrainingWorker.submit`)."""
        self.worker.submit(command)

    def shutdown(self) -> None:
        """Stop the worker (after its current epoch) and wait for its thread to end: when this returns,
        the thread has finished (``thread.isFinished()``), whatever the worker was doing."""
        if not self.thread.isRunning():
            return
        self.worker.quit()
        if not self.thread.wait(JOIN_TIMEOUT_MS):
            # A very long epoch or a write to a slow disk. Waiting on beats destroying a running QThread
            # (Qt aborts the process) or leaving it to train a model nobody sees.
            print("minidl-gui: waiting for the training thread to finish its epoch…", file=sys.stderr)
            self.thread.wait()
