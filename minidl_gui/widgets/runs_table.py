"""The "Runs" dock: every ended run in a table; selected runs overlay their loss curves; Restore brings one back.

``add_run(run)`` is all it needs (the worker reports each run that ends). Selecting rows shows those
runs' test (or train) loss as dashed curves on the loss plot, with a legend; Restore (or a
double-click) asks, with ``restoreRequested(run)``, for that run to become the current one again.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minidl.formatting import duration
from minidl_gui.model.runs_log import MAX_RUNS, Run, RunsLog, features_text
from minidl_gui.plots.run_overlays import RunOverlays, run_color
from minidl_gui.widgets.forms import signals_blocked
from minidl_gui.widgets.spinboxes import int_spin

HEADERS = (
    "Run",
    "Configuration",
    "Train acc. / R²",
    "Test acc. / R²",
    "Epochs",
    "Time",
    "Ended",
    "Problem",
    "Features",
)
HEADER_TIPS = {
    2: "Final training accuracy of a classification, R² of a regression",
    3: "Final test accuracy of a classification, R² of a regression",
    7: "What the run learnt: binary, k classes or regression",
    8: "The network's input features",
}
_NUMBER_ROLE = Qt.ItemDataRole.UserRole
VISIBLE_ROWS = 3
"""Rows the dock shows when it first opens (it scrolls beyond, and can be dragged taller)."""


class RunsDock(QDockWidget):
    """The runs table over ``loss_plot``; ``log`` holds the runs, ``overlays`` their curves."""

    restoreRequested = Signal(object)  # noqa: N815 (Qt naming)
    message = Signal(str)

    def __init__(self, loss_plot: pg.PlotWidget, on_overlays_changed: Callable[[], None] | None = None) -> None:
        super().__init__("Runs")
        self.setObjectName("runsDock")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.log = RunsLog()
        self.overlays = RunOverlays(loss_plot, on_overlays_changed)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("runsTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        for column, tip in HEADER_TIPS.items():
            self.table.horizontalHeaderItem(column).setToolTip(tip)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip("Select runs to overlay their loss curves; double-click one to restore it")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.cellDoubleClicked.connect(lambda row, _: self._restore_row(row))
        self.column = QComboBox()
        self.column.setObjectName("runsLossCombo")
        self.column.addItem("test loss", "test_loss")
        self.column.addItem("train loss", "train_loss")
        self.column.setToolTip("Which loss the selected runs overlay on the loss plot")
        self.column.currentIndexChanged.connect(self._selection_changed)
        self.restore_button = self._button(
            "Restore",
            "restoreRunButton",
            self._restore_selected,
            "Make the selected run current again: its settings, weights and curves",
        )
        self.remove_button = self._button(
            "Remove", "removeRunButton", self._remove_selected, "Forget the selected runs"
        )
        self.clear_button = self._button("Clear", "clearRunsButton", self.clear, "Forget every run")  # fmt: skip
        self.states_kept = int_spin(
            1,
            MAX_RUNS,
            "restorableRunsSpin",
            "How many of the latest runs keep their full saved state, for Restore (about 1 MB each).\n"
            "Older runs stay listed and overlaid, but their state is dropped: they cannot be restored.",
        )
        self.states_kept.setValue(self.log.states_kept)
        self.states_kept.setSuffix(" runs")
        self.states_kept.valueChanged.connect(self.set_states_kept)
        kept_label = QLabel("Keep states of last")
        kept_label.setBuddy(self.states_kept)
        kept_label.setToolTip(self.states_kept.toolTip())
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(QLabel("Overlay"))
        buttons.addWidget(self.column)
        buttons.addStretch(1)
        buttons.addWidget(kept_label)
        buttons.addWidget(self.states_kept)
        for button in (self.restore_button, self.remove_button, self.clear_button):
            buttons.addWidget(button)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.setWidget(content)
        self._revealed = False
        self._selection_changed()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Compact: the title, the buttons, the table's header and `VISIBLE_ROWS` rows."""
        table = self.table
        rows = VISIBLE_ROWS * table.verticalHeader().defaultSectionSize()
        table_height = table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth()
        hint = super().sizeHint()
        return QSize(hint.width(), hint.height() - table.sizeHint().height() + table_height)

    def _button(self, text: str, name: str, slot: object, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # -- runs ---------------------------------------------------------------------------------------
    def add_run(self, run: Run) -> Run:
        """Keep ``run`` (numbered now): a new row at the bottom and a hidden overlay curve."""
        run, dropped = self.log.add(run)
        for old in dropped:
            self._forget(old)
        self.overlays.add(run)
        row = self.table.rowCount()
        self.table.insertRow(row)
        swatch = QPixmap(10, 10)
        swatch.fill(QColor(run_color(run)))
        cells = (
            str(run.number),
            run.summary,
            run.metric("train"),
            run.metric("test"),
            str(run.epochs),
            duration(run.elapsed),
            run.ended,
            str(run.config.data.problem),
            features_text(run.config.network),
        )
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(_NUMBER_ROLE, run.number)
            if column != 1:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(row, column, item)
        self.table.item(row, 0).setIcon(QIcon(swatch))
        self.table.item(row, 1).setToolTip("\n".join((run.summary, *(f"Changed {c}" for c in run.changes))))
        self.table.scrollToBottom()
        self._drop_old_states()
        self._update_buttons()
        self._reveal()
        return run

    def set_states_kept(self, kept: int) -> None:
        """Keep the saved state (for Restore) of the latest ``kept`` runs (1 to `MAX_RUNS`); the spin box shows it."""
        self.log.states_kept = min(max(1, kept), MAX_RUNS)
        with signals_blocked(self.states_kept):
            self.states_kept.setValue(self.log.states_kept)
        self._drop_old_states()
        self._update_buttons()

    def _drop_old_states(self) -> None:
        """Forget the oldest runs' states beyond ``log.states_kept``: their rows stay, not restorable, and say why."""
        dropped = self.log.drop_old_states()
        why = (
            f"Its saved state was dropped to save memory: only the latest {self.log.states_kept} runs keep "
            "theirs, so it cannot be restored."
        )
        for run in dropped:
            self.overlays.update(run)  # its curve must not keep the state alive
            row = self._row_of(run)
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                item.setToolTip("\n".join(filter(None, (item.toolTip(), why))))
        if dropped:
            names = ", ".join(run.label for run in dropped)
            them = "they" if len(dropped) > 1 else "it"
            self.message.emit(f"Dropped the saved state of {names} to save memory: {them} can no longer be restored.")

    def _reveal(self) -> None:
        """Show the dock, at its compact height, when the first run ends (later the user decides)."""
        if self._revealed:
            return
        self._revealed = True
        window = self.parentWidget()
        if self.isHidden() and isinstance(window, QMainWindow):
            self.show()
            window.resizeDocks([self], [self.sizeHint().height()], Qt.Orientation.Vertical)

    def selected_runs(self) -> list[Run]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._run_at(row) for row in rows]

    def select(self, runs: list[Run]) -> None:
        """Select exactly ``runs`` (their curves show)."""
        numbers = {run.number for run in runs}
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(_NUMBER_ROLE) in numbers:
                self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    def clear(self) -> None:
        for run in list(self.log):
            self._forget(run)
        self._update_buttons()

    def _run_at(self, row: int) -> Run:
        return self.log.by_number(self.table.item(row, 0).data(_NUMBER_ROLE))

    def _row_of(self, run: Run) -> int:
        """The row of ``run`` (-1 if none)."""
        rows = range(self.table.rowCount())
        return next((row for row in rows if self.table.item(row, 0).data(_NUMBER_ROLE) == run.number), -1)

    def _forget(self, run: Run) -> None:
        row = self._row_of(run)
        if row >= 0:
            self.table.removeRow(row)
        if run.number in self.overlays.items:
            self.overlays.remove(run)
        if run in self.log:
            self.log.remove(run)

    # -- user actions -------------------------------------------------------------------------------
    def _selection_changed(self) -> None:
        runs = self.selected_runs()
        self.overlays.show({run.number for run in runs}, self.column.currentData())
        self._update_buttons()

    def _update_buttons(self) -> None:
        runs = self.selected_runs()
        self.restore_button.setEnabled(len(runs) == 1 and runs[0].saved is not None)
        self.remove_button.setEnabled(bool(runs))
        self.clear_button.setEnabled(len(self.log) > 0)

    def _restore_selected(self) -> None:
        runs = self.selected_runs()
        if len(runs) == 1:
            self.restoreRequested.emit(runs[0])

    def _restore_row(self, row: int) -> None:
        run = self._run_at(row)
        if run.saved is not None:
            self.restoreRequested.emit(run)

    def _remove_selected(self) -> None:
        for run in self.selected_runs():
            self._forget(run)
        self._selection_changed()
