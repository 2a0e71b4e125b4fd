"""`CurvesView`: train/test loss (log-y toggle) and accuracy per epoch (RMSE and R² for a regression), with a
hover readout.

Cheap to redraw while training: the curves are fed only when the history changed, the epoch axis
grows in steps (`epoch_span`) so it is repainted only when it jumps, and the y auto-range is
settled before painting (pyqtgraph would otherwise settle it during the paint and paint twice), and so are the
axes' pictures and the relayout a new tick text width asks for (`prepare_steps`): each plot's paint then only
draws, once. While training this comes in steps of a few ms each (`history_steps`), the plots' paints held until the
last.
Without a grid: grid lines make each axis cover the whole plot, so every data update repaints them.
The arrays drawn come prepared (`minidl_gui.model.curves_frame`, made on the worker thread with each snapshot);
without a frame for the history shown, the view makes it with the same function.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from minidl.formatting import number, percent
from minidl.problem import Problem
from minidl_gui.model.curves_frame import CLASSIFICATION_KEYS, REGRESSION_KEYS, CurvesFrame, curves_frame
from minidl_gui.model.history import History
from minidl_gui.plots.aligned_axes import ReplicatingViewBox, SharedWidthAxis, align_left_axes
from minidl_gui.plots.elided_label import ElidedLabel
from minidl_gui.plots.held_updates import HeldUpdates
from minidl_gui.plots.paint_ready import prepare_for_paint, prepare_steps
from minidl_gui.plots.style import TEST, TRAIN, setup_plot

DASH = Qt.PenStyle.DashLine
CURVES = (
    ("train_loss", "loss", TRAIN, "train", Qt.PenStyle.SolidLine),
    ("test_loss", "loss", TEST, "test", Qt.PenStyle.SolidLine),
    ("train_accuracy", "metric", TRAIN, "train", Qt.PenStyle.SolidLine),
    ("test_accuracy", "metric", TEST, "test", Qt.PenStyle.SolidLine),
    ("train_rmse", "metric", TRAIN, "RMSE train", Qt.PenStyle.SolidLine),
    ("test_rmse", "metric", TEST, "RMSE test", Qt.PenStyle.SolidLine),
    ("train_r2", "metric", TRAIN, "R² train", DASH),
    ("test_r2", "metric", TEST, "R² test", DASH),
)
"""Each curve: its history column, its plot (the loss or the metric plot), colour, legend label and line style.
The metric plot shows the accuracies for a classification, RMSE (solid) and R² (dashed) for a regression."""
CURVE_PLOTS = {key: plot for key, plot, *_ in CURVES}
"""Each curve's plot: "loss" or "metric"."""
PLOTS = ("loss", "metric")
METRIC_LABELS = {False: ("Accuracy", "accuracy (%)"), True: ("RMSE and R²", "RMSE · R²")}

SPAN_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
"""Mantissas of the epoch axis' lengths: consecutive ones differ by at most a quarter."""
MIN_SPAN = 10


def epoch_span(last_epoch: float) -> float:
    """The epoch axis' length for curves ending at ``last_epoch``: the smallest of 10, 12, 15, 20, 25, 30,
    40, 50, 60, 80, 100, … not below it, so the axis moves (and repaints) only now and then and at most
    a fifth of the plot is left empty."""
    if not last_epoch > MIN_SPAN:  # also NaN
        return float(MIN_SPAN)
    decade = 10.0 ** np.floor(np.log10(last_epoch))
    return next(decade * step for step in (*SPAN_STEPS, 10.0) if decade * step >= last_epoch)


def settle_auto_range(*plots: pg.PlotWidget) -> None:
    """Apply the auto-range now rather than when painting: pyqtgraph applies it in the paint, and the
    range change then asks for a second paint (of the axes too)."""
    views = [plot.getPlotItem().vb for plot in plots]
    for view in views:
        view.updateAutoRange()
    for view in views:  # a linked view's new range is applied here, not in the paint either
        view.updateMatrix()


