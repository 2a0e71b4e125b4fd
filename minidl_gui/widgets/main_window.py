"""`MainWindow`: controls in a dock on the left, the decision plot and the curves large in the middle.

A pure view: it shows snapshots and states and turns user actions into request signals; whoever
owns the training (the controller) connects them. Its `AppState` (``app_state``) owns the configuration,
whether the points are custom, the session file and its unsaved changes: the controls, the Data group's
"Custom" entry and the title show it, and the window passes each edit and each snapshot to it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from minidl_gui.background_load import BackgroundLoads
from minidl_gui.model.app_state import AppState
from minidl_gui.model.config import Config, ConfigEdit
from minidl_gui.model.config_json import config_from_saved_json
from minidl_gui.model.devices import CPU, DEVICE_LABELS
from minidl_gui.model.history import History
from minidl_gui.model.runs_log import MAX_RUNS
from minidl_gui.model.snapshot import Snapshot
from minidl_gui.model.worker_state import WorkerState
from minidl_gui.plots.confusion_matrix import ConfusionView
from minidl_gui.plots.curves import CurvesView
from minidl_gui.plots.decision_plot import DecisionPlot, decision_panel
from minidl_gui.plots.gradient_norms import GradientNormsView
from minidl_gui.plots.network_view import NetworkView
from minidl_gui.widgets.banner import MessageBanner
from minidl_gui.widgets.control_panel import ControlPanel
from minidl_gui.widgets.data_actions import DataActions
from minidl_gui.widgets.file_actions import FileActions
from minidl_gui.widgets.forms import signals_blocked
from minidl_gui.widgets.redraw_scheduler import RedrawScheduler, View
from minidl_gui.widgets.runs_table import RunsDock
from minidl_gui.widgets.status_bar import TrainingStatusBar
from minidl_gui.widgets.toolbar import TrainingToolbar
from minidl_gui.widgets.window_keys import WindowKeys

ICON_PATH = Path(__file__).resolve().parent.parent / "minidl.svg"
DEFAULT_SIZE = (1280, 800)
DEFAULT_RESOLUTION = 100  # grid points per side of the decision plot
DIVERGENCE_CONTROLS = {"lr": "Training → LR", "eps": "Training → ε", "init_std": "Network → Init and Std"}
"""Where to change the hyperparameter that a divergence's advice names (``TrainingDiverged.setting``)."""


