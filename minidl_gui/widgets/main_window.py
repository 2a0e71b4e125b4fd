"""`MainWindow`: controls in a dock on the left, the decision plot and the curves large in the middle.

A pure view: it shows snapshots and states and turns user actions into request signals; whoever
owns the training (the controller) connects them.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QSplitter, QTabWidget, QVBoxLayout, QWidget

from minidl_gui.background_load import BackgroundLoads
from minidl_gui.model.config import Config
from minidl_gui.model.history import History
from minidl_gui.model.snapshot import Snapshot
from minidl_gui.plots.curves import CurvesView
from minidl_gui.plots.decision_plot import DecisionPlot
from minidl_gui.plots.gradient_norms import GradientNormsView
from minidl_gui.plots.network_view import NetworkView
from minidl_gui.widgets.banner import MessageBanner
from minidl_gui.widgets.control_panel import ControlPanel
from minidl_gui.widgets.data_actions import DataActions
from minidl_gui.widgets.file_actions import FileActions
from minidl_gui.widgets.forms import signals_blocked
from minidl_gui.widgets.runs_table import RunsDock
from minidl_gui.widgets.status_bar import TrainingStatusBar
from minidl_gui.widgets.toolbar import TrainingToolbar
from minidl_gui.widgets.window_keys import WindowKeys

ICON_PATH = Path(__file__).resolve().parent.parent / "minidl.svg"
DEFAULT_SIZE = (1280, 800)


class MainWindow(QMainWindow):
    """The playground window. ``history`` mirrors the worker's, row for row."""

    configChanged = Signal(object, str)  # noqa: N815 (Qt naming)
    reinitialiseRequested = Signal(int)  # noqa: N815
    snapshotDrawn = Signal()  # noqa: N815
    neuronSelected = Signal(object)  # noqa: N815 (layer, index) whose activation field snapshots should carry
    closing = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("minidl playground")
        self.setWindowIcon(QIcon(str(ICON_PATH)))
        self.resize(*DEFAULT_SIZE)
        self.history = History()
        self.last_snapshot: Snapshot | None = None
        self.toolbar = TrainingToolbar()
        self.addToolBar(self.toolbar)
        self.controls = ControlPanel()
        self.dock = QDockWidget("Controls")
        self.dock.setObjectName("controlDock")
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.dock.setWidget(self.controls)
        self.dock.setTitleBarWidget(QWidget())  # the groups carry their own titles
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.decision = DecisionPlot()
        self.curves = CurvesView()
        self.banner = MessageBanner()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("plotSplitter")
        self.splitter.addWidget(self.decision)
        self.network = NetworkView()
        self.gradients = GradientNormsView()
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.setDocumentMode(True)
        self.side_tabs.addTab(self.curves, "Curves")
        self.side_tabs.addTab(self.network, "Network")
        self.side_tabs.addTab(self.gradients, "Gradients")
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setSizes([600, 340])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.status = TrainingStatusBar()
        self.setStatusBar(self.status)
        self.resizeDocks([self.dock], [self.controls.sizeHint().width()], Qt.Orientation.Horizontal)
        self.controls.configChanged.connect(self.configChanged)
        self.toolbar.reinitialiseRequested.connect(self._reinitialise)
        self.toolbar.showTestChanged.connect(self.decision.set_show_test)
        self.loads = BackgroundLoads(self)  # opening and importing files, off the UI thread, one at a time
        self.loads.notice.connect(self.show_message)
        self.closing.connect(self.loads.cancel)  # a load still reading is detached, its result dropped
        self.file_actions = FileActions(self)  # the File menu: sessions and exports
        self.points = DataActions(self)  # draw, edit, import and export the points
        self.runs = RunsDock(self.curves.loss_plot, self.curves.refit)  # ended runs, overlaid when selected
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.runs)
        self.runs.hide()  # until the first run ends (or View → Runs): the plots get the height
        self.runs.message.connect(self.show_message)
        self._menu("&View").addAction(self.runs.toggleViewAction())
        self.network.neuronSelected.connect(self.neuronSelected)
        self.keys = WindowKeys(self)  # Space and Esc reach the toolbar even from a spin box

    # -- what the worker reports --------------------------------------------------------------------
    @Slot(object)
    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Draw a snapshot: extend the history, update the plots and the status bar."""
        self.last_snapshot = snapshot
        self.history.truncate(snapshot.start)
        self.history.extend(snapshot.results)
        self.decision.show_snapshot(snapshot)
        self.curves.show_history(self.history)
        self.network.show_snapshot(snapshot)
        self.gradients.show_history(self.history)
        self.status.show_history(self.history)
        self.snapshotDrawn.emit()

    @Slot(str)
    def set_state(self, state: str) -> None:
        self.toolbar.set_state(state)
        self.status.set_state(state)
        if state == "running" and self.banner.kind == "error":
            self.banner.hide()

    @Slot(str)
    def show_message(self, text: str) -> None:
        self.status.showMessage(text, 6000)

    @Slot(str)
    def show_divergence(self, text: str) -> None:
        self.banner.show_message(
            f"<b>Training diverged.</b> {text} Lower the learning rate (Training → LR) and press Train.", "error"
        )

    @Slot(str)
    def show_error(self, text: str) -> None:
        self.banner.show_message(f"<b>Training failed.</b> {text}", "error")

    # -- user actions -------------------------------------------------------------------------------
    def config(self) -> Config:
        return self.controls.config()

    def _menu(self, title: str) -> QMenu:
        """The menu-bar menu called ``title`` ("&File"), created at the end of the bar if there is none yet."""
        bar = self.menuBar()
        for action in bar.actions():
            if action.menu() is not None and action.text() == title:
                return action.menu()
        return bar.addMenu(title)

    def _reinitialise(self) -> None:
        spin = self.controls.network.seed
        with signals_blocked(spin):
            seed = self.controls.network.new_random_seed()
        self.reinitialiseRequested.emit(seed)

    # -- settings -----------------------------------------------------------------------------------
    def save_settings(self, settings: QSettings) -> None:
        settings.setValue("config", json.dumps(self.config().to_dict()))
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("windowState", self.saveState())
        settings.setValue("resolution", self.toolbar.resolution.currentData())
        settings.setValue("showTest", self.toolbar.show_test.isChecked())
        settings.setValue("logLoss", self.curves.log_check.isChecked())
        settings.setValue("restorableRuns", self.runs.log.states_kept)
        settings.sync()

    def restore_settings(self, settings: QSettings, *, config: bool = True) -> None:
        """Restore what ``save_settings`` stored; a missing or unreadable value keeps the default."""
        if config and settings.contains("config"):
            # Settings of an older or newer version may not parse: then the defaults stay.
            with contextlib.suppress(ValueError, TypeError):
                self.controls.set_config(Config.from_dict(json.loads(str(settings.value("config")))))
        if settings.contains("geometry"):
            self.restoreGeometry(settings.value("geometry"))
        if settings.contains("windowState"):
            self.restoreState(settings.value("windowState"))
        index = self.toolbar.resolution.findData(int(settings.value("resolution", 100)))
        self.toolbar.resolution.setCurrentIndex(max(index, 0))
        self.toolbar.show_test.setChecked(_boolean(settings.value("showTest", True)))
        self.curves.set_log_loss(_boolean(settings.value("logLoss", False)))
        self.runs.set_states_kept(settings.value("restorableRuns"))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.closing.emit()
        super().closeEvent(event)


def _boolean(value: object) -> bool:
    """QSettings' INI files give strings back: "true"/"false"."""
    return value in (True, "true", "True", "1", 1)