def _plot_widget(name: str, title: str, left: str, legend_offset: tuple[int, int]) -> pg.PlotWidget:
    widget = pg.PlotWidget(  # the loss axis may go log; both plots' left axes share a width (`align_left_axes`)
        background="w", axisItems={"left": SharedWidthAxis("left")}, viewBox=ReplicatingViewBox()
    )
    widget.setObjectName(name)
    plot = widget.getPlotItem()
    setup_plot(plot, title, left, "epoch", grid=False)
    plot.setMenuEnabled(False)
    plot.addLegend(
        offset=legend_offset, labelTextSize="8pt", labelTextColor="#333", brush=pg.mkBrush(255, 255, 255, 200)
    )
    return widget


class CurvesView(QWidget):
    """Draws a `History`: ``show_history(history, problem)`` after each snapshot (items are reused). The second
    plot (``accuracyPlot``) shows the accuracies, or for a regression its RMSE and R² (`set_regression`)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("curvesView")
        self.loss_plot = _plot_widget("lossPlot", "Loss", "loss", (-6, 6))
        self.accuracy_plot = _plot_widget("accuracyPlot", "Accuracy", "accuracy (%)", (-6, -6))
        align_left_axes(self.loss_plot.getPlotItem(), self.accuracy_plot.getPlotItem())
        self.accuracy_plot.setXLink(self.loss_plot)  # the same epochs, exactly: their view boxes line up
        self.accuracy_plot.getPlotItem().setYRange(50, 100, padding=0.02)
        self.accuracy_plot.getPlotItem().enableAutoRange(y=True)
        self.curves = {}
        for key, plot, color, label, style in CURVES:
            pen = pg.mkPen(color, width=2, style=style)
            target = self.loss_plot if plot == "loss" else self.accuracy_plot
            self.curves[key] = target.plot(pen=pen, name=label)
            self.curves[key].setClipToView(True)
        for key in REGRESSION_KEYS:  # until a regression is shown
            self.accuracy_plot.removeItem(self.curves[key])
        self._regression = False
        self._metric_range: tuple[float, float] | None = None
        self.loss_plot.getPlotItem().enableAutoRange(x=False)  # `fit_epochs` sets it
        self.loss_plot.getPlotItem().setXRange(0, MIN_SPAN, padding=0)
        self.cursors = [pg.InfiniteLine(angle=90, pen=pg.mkPen("#888", style=Qt.PenStyle.DashLine)) for _ in range(2)]
        for cursor, plot in zip(self.cursors, (self.loss_plot, self.accuracy_plot), strict=True):
            cursor.setVisible(False)
            plot.addItem(cursor, ignoreBounds=True)
        self.log_check = QCheckBox("Log loss")
        self.log_check.setObjectName("logLossCheck")
        self.log_check.setToolTip("Logarithmic loss axis")
        self.log_check.toggled.connect(self.set_log_loss)
        self.readout = ElidedLabel("Hover the curves for values")  # its text never resizes the side panel
        self.readout.setObjectName("curveReadout")
        header = QHBoxLayout()
        header.setContentsMargins(4, 0, 4, 0)
        header.addWidget(self.readout, 1)
        header.addWidget(self.log_check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.loss_plot, 3)
        layout.addWidget(self.accuracy_plot, 2)
        self._history = History()
        self._frame: CurvesFrame | None = None
        self._drawn: dict[str, tuple[int, object]] = {}
        """Per plot ("loss", "metric"): the (length, last record) of the history it shows (compared by identity)."""
        self._span = float(MIN_SPAN)
        self._stale = False
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.scene().sigMouseMoved.connect(lambda pos, p=plot: self._hover(p, pos))

    def set_log_loss(self, log: bool) -> None:
        """A log (or linear) loss axis; the epochs stay as they are (pyqtgraph's `PlotItem.setLogMode` turns the
        x auto-range on, which pads the epochs beyond [0, `epoch_span`])."""
        self.log_check.setChecked(log)
        plot = self.loss_plot.getPlotItem()
        epochs = plot.vb.viewRange()[0]
        plot.setLogMode(y=log)
        plot.enableAutoRange(x=False)
        plot.setXRange(*epochs, padding=0)

    @property
    def regression(self) -> bool:
        """The metric plot shows RMSE and R² (a regression) rather than the accuracies."""
        return self._regression

    def set_regression(self, regression: bool) -> None:
        """Show RMSE and R² (``regression``) or the accuracies in the metric plot: its title, axis, curves and
        legend; the curves are fed again at the next `show_history`."""
        if regression == self._regression:
            return
        self._regression = regression
        plot = self.accuracy_plot.getPlotItem()
        shown, hidden = (REGRESSION_KEYS, CLASSIFICATION_KEYS) if regression else (CLASSIFICATION_KEYS, REGRESSION_KEYS)
        for key in hidden:
            self.curves[key].setData([], [])  # put back empty: pyqtgraph clips a curve with data to the view it
            plot.removeItem(self.curves[key])  # finds while it is added, and found the PlotWidget (AttributeError)
        for key in shown:
            plot.addItem(self.curves[key])
        title, label = METRIC_LABELS[regression]
        plot.setTitle(title, color="#333", size="10pt")
        plot.setLabel("left", label)
        if regression:
            plot.enableAutoRange(y=False)  # `_fit_regression_range` sets it
        else:
            plot.setYRange(50, 100, padding=0.02)
            plot.enableAutoRange(y=True)
        self._metric_range = None
        self._drawn = {}

    def show_history(
        self,
        history: History,
        problem: Problem | None = None,
        frame: CurvesFrame | None = None,
        plots: Sequence[str] = PLOTS,
    ) -> None:
        """Feed the curves from ``history``, unless they show it already (same length, same last record)
        or are hidden (another tab shown): then when they are shown again. ``problem`` picks the metric plot's
        curves (`set_regression`); None: a history with RMSE values is a regression's. ``frame``: the history's
        curves prepared by the worker (`Snapshot.curves`); made here when None or not of this history. ``plots``:
        which plots to feed now, "loss" and/or "metric" (the window draws them in separate slices while training)."""
        for _ in self.history_steps(history, problem, frame, plots):
            pass

    def history_steps(
        self,
        history: History,
        problem: Problem | None = None,
        frame: CurvesFrame | None = None,
        plots: Sequence[str] = PLOTS,
    ) -> Iterator[None]:
        """`show_history` in steps, each a few ms of the UI thread (the window runs one per event-loop slice while
        training): the curves fed; the epoch axis fitted, when its span changes (the loss plot's epochs in one step,
        the metric plot's, which follow them, x-linked, in the next); the y ranges settled; the axes' pictures, one
        by one, and the relayouts they ask for (`prepare_steps`); then each plot repainted, in a step of its own.
        Until then the plots changed are held (`HeldUpdates`: no paint of a half-settled plot, which pyqtgraph would
        settle in the paint), and so is the other plot from the step that moves its epochs, if one does."""
        if problem is not None:
            self.set_regression(problem.kind == "regression")
        elif len(history):
            self.set_regression(bool(np.isfinite(history.last("train_rmse"))))
        self._history = history
        if frame is not None:
            self._frame = frame
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        drawn = (len(history), history.records[-1] if len(history) else None)
        todo = [plot for plot in plots if not _same_drawn(self._drawn.get(plot, (0, None)), drawn)]
        if not todo:  # the curves are drawn; the axes may still lack their first pictures (a window just shown)
            prepare_for_paint(self.loss_plot, self.accuracy_plot)
            return
        fed = [self._plot_widget(plot) for plot in todo]
        both = (self.loss_plot, self.accuracy_plot)
        held = HeldUpdates()
        held.hold(*fed)
        unlinked = False  # the metric plot's epochs are to follow the loss plot's still
        try:
            frame = self._frame
            if frame is None or frame.regression != self._regression or not frame.matches(history):
                frame = self._frame = curves_frame(history, self._regression)
            for key, (x, y) in frame.curves.items():
                if CURVE_PLOTS[key] in todo:
                    self.curves[key].setData(x, y)
            if self._regression and "metric" in todo:
                self._fit_regression_range(frame.metric_range)
            for plot in todo:
                self._drawn[plot] = drawn
            yield
            if self._epoch_span() != self._span:  # the epochs move in both plots (x-linked): ~2 ms each
                held.hold(*both)
                follower = self.accuracy_plot.getPlotItem().vb
                follower.blockLink(True)  # the metric plot follows in a step of its own
                try:
                    self.fit_epochs()
                finally:
                    follower.blockLink(False)
                unlinked = True
                yield
                unlinked = False
                follower.linkedXChanged()
                yield
            settle_auto_range(*fed)
            yield
            yield from prepare_steps(*both, before_relayout=lambda: held.hold(*both))  # the metric plot's epochs
            while held.release_next():  # follow the loss plot's: both are settled, each paints on its own
                yield
        finally:  # a step that raised, or steps left undone: nothing stays held, the epochs line up
            if unlinked and shiboken6.isValid(self.accuracy_plot):  # (not when the window went with its plots)
                self.accuracy_plot.getPlotItem().vb.linkedXChanged()
            held.release()

    def _plot_widget(self, plot: str) -> pg.PlotWidget:
        return self.loss_plot if plot == "loss" else self.accuracy_plot

    def _fit_regression_range(self, y_range: tuple[float, float] | None) -> None:
        """The metric plot's y range for RMSE and R² (`curves_frame.regression_range`), set only when it changes."""
        if y_range is None:
            return
        if y_range != self._metric_range:
            self._metric_range = y_range
            self.accuracy_plot.getPlotItem().setYRange(*y_range, padding=0.02)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self.show_history(self._history)

    def refit(self) -> None:
        """Fit the axes to the curves shown now (after runs' overlays were shown or hidden: pyqtgraph's
        auto-range does not follow visibility)."""
        self.fit_epochs()
        settle_auto_range(self.loss_plot, self.accuracy_plot)

    def fit_epochs(self) -> None:
        """Show epochs 0 to `epoch_span` of the last epoch drawn (the live curves' or a shown run's), setting
        the range only when the span changes: a zoom of the user's stays until then."""
        span = self._epoch_span()
        if span != self._span:
            self._span = span
            self.loss_plot.getPlotItem().setXRange(0, span, padding=0)

    def _epoch_span(self) -> float:
        """`epoch_span` of the last epoch drawn: the history's, or a visible curve's (a shown run's) if later."""
        last = self._history.last("epoch") or 0.0
        for item in self.loss_plot.getPlotItem().listDataItems():
            x, _ = item.getOriginalDataset()
            if item.isVisible() and x is not None and len(x):
                last = max(last, float(x[-1]))
        return epoch_span(last)

    def _hover(self, plot: pg.PlotWidget, position: QPointF) -> None:
        history = self._history
        view = plot.getPlotItem().vb
        if not len(history) or not view.sceneBoundingRect().contains(position):
            return
        epoch = view.mapSceneToView(position).x()
        epochs = history.column("epoch")
        index = int(np.clip(np.searchsorted(epochs, epoch), 0, len(epochs) - 1))
        if index > 0 and abs(epochs[index - 1] - epoch) < abs(epochs[index] - epoch):
            index -= 1
        for cursor in self.cursors:
            cursor.setPos(epochs[index])
            cursor.setVisible(True)
        self.readout.setText(readout_text(history, index, regression=self._regression))


def _same_drawn(a: tuple[int, object], b: tuple[int, object]) -> bool:
    """Two (length, last record) of a history: the same length and the same record object (an equal record of
    another history is not the same history)."""
    return a[0] == b[0] and a[1] is b[1]


def readout_text(history: History, index: int, *, regression: bool = False) -> str:
    """``epoch 12 · loss train 0.0123 test 0.0145 · accuracy train 97.1 % test 96.8 %``; for a regression
    ``… · RMSE train 0.05 test 0.06 · R² train 0.997 test 0.996``."""

    def value(name: str) -> float:
        return float(history.column(name)[index])

    losses = f"epoch {int(value('epoch'))} · loss train {number(value('train_loss'))} test {number(value('test_loss'))}"
    if regression:
        return (
            f"{losses} · RMSE train {number(value('train_rmse'))} test {number(value('test_rmse'))}"
            f" · R² train {number(value('train_r2'), '.3f')} test {number(value('test_r2'), '.3f')}"
        )
    return f"{losses} · accuracy train {percent(value('train_accuracy'))} test {percent(value('test_accuracy'))}"
