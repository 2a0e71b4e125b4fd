"""`TrainingToolbar`: Train ⇄ Pause (Space), Step, Reset, Re-initialise, Stop, view options, and the device
(a choice shown only where there is one: `minidl_gui.model.devices`).

The buttons never guess: ``set_state`` (the worker's state) alone decides their text and enabling.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QStyle, QToolBar, QWidget

from minidl_gui.model import devices
from minidl_gui.model.worker_state import WorkerState

RESOLUTIONS = (50, 100, 200, 400)

_ENABLED = {
    # state: (train, step, reset, reinitialise, stop)
    WorkerState.READY: (True, True, True, True, False),
    WorkerState.RUNNING: (True, False, True, True, True),
    WorkerState.PAUSED: (True, True, True, True, True),
    WorkerState.DONE: (True, True, True, True, False),
    WorkerState.STOPPED: (True, True, True, True, False),
    WorkerState.DIVERGED: (True, True, True, True, False),
    WorkerState.FAILED: (True, True, True, True, False),
}


class TrainingToolbar(QToolBar):
    """Emits ``trainRequested`` / ``pauseRequested`` (one button), ``stepRequested``,
    ``resetRequested``, ``reinitialiseRequested``, ``stopRequested``, ``resolutionChanged(int)``,
    ``showTestChanged(bool)`` and ``deviceChanged(str)``."""

    trainRequested = Signal()  # noqa: N815
    pauseRequested = Signal()  # noqa: N815
    stepRequested = Signal()  # noqa: N815
    resetRequested = Signal()  # noqa: N815
    reinitialiseRequested = Signal()  # noqa: N815
    stopRequested = Signal()  # noqa: N815
    resolutionChanged = Signal(int)  # noqa: N815
    showTestChanged = Signal(bool)  # noqa: N815
    deviceChanged = Signal(str)  # noqa: N815

    def __init__(self) -> None:
        super().__init__("Training")
        self.setObjectName("trainingToolbar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        icon = self.style().standardIcon
        pixmap = QStyle.StandardPixmap
        self.train = self._action("Train", "trainButton", icon(pixmap.SP_MediaPlay), "Space", self._train_clicked)
        self.step = self._action("Step", "stepButton", icon(pixmap.SP_MediaSeekForward), "S", self.stepRequested)
        self.step.setAutoRepeat(True)  # holding S steps on; holding any other key acts once
        self.reset = self._action("Reset", "resetButton", icon(pixmap.SP_MediaSkipBackward), "R", self.resetRequested)
        self.reinitialise = self._action(
            "Re-initialise", "reinitialiseButton", icon(pixmap.SP_BrowserReload), "I", self.reinitialiseRequested
        )
        self.stop = self._action("Stop", "stopButton", icon(pixmap.SP_MediaStop), "Esc", self.stopRequested)
        self.train.setToolTip("Train / pause (Space)")
        self.step.setToolTip("Train exactly one epoch (S)")
        self.reset.setToolTip("Back to epoch 0 with the same initial weights (R)")
        self.reinitialise.setToolTip("New random initial weights, epoch 0 (I)")
        self.stop.setToolTip("End this run; Train then starts again from the initial weights (Esc)")
        self.addSeparator()
        self.resolution = QComboBox()
        self.resolution.setObjectName("resolutionCombo")
        self.resolution.setToolTip("Cells per side of the decision heatmap")
        for value in RESOLUTIONS:
            self.resolution.addItem(f"{value} × {value}", value)
        self.resolution.setCurrentIndex(RESOLUTIONS.index(100))
        self.resolution.currentIndexChanged.connect(lambda: self.resolutionChanged.emit(self.resolution.currentData()))
        self.show_test = QCheckBox("Test points")
        self.show_test.setObjectName("showTestCheck")
        self.show_test.setToolTip("Show the test points on the decision plot")
        self.show_test.setChecked(True)
        self.show_test.toggled.connect(self.showTestChanged)
        self.addWidget(_spaced(QLabel("Heatmap")))
        self.addWidget(self.resolution)
        self.addWidget(_spaced(self.show_test))
        self.device = QComboBox()
        self.device.setObjectName("deviceCombo")
        self.device.setToolTip("Where the network trains: the CPU, or the GPU through CUDA (a machine setting)")
        for device in devices.available_devices():
            self.device.addItem(devices.DEVICE_LABELS[device], device)
        self.device.currentIndexChanged.connect(lambda: self.deviceChanged.emit(self.device.currentData()))
        self._device_actions = (
            self.addSeparator(),
            self.addWidget(_spaced(QLabel("Device"))),
            self.addWidget(self.device),
        )
        for action in self._device_actions:
            action.setVisible(self.device.count() > 1)  # no choice, no control
        self.state = WorkerState.READY
        self.set_state(WorkerState.READY)

    def _action(self, text: str, name: str, icon: object, key: str, target: object) -> QAction:
        action = QAction(icon, text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setAutoRepeat(False)  # a held Space would toggle Train ⇄ Pause with every repeat
        action.triggered.connect(target)
        self.addAction(action)
        self.widgetForAction(action).setObjectName(name)
        return action

    def _train_clicked(self) -> None:
        (self.pauseRequested if self.state == WorkerState.RUNNING else self.trainRequested).emit()

    def set_state(self, state: WorkerState) -> None:
        """Show the worker's ``state``: Pause while running, Train otherwise; enable what makes sense."""
        self.state = state
        running = state == WorkerState.RUNNING
        style, pixmap = self.style(), QStyle.StandardPixmap
        self.train.setText("Pause" if running else "Train")
        self.train.setIcon(style.standardIcon(pixmap.SP_MediaPause if running else pixmap.SP_MediaPlay))
        for action, enabled in zip(
            (self.train, self.step, self.reset, self.reinitialise, self.stop), _ENABLED[state], strict=True
        ):
            action.setEnabled(enabled)


def _spaced(widget: QWidget) -> QWidget:
    widget.setContentsMargins(8, 0, 4, 0)
    return widget