class MainWindow(QMainWindow):
    """The playground window, showing ``app_state`` (a new `AppState` of the controls' defaults when None).
    ``history`` mirrors the worker's, row for row."""

    configChanged = Signal(object, object)  # noqa: N815 (Qt naming)
    reinitialiseRequested = Signal(int)  # noqa: N815
    snapshotDrawn = Signal()  # noqa: N815
    neuronSelected = Signal(object)  # noqa: N815 (layer, index) whose activation field snapshots should carry
    closing = Signal()

    def __init__(self, app_state: AppState | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
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
        self.splitter.addWidget(decision_panel(self.decision))  # with its "Discretize output" check box
        self.network = NetworkView()
        self.gradients = GradientNormsView()
        self.confusion = ConfusionView()
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.setDocumentMode(True)
        self.side_tabs.addTab(self.curves, "Curves")
        self.side_tabs.addTab(self.network, "Network")
        self.side_tabs.addTab(self.gradients, "Gradients")
        self.side_tabs.addTab(self.confusion, "Confusion")
        self.side_tabs.setMinimumWidth(self.side_tabs.tabBar().sizeHint().width())  # every tab in sight
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
        self.app_state = app_state if app_state is not None else AppState(self.controls.config())
        self._bind_state()
        self.controls.configChanged.connect(self._config_edited)
        self.toolbar.reinitialiseRequested.connect(self._reinitialise)
        self.toolbar.showTestChanged.connect(self.decision.set_show_test)
        self.loads = BackgroundLoads(self)  # opening and importing files, off the UI thread, one at a time
        self.loads.notice.connect(self.show_message)
        self.closing.connect(self.loads.cancel)  # a load still reading is detached, its result dropped
        bar = self.menuBar()
        file_menu, edit_menu, view_menu = bar.addMenu("&File"), bar.addMenu("&Edit"), bar.addMenu("&View")
        self.file_actions = FileActions(  # the File menu: sessions and exports
            app_state=self.app_state,
            menu=file_menu,
            decision=self.decision,
            loss=self.curves.loss_plot,
            banner=self.banner,
            parent=self,
        )
        self.points = DataActions(  # draw, edit, import and export the points
            app_state=self.app_state,
            decision=self.decision,
            data_panel=self.controls.data,
            file_menu=file_menu,
            edit_menu=edit_menu,
            banner=self.banner,
            loads=self.loads,
            shown=lambda: self.last_snapshot,
            parent=self,
        )
        for actions in (self.file_actions, self.points):
            actions.message.connect(self.show_message)
        self.runs = RunsDock(self.curves.loss_plot, self.curves.refit)  # ended runs, overlaid when selected
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.runs)
        self.runs.hide()  # until the first run ends (or View → Runs): the plots get the height
        self.runs.message.connect(self.show_message)
        view_menu.addAction(self.runs.toggleViewAction())
        self.network.neuronSelected.connect(self.neuronSelected)
        self.network.featureToggled.connect(self.controls.toggle_feature)  # one owner: the Network group
        self._problem_note, self._note_pending, self._note_data = "", False, ("", None)
        self.controls.problemMessage.connect(self._problem_message)
        self.keys = WindowKeys(self)  # Space and Esc reach the toolbar even from a spin box
        self.redraws = RedrawScheduler(  # the worker's snapshots, drawn in slices while it trains
            self._take_snapshot,
            (
                View("decision", self.decision.show_snapshot),
                View("side", self._draw_side_tabs, throttled=True),
                View("metric", self._draw_metric_plot, throttled=True),
                View("status", self._draw_status, throttled=True),
            ),
            self,
        )
        self.redraws.frameDrawn.connect(self.snapshotDrawn)

    # -- what the worker reports --------------------------------------------------------------------
    @Slot(object)
    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Draw a snapshot now: extend the history, update the plots and the status bar, then ``snapshotDrawn``.
        (The controller sends the worker's snapshots to ``redraws``, which draws them in slices while training.)"""
        self.redraws.draw_now(snapshot)

    def _take_snapshot(self, snapshot: Snapshot) -> None:
        """What a snapshot changes at once, drawn or not yet: the history (no row is lost) and the app state."""
        self.last_snapshot = snapshot
        self.app_state.show_snapshot(snapshot)
        self.history.truncate(snapshot.start)
        self.history.extend(snapshot.results)

    def _draw_side_tabs(self, snapshot: Snapshot) -> Iterator[None]:
        """The side tabs: the one shown draws (of the curves, the loss plot, in steps: the metric plot is
        `_draw_metric_plot`'s); the hidden ones only keep the data, drawn when shown."""
        self.network.show_snapshot(snapshot)
        self.gradients.show_history(self.history, snapshot.curves)
        self.confusion.show_snapshot(snapshot)
        return self.curves.history_steps(self.history, snapshot.problem, snapshot.curves, plots=("loss",))

    def _draw_metric_plot(self, snapshot: Snapshot) -> Iterator[None]:
        """The curves' second plot (accuracy, or RMSE and R²), in steps of its own (`CurvesView.history_steps`)."""
        return self.curves.history_steps(self.history, snapshot.problem, snapshot.curves, plots=("metric",))

    def _draw_status(self, snapshot: Snapshot) -> None:
        self.status.show_history(self.history, progress=(snapshot.step, snapshot.steps))

    @Slot(object)
    def set_state(self, state: WorkerState) -> None:
        """Show what the worker does (``stateChanged``): the toolbar's buttons, the status bar's word."""
        self.redraws.set_training(state == WorkerState.RUNNING)  # halted: the last snapshot is drawn whole first
        self.toolbar.set_state(state)
        self.status.set_state(state)
        if state == WorkerState.RUNNING and self.banner.kind == "error":
            self.banner.hide()

    @Slot(str)
    def show_message(self, text: str) -> None:
        self.status.showMessage(text, 6000)

    @Slot(str, str)
    def show_divergence(self, text: str, setting: str) -> None:
        """``text`` is the framework's message, ending with its advice; the banner adds where to follow it."""
        control = DIVERGENCE_CONTROLS.get(setting, DIVERGENCE_CONTROLS["lr"])
        self.banner.show_message(f"{text} Set it in {control} and press Train.", "error")

    @Slot(str)
    def show_error(self, text: str) -> None:
        self.banner.show_message(f"<b>Training failed.</b> {text}", "error")

    # -- the app state ------------------------------------------------------------------------------
    def _bind_state(self) -> None:
        """Show the state: the title, the configuration (when it comes from elsewhere than the controls)
        and the Data group's "Custom" entry."""
        state = self.app_state
        state.file_changed.connect(lambda: self.setWindowTitle(state.title))
        state.config_changed.connect(self._show_config)
        state.config_changed.connect(lambda: self.network.set_features(state.config.network.features))
        state.custom_points_changed.connect(lambda: self.controls.data.set_custom(state.custom_points))
        self._show_config()
        self.network.set_features(state.config.network.features)
        self.setWindowTitle(state.title)

    def _show_config(self) -> None:
        """A configuration the controls do not show yet (a file, a restored run, the settings) is shown,
        with the "Custom" entry if the points are custom; an edit of the controls is shown already."""
        if self.controls.config() != self.app_state.config:
            self.controls.set_config(self.app_state.config)
            self.controls.data.set_custom(self.app_state.custom_points)

    def _problem_message(self, text: str) -> None:
        """What an edit changed to fit the data set's problem (say, the loss): on the banner and the status bar,
        until another data set (or class count) is chosen that needs no change."""
        self._problem_note, self._note_pending = html.escape(text), True
        self.banner.show_message(self._problem_note, "info")
        self.show_message(text)

    def _config_edited(self, config: Config, section: ConfigEdit) -> None:
        data = (config.data.dataset, config.data.classes)
        if self._note_pending:
            self._note_data = data  # the data set the note is about
        elif data != self._note_data and self.banner.isVisible() and self.banner.label.text() == self._problem_note:
            self.banner.hide()
        self._note_pending = False
        self.app_state.set_config(config)
        self.configChanged.emit(config, section)

    # -- user actions -------------------------------------------------------------------------------
    def config(self) -> Config:
        """The configuration shown and edited (the app state's)."""
        return self.app_state.config

    def _reinitialise(self) -> None:
        spin = self.controls.network.seed
        with signals_blocked(spin):
            seed = self.controls.network.new_random_seed()
        self.app_state.set_config(self.controls.config())
        self.reinitialiseRequested.emit(seed)

    # -- settings -----------------------------------------------------------------------------------
    def save_settings(self, settings: QSettings) -> None:
        settings.setValue("config", json.dumps(self.config().to_dict()))
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("windowState", self.saveState())
        settings.setValue("resolution", self.toolbar.resolution.currentData())
        settings.setValue("device", self.toolbar.device.currentData())
        settings.setValue("showTest", self.toolbar.show_test.isChecked())
        settings.setValue("logLoss", self.curves.log_check.isChecked())
        settings.setValue("discretize", self.decision.discretize)
        settings.setValue("restorableRuns", self.runs.log.states_kept)
        settings.sync()

    def restore_settings(self, settings: QSettings, *, config: bool = True) -> None:
        """Restore what ``save_settings`` stored. A missing value keeps the default; an invalid one (a file
        edited by hand, another version's) gets the default too, and the status bar names them all, once."""
        reset: list[str] = []
        if config and settings.contains("config"):
            restored, reset = config_from_saved_json(str(settings.value("config")))
            self.app_state.set_config(restored)
        for key, restore in (("geometry", self.restoreGeometry), ("windowState", self.restoreState)):
            if settings.contains(key):
                value = settings.value(key)
                if not (isinstance(value, QByteArray) and restore(value)):
                    reset.append(key)
        resolution = _whole_number(settings.value("resolution", DEFAULT_RESOLUTION))
        index = -1 if resolution is None else self.toolbar.resolution.findData(resolution)
        if index < 0:
            reset.append("resolution")
            index = max(self.toolbar.resolution.findData(DEFAULT_RESOLUTION), 0)
        self.toolbar.resolution.setCurrentIndex(index)
        unavailable = self._restore_device(settings, reset)
        for key, default, apply in (
            ("showTest", True, self.toolbar.show_test.setChecked),
            ("logLoss", False, self.curves.set_log_loss),
            ("discretize", False, self.decision.set_discretize),
        ):
            value = _boolean(settings.value(key, default))
            if value is None:
                reset.append(key)
            apply(default if value is None else value)
        if settings.contains("restorableRuns"):
            kept = _whole_number(settings.value("restorableRuns"))
            if kept is None or not 1 <= kept <= MAX_RUNS:
                reset.append("restorableRuns")
            else:
                self.runs.set_states_kept(kept)
        messages = [f"Some saved settings were invalid and were reset: {', '.join(reset)}"] if reset else []
        if unavailable:
            messages.append(f"{unavailable} is not available on this machine: training on the CPU.")
        if messages:
            self.show_message(". ".join(messages))

    def _restore_device(self, settings: QSettings, reset: list[str]) -> str | None:
        """Select the saved device where this machine has it, else the CPU. Returns the name of a known device
        this machine lacks (settings from a CUDA machine); an unknown value goes to ``reset``."""
        saved = str(settings.value("device", CPU))
        index = self.toolbar.device.findData(saved)
        self.toolbar.device.setCurrentIndex(index if index >= 0 else self.toolbar.device.findData(CPU))
        if index >= 0:
            return None
        if saved not in DEVICE_LABELS:
            reset.append("device")
            return None
        return DEVICE_LABELS[saved]

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.closing.emit()
        super().closeEvent(event)


def _boolean(value: object) -> bool | None:
    """QSettings' INI files give strings back: "true"/"false"; None for anything else."""
    if value in (True, "true", "True", "1", 1):
        return True
    if value in (False, "false", "False", "0", 0):
        return False
    return None


def _whole_number(value: object) -> int | None:
    """A saved whole number (INI files give strings back), or None if ``value`` is not one."""
    try:
        return int(str(value))
    except ValueError:
        return None
