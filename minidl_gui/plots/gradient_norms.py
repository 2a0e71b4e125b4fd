"""`GradientNormsView`: ‖∂L/∂W_k‖ of every `Linear` layer per epoch on a log axis.

Vanishing gradients show as the curves of the layers near the input lying decades below the
output's; exploding ones as curves climbing without bound. One curve per layer, created the first
time a network has that many layers and then only fed with ``setData`` (downsampled like the curves: the arrays
come prepared with the snapshot, `CurvesFrame.gradient_norms`, or are made here when it brings none).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from minidl_gui.model.curves_frame import CurvesFrame, gradient_norm_curves
from minidl_gui.model.history import History
from minidl_gui.plots.curves import MIN_SPAN, epoch_span, settle_auto_range
from minidl_gui.plots.style import setup_plot

LAYER_COLORS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#b8a300", "#e8871e", "#d62728", "#8c564b")
"""Input side to output side: dark violet through green to orange (cycled beyond eight layers)."""


def layer_label(layer: int, layers: int) -> str:
    """``"W1 (hidden 1)"`` … ``"W4 (output)"``; ``layer`` counts the `Linear` layers from 0."""
    role = "output" if layer == layers - 1 else f"hidden {layer + 1}"
    return f"W{layer + 1} ({role})"


class GradientNormsView(QWidget):
    """Draws ``history.gradient_norms``: ``show_history(history, frame)`` after each snapshot."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("gradientNormsView")
        self.plot_widget = pg.PlotWidget(background="w")
        self.plot_widget.setObjectName("gradientNormsPlot")
        plot = self.plot_widget.getPlotItem()
        setup_plot(plot, "Gradient norm per layer ‖∂L/∂W‖", "norm (log)", "epoch", grid=False)
        plot.setMenuEnabled(False)
        plot.setLogMode(y=True)
        plot.enableAutoRange(x=False)  # the epoch axis grows in steps, like the curves'
        plot.setXRange(0, MIN_SPAN, padding=0)
        self.legend = plot.addLegend(
            offset=(-6, 6), labelTextSize="8pt", labelTextColor="#333", brush=pg.mkBrush(255, 255, 255, 200)
        )
        self.curves: list[pg.PlotDataItem] = []
        self.readout = QLabel("Train to see how the gradient of each layer evolves.")
        self.readout.setObjectName("gradientNormsReadout")
        self.readout.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.readout)
        layout.addWidget(self.plot_widget, 1)
        self._history: History | None = None
        self._frame: CurvesFrame | None = None
        self._layers = -1
        self._stale = False
        self._span = float(MIN_SPAN)

    def show_history(self, history: History, frame: CurvesFrame | None = None) -> None:
        """Draw ``history``'s gradient norms: ``frame``'s (`Snapshot.curves`) when it is of this history, else made
        here (zeros left out: the axis is logarithmic). A hidden view draws when it is shown."""
        self._history = history
        if frame is not None:
            self._frame = frame
        if not self.isVisible():
            self._stale = True  # drawn when shown: a hidden tab costs nothing
            return
        self._stale = False
        norms = history.gradient_norms.values()
        frame = self._frame
        curves = frame.gradient_norms if frame is not None and frame.matches(history) else gradient_norm_curves(history)
        self._ensure_curves(len(curves))
        for curve, (x, y) in zip(self.curves, curves, strict=False):
            curve.setData(x, y)
        span = epoch_span(history.last("epoch") or 0.0)
        if span != self._span:
            self._span = span
            self.plot_widget.getPlotItem().setXRange(0, span, padding=0)
        settle_auto_range(self.plot_widget)
        self.readout.setText(_readout(history) if len(norms) else "Train to see the gradient of each layer.")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale and self._history is not None:
            self.show_history(self._history)

    def _ensure_curves(self, layers: int) -> None:
        """One curve per layer (made once); the legend is rewritten only when the number of layers changes."""
        if layers == self._layers:
            return
        self._layers = layers
        plot = self.plot_widget.getPlotItem()
        while len(self.curves) < layers:
            color = LAYER_COLORS[len(self.curves) % len(LAYER_COLORS)]
            curve = plot.plot(pen=pg.mkPen(color, width=2))
            curve.setClipToView(True)
            self.curves.append(curve)
        self.legend.clear()
        for layer, curve in enumerate(self.curves):
            curve.setVisible(layer < layers)
            if layer < layers:
                self.legend.addItem(curve, layer_label(layer, layers))


def _readout(history: History) -> str:
    """``epoch 12 · W1 3.1e-05 · W2 0.0021 · …``: the latest norms."""
    last = history.gradient_norms.values()[-1]
    values = " · ".join(f"W{k + 1} {v:.3g}" for k, v in enumerate(last) if np.isfinite(v))
    return f"epoch {int(history.column('epoch')[-1])} · {values}" if values else "no gradient norms recorded"
