"""`SegmentLines`: line segments (the decision plot's boundaries) drawn as one antialiased path, pixel for pixel as
`pg.PlotCurveItem` with ``connect="pairs"`` and ``antialias=True``, for less of the UI thread's time per new set.

The curve item's generality costs on each new set of segments: ``setData`` checks and copies its options
(~0.1 ms), its ``getPath`` goes through ``generatePath``, and its bounding rect (asked for again after every change of
the data or the view) takes ``nanmin``/``nanmax`` and measures the pixel's length with `pixelVectors` each time
(~0.25 ms together). Here: the path is pyqtgraph's own ``arrayToQPath(x, y, connect="pairs")`` (the same path), made
once per set; the bounding rect is the curve item's (the data's `nan_bounds`, widened by 0.7072 of a cosmetic pen's
width in pixels, of a non-cosmetic one's in data units) with the pixel's length kept until the view changes
(`KeptPixelLengths`); the paint is the curve item's for this case: antialiasing on (an exporter's ``antialias`` option
while exporting), the pen, ``drawPath``.
"""

from __future__ import annotations

import math

import numpy as np
from pyqtgraph import functions as fn
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen

from minidl_gui.plots.data_bounds import nan_bounds
from minidl_gui.plots.view_pixels import KeptPixelLengths

PADDING = 0.7072
"""The curve item's bounding rect reaches this many pen widths past the data (`pg.PlotCurveItem.pixelPadding`)."""


class SegmentLines(KeptPixelLengths):
    """Segments ``(x[2i], y[2i])``–``(x[2i+1], y[2i+1])`` stroked with ``pen``, antialiased."""

    def __init__(self, pen: QPen) -> None:
        super().__init__()
        self.pen = fn.mkPen(pen)
        self.xData = self.yData = np.zeros(0)
        self.path: QPainterPath | None = None  # until the data change
        self._rect: QRectF | None = None  # until the data or the view change

    def setData(self, x: np.ndarray, y: np.ndarray) -> None:  # noqa: N802 (pyqtgraph's naming)
        """New segments: ``x`` and ``y`` (1-D, the same length, even), the ends of each in turn."""
        x, y = np.asarray(x).view(np.ndarray), np.asarray(y).view(np.ndarray)
        if x.ndim != 1 or x.shape != y.shape:
            raise ValueError(f"x and y must be 1-D and of the same shape, got {x.shape} and {y.shape}")
        self.xData, self.yData = x, y
        self.path = self._rect = None
        self.prepareGeometryChange()
        self.informViewBoundsChanged()
        self.update()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802
        return self.xData, self.yData

    def getPath(self) -> QPainterPath:  # noqa: N802
        """The segments as one path (pyqtgraph's ``arrayToQPath``, ``connect="pairs"``), made once per set."""
        if self.path is None:
            if len(self.xData) == 0:
                self.path = QPainterPath()
            else:
                self.path = fn.arrayToQPath(self.xData, self.yData, connect="pairs")
        return self.path

    def _pen_reaches_data(self) -> bool:
        return not self.pen.isCosmetic() and self.pen.style() != Qt.PenStyle.NoPen

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange: tuple[float, float] | None = None) -> tuple:  # noqa: N802, N803
        """The data's extent along ``ax`` (0: x, 1: y) as `pg.PlotCurveItem.dataBounds`: within ``orthoRange`` of
        the other axis, the central ``frac`` of it, widened by a non-cosmetic pen; ``(None, None)`` if none."""
        values, other = (self.xData, self.yData) if ax == 0 else (self.yData, self.xData)
        if orthoRange is not None:
            values = values[(other >= orthoRange[0]) & (other <= orthoRange[1])]
        if len(values) == 0:
            return None, None
        if frac >= 1.0:
            low, high = (float(bound) for bound in nan_bounds(values))
            if math.isinf(low) or math.isinf(high):
                values = values[np.isfinite(values)]
                if len(values) == 0:
                    return None, None
                low, high = float(values.min()), float(values.max())
        else:
            values = values[np.isfinite(values)]
            if len(values) == 0:
                return None, None
            low, high = np.percentile(values, [50 * (1 - frac), 50 * (1 + frac)])
        if self._pen_reaches_data():
            low, high = low - self.pen.widthF() * PADDING, high + self.pen.widthF() * PADDING
        return low, high

    def pixelPadding(self) -> float:  # noqa: N802
        """How far (px) a cosmetic pen reaches past the data."""
        if self.pen.isCosmetic() and self.pen.style() != Qt.PenStyle.NoPen:
            return self.pen.widthF() * PADDING
        return 0.0

    def boundingRect(self) -> QRectF:  # noqa: N802
        if self._rect is None:
            (x0, x1), (y0, y1) = self.dataBounds(0), self.dataBounds(1)
            if None in (x0, x1, y0, y1):
                return QRectF()
            px = py = 0.0
            if (pad := self.pixelPadding()) > 0:
                px, py = self.pixel_lengths()
                px, py = px * pad, py * pad
            self._rect = QRectF(x0 - px, y0 - py, 2 * px + x1 - x0, 2 * py + y1 - y0)
        return QRectF(self._rect)

    def viewTransformChanged(self) -> None:  # noqa: N802
        """A new view range or size: the pixel's length in data units, so the rect, change."""
        super().viewTransformChanged()
        self._rect = None
        self.prepareGeometryChange()

    def paint(self, painter: QPainter, option: object, widget: object) -> None:
        if len(self.xData) == 0 or self.pen.style() == Qt.PenStyle.NoPen:
            return
        antialias = True if self._exportOpts is False else self._exportOpts.get("antialias", True)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialias)
        painter.setPen(self.pen)
        painter.drawPath(self.getPath())
