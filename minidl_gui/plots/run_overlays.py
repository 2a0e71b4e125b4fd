"""`RunOverlays`: earlier runs' loss curves drawn over the loss plot, one dashed curve per run.

Each run gets its curve item once, when it is added; showing a selection only toggles visibility
(and the legend entry), switching between the train and test loss only feeds new data.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from minidl_gui.model.history import downsample
from minidl_gui.model.runs_log import Run

RUN_COLORS = ("#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#d62728")
"""Run colours, in turn: none is the live curves' blue (train) or orange (test)."""

MAX_DRAWN_POINTS = 2000


def run_color(run: Run) -> str:
    return RUN_COLORS[(run.number - 1) % len(RUN_COLORS)]


class RunOverlays:
    """Overlays on ``plot`` (a `PlotWidget` or `PlotItem` with a legend): ``add``, ``remove``, ``show``.
    ``on_change()`` is called after the shown curves changed (e.g. to refit the epoch axis)."""

    def __init__(self, plot: pg.PlotWidget | pg.PlotItem, on_change: Callable[[], None] | None = None) -> None:
        self.plot: pg.PlotItem = plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot
        self.on_change = on_change
        self.column = "test_loss"
        self.items: dict[int, tuple[Run, pg.PlotDataItem]] = {}
        self.shown: set[int] = set()

    def add(self, run: Run) -> pg.PlotDataItem:
        """Create ``run``'s curve, hidden."""
        pen = pg.mkPen(run_color(run), width=1.6, style=Qt.PenStyle.DashLine)
        item = pg.PlotDataItem(pen=pen)
        item.setClipToView(True)
        item.setVisible(False)
        self.plot.addItem(item)
        self.items[run.number] = (run, item)
        self._feed(run, item)
        return item

    def update(self, run: Run) -> None:
        """Hold ``run`` (a new record of a listed run, e.g. without its saved state) instead of the old one."""
        if run.number in self.items:
            self.items[run.number] = (run, self.items[run.number][1])

    def remove(self, run: Run) -> None:
        _, item = self.items.pop(run.number)
        self.shown.discard(run.number)
        self._legend_remove(item)
        self.plot.removeItem(item)
        self._changed()

    def show(self, numbers: set[int] | list[int], column: str | None = None) -> None:
        """Show the runs numbered ``numbers`` (and hide the others), drawing ``column`` ("test_loss" or
        "train_loss"; unchanged when None)."""
        if column is not None and column != self.column:
            self.column = column
            for run, item in self.items.values():
                self._feed(run, item)
        self.shown = set(numbers) & set(self.items)
        for number, (run, item) in self.items.items():
            visible = number in self.shown
            item.setVisible(visible)
            self._legend_remove(item)
            if visible:
                self.plot.legend.addItem(item, f"{run.label} ({self._column_of(run).split('_')[0]})")
        self._changed()

    def data(self, run: Run) -> tuple[np.ndarray, np.ndarray]:
        """What ``run``'s curve draws (for tests and the readout)."""
        x, y = self.items[run.number][1].getData()
        return (np.zeros(0), np.zeros(0)) if x is None else (x, y)

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def _column_of(self, run: Run) -> str:
        """The chosen loss, or the training loss for a run without test points."""
        if self.column == "test_loss" and np.all(np.isnan(run.history["test_loss"])):
            return "train_loss"
        return self.column

    def _feed(self, run: Run, item: pg.PlotDataItem) -> None:
        epochs, values = run.history["epoch"], run.history[self._column_of(run)]
        finite = np.isfinite(values)
        item.setData(*downsample(epochs[finite], values[finite], MAX_DRAWN_POINTS))

    def _legend_remove(self, item: pg.PlotDataItem) -> None:
        legend = self.plot.legend
        if legend is not None and any(sample.item is item for sample, _ in legend.items):
            legend.removeItem(item)
