"""`DataActions`: drawing, editing, importing and exporting the points, from the window's side.

It adds a drawing row to the Data group (what a click adds: a class picker with the problem's k classes, or
for a regression a target value in [-1, 1]; Clear points, Add noise and its σ, Undo),
"Import points…" / "Export points…" to the File menu and the same edits to an Edit menu, and turns
the decision plot's clicks into edits (`minidl_gui.model.point_edits`) for the worker, which applies
them between two epochs without touching the model. An imported file is read and split by
`minidl_gui.model.points_file` off the UI thread (the window's `BackgroundLoads`), with the Data group's
train/test ratio and seed (the app state's configuration); a bad file changes nothing and the banner
names its first bad line. Exported files hold every point shown, training then test (`write_points`).
Whether the points are custom is the app state's to say: the worker's snapshots report it.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMenu, QPushButton, QStackedWidget, QWidget

from minidl.data import CSVFormatError
from minidl.problem import Problem
from minidl_gui.background_load import BackgroundLoads
from minidl_gui.model.app_state import AppState
from minidl_gui.model.point_edits import (
    NOISE_STD,
    AddNoise,
    AddPoint,
    ClearPoints,
    DeleteNearest,
    PointsEdit,
    ReplacePoints,
)
from minidl_gui.model.points_file import PointsCountError, read_points, write_points
from minidl_gui.model.snapshot import Snapshot
from minidl_gui.plots.decision_plot import DecisionPlot
from minidl_gui.plots.point_editor import HINT, hint
from minidl_gui.widgets.banner import MessageBanner
from minidl_gui.widgets.class_picker import ClassPicker
from minidl_gui.widgets.data_panel import DataPanel
from minidl_gui.widgets.spinboxes import float_spin

CSV_FILTER = "CSV points (*.csv);;All files (*)"
IMPORT_TIP = (
    "Replace the points with those of a CSV file (x1,x2,label rows, label 0 or 1). They are split into "
    "training and test points with the Data group's train/test ratio and seed, as `minidl train --data` does."
)
EXPORT_TIP = "Save every point, training then test, as x1,x2,label CSV rows (the format Import reads)."
TARGET_TIP = "The target value a click on the plot adds (a regression's points carry a number in [-1, 1])"
NOTHING_TO_EXPORT = "<b>Nothing to export:</b> there are no points. Draw some or import a CSV."


class DataActions(QObject):
    """The point-editing side of the window, built from its collaborators: the ``app_state`` (the
    configuration an import is split by), the ``decision`` plot (its clicks, whether test points show),
    the ``data_panel`` (gets the drawing row), the ``file_menu`` and ``edit_menu``, the ``banner``, the
    ``loads`` (files read off the UI thread), ``shown`` (the snapshot whose points Export writes) and the
    ``parent`` widget (of the file dialogs).

    Emits ``editRequested(edit)`` (a `point_edits` edit) and ``undoRequested`` for the worker,
    ``importFinished(ok)`` after each import that started, ``message(text)`` for the status bar.
    """

    editRequested = Signal(object)  # noqa: N815 (Qt naming)
    importFinished = Signal(bool)  # noqa: N815 True: the imported points were sent to the worker
    undoRequested = Signal()  # noqa: N815
    message = Signal(str)

    def __init__(
        self,
        *,
        app_state: AppState,
        decision: DecisionPlot,
        data_panel: DataPanel,
        file_menu: QMenu,
        edit_menu: QMenu,
        banner: MessageBanner,
        loads: BackgroundLoads,
        shown: Callable[[], Snapshot | None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.app_state, self.decision, self.data_panel = app_state, decision, data_panel
        self.banner, self.loads, self.shown, self.dialog_parent = banner, loads, shown, parent
        self.editor = decision.editor
        self._error = ""
        self._build_row()
        self._build_actions(file_menu, edit_menu)
        self.editor.addRequested.connect(lambda x1, x2, label: self.request(AddPoint(x1, x2, label)))
        self.editor.deleteRequested.connect(self._delete)
        app_state.config_changed.connect(self._follow_problem)
        self._follow_problem()

    def _build_row(self) -> None:
        self.class_picker = ClassPicker()
        self.class_picker.classChanged.connect(self._draw_label_changed)
        self.target = float_spin(-1.0, 1.0, 2, 0.1, "targetSpin", TARGET_TIP)
        self.target.setValue(1.0)
        self.target.valueChanged.connect(self._draw_label_changed)
        self.draw_choice = QStackedWidget()
        self.draw_choice.setObjectName("drawChoice")
        self.draw_choice.addWidget(self.class_picker)
        self.draw_choice.addWidget(self.target)
        self.noise_std = float_spin(0.0, 1.0, 3, 0.01, "jitterSpin", "Standard deviation of Add noise's jitter")
        self.noise_std.setValue(NOISE_STD)
        self.draw_row_label = self.data_panel.row(("Draw", self.draw_choice), ("Jitter σ", self.noise_std))[0]
        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.clear_button = _button("Clear points", "clearPointsButton", "Remove every point (Ctrl+Z undoes)")
        self.noise_button = _button("Add noise", "addNoiseButton", "Jitter the training points by Gaussian noise")
        self.undo_button = _button("Undo", "undoPointsButton", "Undo the last change of the points (Ctrl+Z)")
        for button, slot in (
            (self.clear_button, self.clear),
            (self.noise_button, self.add_noise),
            (self.undo_button, self.undo),
        ):
            button.clicked.connect(slot)
            row.addWidget(button)
        self.data_panel.wide(buttons)
        self.hint = QLabel()
        self.hint.setObjectName("drawHint")
        self.hint.setToolTip(HINT)
        self.hint.setStyleSheet("color: #666;")
        self.hint.setWordWrap(True)
        self.data_panel.wide(self.hint)

    def _build_actions(self, file_menu: QMenu, edit_menu: QMenu) -> None:
        self.import_action = _action(self, "Import points…", "Ctrl+Shift+O", IMPORT_TIP, self._import_dialog)
        self.export_action = _action(self, "Export points…", "Ctrl+Shift+E", EXPORT_TIP, self._export_dialog)
        _insert_before_last_section(file_menu, [self.import_action, self.export_action])
        self.undo_action = _action(self, "Undo points change", QKeySequence.StandardKey.Undo, "", self.undo)
        self.clear_action = _action(self, "Clear points", "", "Remove every point", self.clear)
        self.noise_action = _action(self, "Add noise", "", "Jitter the training points", self.add_noise)
        edit_menu.addActions([self.undo_action, self.clear_action, self.noise_action])

    # -- edits --------------------------------------------------------------------------------------
    def request(self, edit: PointsEdit) -> None:
        """Send ``edit`` to the worker (its snapshot then says the points are custom)."""
        self.editRequested.emit(edit)

    def clear(self) -> None:
        self.request(ClearPoints())

    def add_noise(self) -> None:
        self.request(AddNoise(self.noise_std.value(), random.randrange(2**31)))

    def undo(self) -> None:
        self.undoRequested.emit()

    def _delete(self, x1: float, x2: float, radius: float) -> None:
        self.request(DeleteNearest(x1, x2, radius, include_test=self.decision.show_test))

    # -- what a click adds -------------------------------------------------------------------------
    @property
    def problem(self) -> Problem:
        return self.editor.problem

    def _follow_problem(self) -> None:
        """Offer what the configuration's problem draws: its k classes, or a target value."""
        problem = self.app_state.config.data.problem
        if problem == self.editor.problem and self.hint.text():
            return
        self.editor.problem = problem
        self.class_picker.set_problem(problem)
        classification = problem.is_classification
        self.draw_choice.setCurrentWidget(self.class_picker if classification else self.target)
        self.draw_row_label.setText("Class" if classification else "Target")
        self.draw_row_label.setToolTip(self.draw_choice.currentWidget().toolTip() or HINT)
        self._draw_label_changed()

    def _draw_label_changed(self) -> None:
        """The class picked or the target set becomes what a click adds; the hint says so."""
        if self.problem.is_classification:
            self.editor.draw_label = float(self.class_picker.current())
        else:
            self.editor.draw_label = self.target.value()
        self.hint.setText(hint(self.problem, self.editor.draw_label))

    # -- files --------------------------------------------------------------------------------------
    def import_points(self, path: str | Path) -> bool:
        """Start replacing the points with the file's, read and split off the UI thread (see the module);
        on any problem say so and keep them. False when another load is in flight (nothing started);
        else ``importFinished(ok)`` follows."""
        return self.loads.start(
            f"Importing {Path(path).name}",
            partial(read_points, path, self.app_state.config.data),
            self._imported,
            lambda error: self._import_failed(path, error),
            (CSVFormatError, PointsCountError, OSError),
        )

    def _imported(self, edit: ReplacePoints) -> None:
        self._clear_error()
        self.app_state.set_config(edit.adopted(self.app_state.config)[0])  # points of another problem: the worker
        self.request(edit)  # switches its data set the same way, and says so
        self.importFinished.emit(True)

    def _import_failed(self, path: str | Path, error: BaseException) -> None:
        where = html.escape(str(path))
        if isinstance(error, CSVFormatError):
            self._fail(f"<b>Import failed:</b> {html.escape(str(error))}. The current points are unchanged.")
        elif isinstance(error, PointsCountError):
            self._fail(f"<b>Import failed:</b> {html.escape(str(error))}. Nothing changed.")
        elif isinstance(error, OSError):
            self._fail(f"<b>Import failed:</b> cannot read {where}: {error.strerror or error}.")
        else:
            self._fail(f"<b>Import failed:</b> {html.escape(str(error))}. The current points are unchanged.")
        self.importFinished.emit(False)

    def export_points(self, path: str | Path) -> bool:
        """Write every point shown (training then test) to ``path`` as CSV."""
        snapshot = self.shown()
        if snapshot is None:
            return self._fail(NOTHING_TO_EXPORT)
        try:
            count = write_points(path, snapshot.train, snapshot.test, snapshot.problem)
        except PointsCountError:
            return self._fail(NOTHING_TO_EXPORT)
        except OSError as error:
            return self._fail(f"<b>Export failed:</b> cannot write {html.escape(str(path))}: {error.strerror}.")
        self._clear_error()
        self.message.emit(f"Exported {count} points to {path}.")
        return True

    def _import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.dialog_parent, "Import points", "", CSV_FILTER)
        if path:
            self.import_points(path)

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.dialog_parent, "Export points", "points.csv", CSV_FILTER)
        if path:
            self.export_points(path)

    def _fail(self, text: str) -> bool:
        self._error = text
        self.banner.show_message(text, "error")
        return False

    def _clear_error(self) -> None:
        """Hide the banner if it still shows this object's last error (not somebody else's)."""
        if self._error and self.banner.label.text() == self._error:
            self.banner.hide()
        self._error = ""


def _insert_before_last_section(menu: QMenu, actions: list[QAction]) -> None:
    """Put ``actions`` in their own section before the menu's last one (say, above "Quit")."""
    separators = [action for action in menu.actions() if action.isSeparator()]
    if not separators:
        menu.addSeparator()
        menu.addActions(actions)
        return
    menu.insertActions(separators[-1], actions)
    menu.insertSeparator(actions[0])


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button


def _action(parent: QObject, text: str, key: str | QKeySequence.StandardKey, tip: str, slot: object) -> QAction:
    action = QAction(text, parent)
    if key:
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setToolTip(tip)
    action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action
