"""`StampedSymbols`: many copies of one symbol (the decision plot's rings around misclassified points), drawn as
`pg.ScatterPlotItem` draws them, for a fraction of its cost per new set of positions.

`pg.ScatterPlotItem` keeps a record per spot (its own symbol, size, pen, brush, a source rect in its symbol atlas),
and ``setData`` builds them (~0.4 ms for 50 rings), its paint culls them with ``_maskAt`` and maps them to the
device. With one style for every spot, all that reduces to: one pixmap of the symbol (pyqtgraph's own `SymbolAtlas`
holding that one style, rendered by its ``renderSymbol``: the same bytes a scatter item's atlas holds) and the
positions. The paint maps the positions through the painter's transform with the arithmetic of pyqtgraph's
``transformCoordinates`` (``(m11 x + m21 y) + dx``, ``(m12 x + m22 y) + dy`` in float64: the same centres, without
its Python overhead), clips them to ±2³⁰ px, and hands ``drawPixmapFragments`` the same fragments (centre, source
rect, 1/dpr scale, opacity 1) as ``ScatterPlotItem.paint``: the same pixels. The spots culled are the same too
(``ScatterPlotItem._maskAt`` of the view rect: a spot whose box, half the symbol's pixmap each side, misses the view),
computed once per change of the positions or of the view, not per paint; so is the bounding rect (the positions'
bounds widened by 0.7072 of the symbol's pixel width, `ScatterPlotItem.boundingRect`). Exported (an exporter's
export mode), each spot is drawn as a path, as the scatter item does then.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph import functions as fn
from pyqtgraph.graphicsItems.ScatterPlotItem import SymbolAtlas, drawSymbol
from pyqtgraph.Qt import internals
from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QGuiApplication, QPainter, QPen, QTransform

from minidl_gui.plots.data_bounds import nan_bounds
from minidl_gui.plots.view_pixels import KeptPixelLengths

PADDING = 0.7072
"""The scatter item's bounding rect reaches this many symbol widths (in pixels) past the outermost positions."""
CLIP = 2**30
"""Device coordinates are clipped to ±CLIP (pyqtgraph's guard against a segmentation fault in Qt)."""


