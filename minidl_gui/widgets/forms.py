"""Small helpers for compact, consistently built control groups."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QSignalBlocker
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QWidget


def combo(items: Iterable[tuple[str, str]], name: str, tip: str) -> QComboBox:
    """A combo box of ``(label, data)`` items, named and explained."""
    box = QComboBox()
    for label, data in items:
        box.addItem(label, data)
    box.setObjectName(name)
    box.setToolTip(tip)
    return box


def select(box: QComboBox, data: str) -> None:
    """Select the item whose data is ``data`` (no change if there is none)."""
    index = box.findData(data)
    if index >= 0:
        box.setCurrentIndex(index)


class FormGroup(QGroupBox):
    """A titled group laid out on a grid of (label, field) pairs, one or two pairs per row."""

    def __init__(self, title: str, name: str) -> None:
        super().__init__(title)
        self.setObjectName(name)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(6, 4, 6, 6)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(3)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self._row = 0

    def row(self, *pairs: tuple[str, QWidget]) -> list[QLabel]:
        """Add one row: a pair spans the whole width, two pairs share it. Returns the labels."""
        labels = []
        for column, (text, widget) in enumerate(pairs):
            label = QLabel(text)
            label.setBuddy(widget)
            label.setToolTip(widget.toolTip())
            labels.append(label)
            span = 3 if len(pairs) == 1 else 1
            self.grid.addWidget(label, self._row, 2 * column)
            self.grid.addWidget(widget, self._row, 2 * column + 1, 1, span)
        self._row += 1
        return labels

    def wide(self, widget: QWidget) -> None:
        """Add a widget across the whole width."""
        self.grid.addWidget(widget, self._row, 0, 1, 4)
        self._row += 1


@contextmanager
def signals_blocked(*objects: QObject) -> Iterator[None]:
    """Set values programmatically without each widget announcing a user change."""
    blockers = [QSignalBlocker(obj) for obj in objects]
    try:
        yield
    finally:
        for blocker in blockers:
            blocker.unblock()
