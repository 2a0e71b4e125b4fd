"""`CurvesView`: train/test loss (log-y toggle) and accuracy per epoch, with a hover readout."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from minidl_gui.model.history import History, downsample
from minidl_gui.plots.style import TEST, TRAIN, setup_plot

MAX_DRAWN_POINTS = 2000
"""Points drawn per curve; the history keeps every epoch."""


def _plot_widget(name: str, title: str, left: str, legend_offset: tuple[int, int]) -> pg.PlotWidget:
    widget = pg.PlotWidget(background="w")
    widget.setObjectName(name)
    plot = widget.getPlotItem()
    setup_plot(plot, title, left, "epoch")
    plot.setMenuEnabled(False)
    plot.addLegend(
        offset=legend_offset, labelTextSize="8pt", labelTextColor="#333", brush=pg.mkBrush(255, 255, 255, 200)
    )
    return widget


class CurvesView(QWidget):
    """Draws a `History`: ``show_history(history)`` after each snapshot (items are reused)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("curvesView")
        self.loss_plot = _plot_widget("lossPlot", "Loss", "loss", (-6, 6))
        self.accuracy_plot = _plot_widget("accuracyPlot", "Accuracy", "accuracy (%)", (-6, -6))
        self.accuracy_plot.setXLink(self.loss_plot)
        self.accuracy_plot.getPlotItem().setYRange(50, 100, padding=0.02)
        self.accuracy_plot.getPlotItem().enableAutoRange(y=True)
        self.curves = {}
        for key, plot, color, label in (
            ("train_loss", self.loss_plot, TRAIN, "train"),
            ("test_loss", self.loss_plot, TEST, "test"),
            ("train_accuracy", self.accuracy_plot, TRAIN, "train"),
            ("test_accuracy", self.accuracy_plot, TEST, "test"),
        ):
            self.curves[key] = plot.plot(pen=pg.mkPen(color, width=2), name=label)
            self.curves[key].setClipToView(True)
        self.cursors = [pg.InfiniteLine(angle=90, pen=pg.mkPen("#888", style=Qt.PenStyle.DashLine)) for _ in range(2)]
        for cursor, plot in zip(self.cursors, (self.loss_plot, self.accuracy_plot), strict=True):
            cursor.setVisible(False)
            plot.addItem(cursor, ignoreBounds=True)
        self.log_check = QCheckBox("Log loss")
        self.log_check.setObjectName("logLossCheck")
        self.log_check.setToolTip("Logarithmic loss axis")
        self.log_check.toggled.connect(self.set_log_loss)
        self.readout = QLabel("Hover the curves for values")
        self.readout.setObjectName("curveReadout")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.scene().sigMouseMoved.connect(lambda pos, p=plot: self._hover(p, pos))

    def set_log_loss(self, log: bool) -> None:
        self.log_check.setChecked(log)
        self.loss_plot.getPlotItem().setLogMode(y=log)

    def show_history(self, history: History) -> None:
        self._history = history
        epochs = history.column("epoch")
        for key, curve in self.curves.items():
            values = history.column(key)
            if key.endswith("accuracy"):
                values = 100 * values
            if np.all(np.isnan(values)):
                curve.setData([], [])
                continue
            x, y = downsample(epochs, values, MAX_DRAWN_POINTS)
            curve.setData(x, y)

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
        self.readout.setText(readout_text(history, index))


def readout_text(history: History, index: int) -> str:
    """``epoch 12 · loss train 0.0123 test 0.0145 · accuracy train 97.1 % test 96.8 %``."""

    def value(name: str, percent: bool = False) -> str:
        number = history.column(name)[index]
        if np.isnan(number):
            return "–"
        return f"{100 * number:.1f} %" if percent else f"{number:.4g}"

    return (
        f"epoch {int(history.column('epoch')[index])} · loss train {value('train_loss')} "
        f"test {value('test_loss')} · accuracy train {value('train_accuracy', True)} "
        f"test {value('test_accuracy', True)}"
    )