class StampedSymbols(KeptPixelLengths):
    """``symbol`` of ``size`` px drawn with ``pen`` and ``brush`` (None: hollow) at each position of ``setData``,
    in pixel mode (the same size at any zoom), pixel for pixel as a `pg.ScatterPlotItem` with that one style."""

    def __init__(self, *, symbol: str = "o", size: float = 7, pen: QPen | None = None, brush: QBrush | None = None):
        super().__init__()
        self._style = (
            symbol,
            size,
            pen if pen is not None else fn.mkPen(pg.getConfigOption("foreground")),
            brush if isinstance(brush, QBrush) else fn.mkBrush(brush),
        )
        self._atlas = SymbolAtlas()
        if screen := QGuiApplication.primaryScreen():
            self._atlas.setDevicePixelRatio(screen.devicePixelRatio())
        self._source: tuple[int, int, int, int] = self._atlas[[self._style]][0]
        self._fragments = internals.PrimitiveArray(QPainter.PixmapFragment, 10)
        self._x = self._y = np.zeros(0)
        self._rect: QRectF | None = None  # the bounding rect, until the positions or the view change
        self._shown: np.ndarray | slice | None = None  # the spots that touch the view, until the same

    def setData(self, pos: np.ndarray) -> None:  # noqa: N802 (pyqtgraph's naming)
        """Stamp the symbol at each row ``(x, y)`` of ``pos`` (as float64, like the scatter item's records)."""
        pos = np.asarray(pos, dtype=float).reshape(-1, 2)
        self.prepareGeometryChange()
        self._x, self._y = pos[:, 0].copy(), pos[:, 1].copy()
        self._rect = self._shown = None
        self.informViewBoundsChanged()
        self.update()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802
        """The positions' x and y coordinates."""
        return self._x, self._y

    def __len__(self) -> int:
        return len(self._x)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange: tuple[float, float] | None = None) -> tuple:  # noqa: N802, N803
        """The positions' extent along axis ``ax`` (0: x, 1: y), as `pg.ScatterPlotItem.dataBounds`: within
        ``orthoRange`` of the other axis, the central ``frac`` of them; ``(None, None)`` when there are none."""
        values, other = (self._x, self._y) if ax == 0 else (self._y, self._x)
        if orthoRange is not None:
            values = values[(other >= orthoRange[0]) & (other <= orthoRange[1])]
        if not len(values):
            return None, None
        if frac >= 1.0:
            return nan_bounds(values)
        finite = values[np.isfinite(values)]
        return tuple(np.percentile(finite, [50 * (1 - frac), 50 * (1 + frac)]))

    def pixelPadding(self) -> float:  # noqa: N802
        """How far (px) the symbols reach past their positions, as the scatter item tells its view box."""
        return self._atlas.maxWidth * PADDING

    def boundingRect(self) -> QRectF:  # noqa: N802
        if self._rect is None:
            if not len(self._x):
                self._rect = QRectF()
            else:
                (x0, x1), (y0, y1) = self.dataBounds(0), self.dataBounds(1)
                px, py = self.pixel_lengths()
                pad = self.pixelPadding()
                px, py = px * pad, py * pad
                self._rect = QRectF(x0 - px, y0 - py, 2 * px + x1 - x0, 2 * py + y1 - y0)
        return QRectF(self._rect)

    def viewTransformChanged(self) -> None:  # noqa: N802
        """A new view range or size: the pixel's length in data units, so the rect and the culling, change."""
        self.prepareGeometryChange()
        super().viewTransformChanged()
        self._rect = self._shown = None

    def viewRangeChanged(self) -> None:  # noqa: N802
        super().viewRangeChanged()
        self._shown = None

    def setExportMode(self, *args, **kwargs) -> None:  # noqa: N802
        super().setExportMode(*args, **kwargs)
        self.update()

    def _in_view(self) -> np.ndarray | slice:
        """Which spots touch the view (`pg.ScatterPlotItem._maskAt` of the view rect): their box, half the
        symbol's pixmap each side of the position, overlaps it. All of them (a slice, no mask to apply) when the
        outermost ones do: ``x + w`` grows with ``x`` in floating point too, so ``min(x) + w > left`` holds for
        every ``x`` (a NaN fails the test, and the mask is made)."""
        if self._shown is None:
            view = self.viewRect()
            px, py = self.pixel_lengths()
            _, _, width, height = self._source
            half_width, half_height = width / 2 * px, height / 2 * py
            x, y = self._x, self._y
            if (
                x.min() + half_width > view.left()
                and x.max() - half_width < view.right()
                and y.min() + half_height > view.top()
                and y.max() - half_height < view.bottom()
            ):
                self._shown = slice(None)
            else:
                self._shown = (
                    (x + half_width > view.left())
                    & (x - half_width < view.right())
                    & (y + half_height > view.top())
                    & (y - half_height < view.bottom())
                )
        return self._shown

    def paint(self, painter: QPainter, option: object, widget: object) -> None:
        if not len(self._x):
            return
        atlas = self._atlas
        if widget is not None and (ratio := widget.devicePixelRatioF()) != atlas.devicePixelRatio():
            atlas.setDevicePixelRatio(ratio)  # another screen: the symbol rendered again, at its ratio
            atlas.clear()
            self._source = atlas[[self._style]][0]
            self._rect = self._shown = None
            self.prepareGeometryChange()
        shown = self._in_view()
        x, y = device_coordinates(painter.transform(), self._x[shown], self._y[shown])
        painter.resetTransform()
        if self._exportOpts is not False:
            self._paint_paths(painter, x, y)
            return
        ratio = atlas.devicePixelRatio()
        self._fragments.resize(len(x))
        fragments = self._fragments.ndarray()
        fragments[:, 0] = x
        fragments[:, 1] = y
        fragments[:, 2:6] = self._source
        fragments[:, 6:10] = (1 / ratio, 1 / ratio, 0.0, 1.0)  # scale, rotation, opacity
        painter.drawPixmapFragments(*self._fragments.drawargs(), atlas.pixmap)

    def _paint_paths(self, painter: QPainter, xs: np.ndarray, ys: np.ndarray) -> None:
        """Each spot as a path (``drawSymbol``), as the scatter item draws them for an exporter."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, self._exportOpts.get("antialias", True))
        symbol, size, pen, brush = self._style
        size *= self._exportOpts.get("resolutionScale", 1.0)
        for x, y in zip(xs, ys, strict=True):
            painter.resetTransform()
            painter.translate(x, y)
            drawSymbol(painter, symbol, size, pen, brush)


def device_coordinates(transform: QTransform, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(x, y)`` mapped through ``transform`` (its affine part) and clipped to ±`CLIP`: the float64 arithmetic of
    pyqtgraph's ``transformCoordinates`` and ``clip_array``, which ``ScatterPlotItem.paint`` uses."""
    mapped_x = transform.m11() * x + transform.m21() * y + transform.m31()
    mapped_y = transform.m12() * x + transform.m22() * y + transform.m32()
    return np.clip(mapped_x, -CLIP, CLIP), np.clip(mapped_y, -CLIP, CLIP)
