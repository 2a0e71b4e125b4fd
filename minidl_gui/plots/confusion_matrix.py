"""`ConfusionView`: the live k×k confusion matrix of the train or the test set, as counts or row percentages.

Row i is the true class i, column j the predicted class j: cell (i, j) counts the points of class i the
model puts in class j, so the diagonal holds the correct ones and each row sums to the class's size. Row-
normalised, a cell is the share of its row, ``100 · C[i, j] / Σ_j C[i, j]`` (a row of no points shows "–"):
the diagonal is then each class's recall. A cell's shade grows with that share, in the predicted class's
colour, so an off-diagonal patch shows which class the points are taken for.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minidl.formatting import percent
from minidl_gui.model.colours import CLASS_COLOURS
from minidl_gui.model.snapshot import Snapshot

SETS = (("Train", "train"), ("Test", "test"))
REGRESSION_TEXT = "Regression: no classes — see RMSE and R² in Curves"
EMPTY_TEXT = "No confusion matrix yet: train the model"
SHADE = 0.6
"""A cell holding its whole row is mixed this far from white to the predicted class's colour."""


def row_percentages(matrix: np.ndarray) -> np.ndarray:
    """``100 · C[i, j] / Σ_j C[i, j]``, NaN in the rows without points."""
    matrix = np.asarray(matrix, dtype=float)
    totals = matrix.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, 100.0 * matrix / totals, np.nan)


def _shade(colour: tuple[int, int, int], share: float) -> QColor:
    """White mixed ``SHADE · share`` of the way to ``colour``."""
    t = SHADE * (0.0 if np.isnan(share) else share)
    return QColor(*(round(255 + t * (c - 255)) for c in colour))


def _swatch(colour: tuple[int, int, int]) -> QIcon:
    pixmap = QPixmap(10, 10)
    pixmap.fill(QColor(*colour))
    return QIcon(pixmap)


class ConfusionView(QWidget):
    """Shows a snapshot's ``train_confusion`` / ``test_confusion`` (``show_snapshot``), the set chosen in
    ``set_combo`` (``confusionSetCombo``), as counts or row percentages (``normalize_check``,
    ``confusionNormalizeCheck``); for a regression a line pointing to the RMSE and R² curves. While hidden
    (another tab shown) it only keeps the snapshot and draws it when shown."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("confusionView")
        self.set_combo = QComboBox()
        self.set_combo.setObjectName("confusionSetCombo")
        self.set_combo.setToolTip("The points counted: the training set or the test set")
        for label, key in SETS:
            self.set_combo.addItem(label, key)
        self.normalize_check = QCheckBox("Row %")
        self.normalize_check.setObjectName("confusionNormalizeCheck")
        self.normalize_check.setToolTip("Each row as percentages of its class's points (the diagonal: recall)")
        self.summary = QLabel()
        self.summary.setObjectName("confusionSummary")
        header = QHBoxLayout()
        header.setContentsMargins(4, 0, 4, 0)
        header.addWidget(self.set_combo)
        header.addWidget(self.normalize_check)
        header.addStretch(1)
        self.table = QTableWidget()
        self.table.setObjectName("confusionTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for header_view in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header_view.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        caption = QLabel("rows: true class · columns: predicted class")
        caption.setStyleSheet("color: #555")
        matrix_page = QWidget()
        matrix_layout = QVBoxLayout(matrix_page)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        matrix_layout.addWidget(caption)
        matrix_layout.addWidget(self.table, 1)
        matrix_layout.addWidget(self.summary)
        self.message = QLabel(EMPTY_TEXT)
        self.message.setObjectName("confusionMessage")
        self.message.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(matrix_page)
        self.pages.addWidget(self.message)
        self.pages.setCurrentWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        self._snapshot: Snapshot | None = None
        self._stale = False
        self.set_combo.currentIndexChanged.connect(self._redraw)
        self.normalize_check.toggled.connect(self._redraw)

    def matrix(self) -> np.ndarray | None:
        """The confusion matrix shown (of the chosen set), None when there is none."""
        if self._snapshot is None:
            return None
        matrix = getattr(self._snapshot, f"{self.set_combo.currentData()}_confusion")
        return None if matrix is None else np.asarray(matrix)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        if self.isVisible():
            self._redraw()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self._redraw()

    def _redraw(self) -> None:
        self._stale = False
        snapshot = self._snapshot
        if snapshot is not None and not snapshot.problem.is_classification:
            self._show_message(REGRESSION_TEXT)
            return
        matrix = self.matrix()
        if matrix is None:
            self._show_message(EMPTY_TEXT)
            return
        self._fill(matrix)
        self.pages.setCurrentIndex(0)
        self.set_combo.setEnabled(True)
        self.normalize_check.setEnabled(True)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)
        self.set_combo.setEnabled(False)
        self.normalize_check.setEnabled(False)

    def _fill(self, matrix: np.ndarray) -> None:
        k = len(matrix)
        shares = row_percentages(matrix)
        normalized = self.normalize_check.isChecked()
        if self.table.rowCount() != k:
            self.table.setRowCount(k)
            self.table.setColumnCount(k)
            for c in range(k):
                for set_header, text in (
                    (self.table.setVerticalHeaderItem, f"true {c}"),
                    (self.table.setHorizontalHeaderItem, f"pred. {c}"),
                ):
                    item = QTableWidgetItem(_swatch(CLASS_COLOURS[c]), text)
                    item.setToolTip(f"Class {c}")
                    set_header(c, item)
        for i in range(k):
            for j in range(k):
                share = shares[i, j]
                text = percent(share / 100) if normalized else str(int(matrix[i, j]))  # "–" for an empty row
                item = self.table.item(i, j) or QTableWidgetItem()
                item.setText(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QBrush(_shade(CLASS_COLOURS[j], share / 100)))
                item.setToolTip(
                    f"True class {i}, predicted {j}: {int(matrix[i, j])} points"
                    + ("" if np.isnan(share) else f" ({percent(share / 100)} of class {i})")
                )
                if self.table.item(i, j) is None:
                    self.table.setItem(i, j, item)
        total, correct = int(matrix.sum()), int(np.trace(matrix))
        accuracy = f", accuracy {percent(correct / total)}" if total else ""
        self.summary.setText(f"{self.set_combo.currentText()}: {total} points, {correct} correct{accuracy}")
