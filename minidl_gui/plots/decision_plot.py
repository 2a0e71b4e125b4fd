"""`DecisionPlot`: the model's output over the data domain, its 0.5 boundary and the data points."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from minidl_gui.model.contour import cell_centres, contour_segments
from minidl_gui.model.snapshot import Snapshot
from minidl_gui.plots.point_editor import PointEditor
from minidl_gui.plots.style import BOUNDARY, CLASS0, CLASS1, WRONG, class_colormap, setup_plot

BOUNDARY_LEVEL = 0.5
MARGIN = 4
"""The layout's least margin (px) on each side; the rest of the free space keeps the plot square."""


class DecisionPlot(pg.GraphicsLayoutWidget):
    """Heatmap (`ImageItem` + `ColorMap`), boundary (segments from `contour_segments` drawn by one
    `PlotCurveItem` with ``connect="pairs"``), train points (filled circles), test points (hollow
    squares, toggle with ``set_show_test``), misclassified points ringed in red, and a `ColorBarItem`
    legend. ``show_snapshot`` updates the items in place, and only those whose data changed."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("decisionPlot")
        self.setBackground("w")
        self.plot: pg.PlotItem = self.addPlot()
        setup_plot(self.plot, "Decision: model output, boundary at 0.5", "x₂", "x₁", grid=False)
        self.plot.setAspectLocked(True)
        self.plot.setMenuEnabled(False)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setZValue(-10)
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(
            values=(0.0, 1.0), colorMap=class_colormap(), interactive=False, width=12, label="output"
        )
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.boundary = pg.PlotCurveItem(pen=pg.mkPen(BOUNDARY, width=2), connect="pairs", antialias=True)
        self.plot.addItem(self.boundary)
        self.train_points = pg.ScatterPlotItem(size=6, pen=pg.mkPen("w", width=0.6), name="train")
        self.test_points = pg.ScatterPlotItem(size=6, symbol="s", brush=None, name="test")
        self.wrong_points = pg.ScatterPlotItem(size=11, pen=pg.mkPen(WRONG, width=1.5), brush=None, name="wrong")
        for item in (self.train_points, self.test_points, self.wrong_points):
            self.plot.addItem(item)
        self.legend = pg.LegendItem(colCount=3, labelTextColor="#333", labelTextSize="8pt")
        self.addItem(self.legend, row=1, col=0)
        for symbol, pen, brush, label in (
            ("o", pg.mkPen("w"), pg.mkBrush("#555"), "train (filled)"),
            ("s", pg.mkPen("#555", width=1.4), None, "test (hollow)"),
            ("o", pg.mkPen(WRONG, width=1.5), None, "misclassified"),
        ):
            self.legend.addItem(pg.ScatterPlotItem(symbol=symbol, pen=pen, brush=brush, size=9), label)
        self._data_version = -1
        self._extent: tuple[float, ...] = ()
        self._show_test = True
        self._last: Snapshot | None = None
        self._wrong_shown: tuple[np.ndarray, ...] = ()
        self.editor = PointEditor(self.plot, self)
        self.plot.vb.sigResized.connect(self._keep_square)

    def _keep_square(self) -> None:
        """Pad the layout so the data area is square: the axes, colour bar and legend then hug the
        heatmap instead of the aspect lock widening the range past the data."""
        view, layout = self.plot.vb, self.ci.layout
        left, top, right, bottom = layout.getContentsMargins()
        free_width = view.width() + left + right - 2 * MARGIN
        free_height = view.height() + top + bottom - 2 * MARGIN
        if free_width <= 0 or free_height <= 0:
            return
        side = min(free_width, free_height)
        x_margin, y_margin = MARGIN + (free_width - side) / 2, MARGIN + (free_height - side) / 2
        if abs(x_margin - left) > 1 or abs(y_margin - top) > 1:
            layout.setContentsMargins(x_margin, y_margin, x_margin, y_margin)

    @property
    def show_test(self) -> bool:
        """The test points are drawn (and so Ctrl+click may delete one)."""
        return self._show_test

    def set_show_test(self, show: bool) -> None:
        self._show_test = show
        self.test_points.setVisible(show)
        if self._last is not None:
            self._draw_wrong(self._last, force=True)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._last = snapshot
        grid = snapshot.grid
        if np.all(np.isfinite(grid)):
            self.image.setImage(grid, autoLevels=False, levels=(0.0, 1.0))
            xs, ys = cell_centres(snapshot.extent, grid.shape)
            segments = contour_segments(grid, BOUNDARY_LEVEL, xs, ys)
            self.boundary.setData(segments[:, 0], segments[:, 1])
        if snapshot.extent != self._extent:
            self._extent = snapshot.extent
            x0, x1, y0, y1 = snapshot.extent
            self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
            self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        if snapshot.data_version != self._data_version:
            self._data_version = snapshot.data_version
            self._draw_points(snapshot)
            self._draw_wrong(snapshot, force=True)
        else:
            self._draw_wrong(snapshot)

    def _draw_points(self, snapshot: Snapshot) -> None:
        brushes = {0: pg.mkBrush(CLASS0), 1: pg.mkBrush(CLASS1)}
        pens = {0: pg.mkPen(CLASS0, width=1.4), 1: pg.mkPen(CLASS1, width=1.4)}
        train, test = snapshot.train, snapshot.test
        self.train_points.setData(pos=train.x, brush=[brushes[int(label)] for label in train.y])
        self.test_points.setData(pos=test.x, pen=[pens[int(label)] for label in test.y], brush=None)

    def _draw_wrong(self, snapshot: Snapshot, *, force: bool = False) -> None:
        """Ring the misclassified points, unless the same points are ringed already (same data, same masks)."""
        masks = (snapshot.train_wrong, snapshot.test_wrong) if self._show_test else (snapshot.train_wrong,)
        same = len(masks) == len(self._wrong_shown) and all(map(np.array_equal, masks, self._wrong_shown))
        if same and not force:
            return
        self._wrong_shown = masks
        wrong = [snapshot.train.x[snapshot.train_wrong]]
        if self._show_test:
            wrong.append(snapshot.test.x[snapshot.test_wrong])
        self.wrong_points.setData(pos=np.concatenate(wrong))
