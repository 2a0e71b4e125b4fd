"""`DecisionPlot`: the model's output over the data domain, its boundaries and the data points, per problem.

- binary: the output on the orange–white–blue scale over [0, 1] with its colour bar, the 0.5 boundary, the
  points in their class's colour, the misclassified ones ringed;
- k classes: each cell in its most likely class's colour, lighter the less sure the model is
  (`minidl_gui.model.colours.class_image`), the boundaries between the classes (where a class's margin
  ``p_c − max_other p`` crosses 0), the points in their class's colour, the misclassified ones ringed;
- regression: the prediction on the same diverging scale over the targets' range, with its colour bar, the
  points coloured by their target on that scale.

"Discretize output" (`discretize_check`, a view setting) shows the hard decisions instead: the arg-max class,
the thresholded output, the sign of a prediction; toggling it redraws the last snapshot and tells
``viewOptionsChanged`` (the worker prepares the next snapshots' pictures with it).

What it draws comes prepared (`Snapshot.decision`, a `minidl_gui.model.decision_frame.DecisionFrame` made on the
worker thread): the plot only hands the arrays to its items, and only those that changed. A snapshot without a
frame is prepared here by the worker's own `FrameMaker`, one drawn before the worker saw a toggle of "Discretize
output" gets its picture from the same `decision_picture`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QCheckBox, QGraphicsItem, QHBoxLayout, QVBoxLayout, QWidget

from minidl.problem import Problem
from minidl_gui.model.decision_frame import BINARY_RANGE, DecisionFrame, Picture, decision_picture
from minidl_gui.model.snapshot import Snapshot
from minidl_gui.model.snapshot_frames import FrameMaker
from minidl_gui.model.view_options import ViewOptions
from minidl_gui.plots.bounded_scatter import BoundedScatter
from minidl_gui.plots.paint_ready import AXES, record_axis_picture
from minidl_gui.plots.point_editor import PointEditor
from minidl_gui.plots.rgba_image import RgbaImage
from minidl_gui.plots.segment_lines import SegmentLines
from minidl_gui.plots.stamped_symbols import StampedSymbols
from minidl_gui.plots.style import BOUNDARY, WRONG, class_colormap, setup_plot

MARGIN = 4
"""The layout's least margin (px) on each side; the rest of the free space keeps the plot square."""
LEGEND_ROW_WIDTH = 480
"""Narrower than this (px), the legend lists its entries in one column rather than one row."""
TITLES = {
    "binary": "Decision: model output, boundary at 0.5",
    "multiclass": "Decision: most likely class and boundaries",
    "regression": "Prediction: model output",
}
DISCRETIZE_TIP = (
    "Discretize output: show the model's hard decisions instead of its confidence: the most likely class, "
    "the output thresholded at 0.5, or the sign of a regression's prediction"
)


class DecisionPlot(pg.GraphicsLayoutWidget):
    """Heatmap (`RgbaImage` of RGBA pixels from `minidl_gui.model.colours`), boundaries (segments from
    `contour_segments` drawn by one `SegmentLines`), train points (filled circles), test points (hollow squares,
    toggle with ``set_show_test``), misclassified points ringed in red (`StampedSymbols`), and a `ColorBarItem`
    legend of the value scale (binary and regression). The heatmap, boundary and ring items draw what pyqtgraph's
    `ImageItem`, `PlotCurveItem` (``connect="pairs"``) and `ScatterPlotItem` would, pixel for pixel, for less of
    the UI thread's time per snapshot (tests/gui/test_decision_items_look_the_same.py). ``show_snapshot`` updates
    the items in place, and only those whose data changed: the points only when the data (``data_version``) or
    the problem changes. ``viewOptionsChanged(ViewOptions)`` tells a toggle of "Discretize output".

    The train and test points are painted from a pixmap of their last paint (``DeviceCoordinateCache``) while
    only the heatmap under them changes. Not bit-identical to painting them each time: their translucent
    pixels (antialiased edges, overlaps), composited onto transparency and then onto the heatmap, round
    differently in 8 bits (at most 2/255 per channel, on those pixels; tests/gui/test_point_cache.py)."""

    viewOptionsChanged = Signal(object)  # noqa: N815 (Qt naming) - a ViewOptions

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("decisionPlot")
        self.setBackground("w")
        self.plot: pg.PlotItem = self.addPlot()
        setup_plot(self.plot, TITLES["binary"], "x₂", "x₁", grid=False)
        self.plot.setAspectLocked(True)
        self.plot.setMenuEnabled(False)
        self.image = RgbaImage()
        self.image.setZValue(-10)
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(
            values=BINARY_RANGE, colorMap=class_colormap(), interactive=False, width=12, label="output"
        )
        self.plot.layout.addItem(self.colorbar, 2, 5)  # where ``setImageItem(insert_in=plot)`` puts it
        self.plot.layout.setColumnFixedWidth(4, 5)
        self._axes = [plot.getAxis(name) for plot in (self.plot, self.colorbar) for name in AXES]
        self.boundary = SegmentLines(pg.mkPen(BOUNDARY, width=2))
        self.plot.addItem(self.boundary)
        self.train_points = BoundedScatter(size=6, pen=pg.mkPen("w", width=0.6), name="train")
        self.test_points = BoundedScatter(size=6, symbol="s", brush=None, name="test")
        self.wrong_points = StampedSymbols(size=11, pen=pg.mkPen(WRONG, width=1.5))
        for item in (self.train_points, self.test_points, self.wrong_points):
            self.plot.addItem(item)
        for item in (self.train_points, self.test_points):  # painted from a pixmap until the data change
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plot.vb.geometryChanged.connect(self._repaint_cached_points)
        self.legend = pg.LegendItem(colCount=3, labelTextColor="#333", labelTextSize="8pt")
        self.addItem(self.legend, row=1, col=0)
        self.discretize_check = QCheckBox("Discretize output")
        self.discretize_check.setObjectName("discretizeCheck")
        self.discretize_check.setToolTip(DISCRETIZE_TIP)
        self.discretize_check.toggled.connect(self.set_discretize)
        self._problem = Problem()
        self._fill_legend()
        self._points_key: tuple[int, Problem] | None = None
        self._value_range = BINARY_RANGE
        self._extent: tuple[float, ...] = ()
        self._image_placed: tuple[object, object] = ((), None)  # the (extent, image shape) of the last setRect
        self._show_test = True
        self._discretize = False
        self._last: Snapshot | None = None
        self._frame: DecisionFrame | None = None
        self._frame_maker: FrameMaker | None = None  # made on the first snapshot that brings no frame
        self._wrong_shown: tuple[np.ndarray, ...] = ()
        self._picture_shown: tuple[object, object] = (None, None)  # the (image, boundary) arrays set last
        self.editor = PointEditor(self.plot, self)
        self.plot.vb.sigResized.connect(self._keep_square)

    def _keep_square(self) -> None:
        """Pad the layout so the data area is square: the axes, colour bar and legend then hug the
        heatmap instead of the aspect lock widening the range past the data.

        The free space is the viewport's less what is not the data area (axes, title, colour bar, legend),
        measured from the viewport rather than the layout: margins from a wider window never hold the layout
        wider than the widget after it shrinks. The square's side is at least what the layout's minimum
        leaves the data area (a title wider than the plot): narrower than that, the plot is cut, but square."""
        view, layout = self.plot.vb, self.ci.layout
        left, top, right, bottom = layout.getContentsMargins()
        frame, least = self.ci.geometry(), layout.minimumSize()
        overhead_width = frame.width() - left - right - view.width()
        overhead_height = frame.height() - top - bottom - view.height()
        free_width = self.viewport().width() - overhead_width - 2 * MARGIN
        free_height = self.viewport().height() - overhead_height - 2 * MARGIN
        least_width = max(0.0, least.width() - left - right - overhead_width)
        least_height = max(0.0, least.height() - top - bottom - overhead_height)
        if free_width <= 0 or free_height <= 0:
            return
        side = max(min(free_width, free_height), least_width, least_height)
        x_margin = MARGIN + max(0.0, (free_width - side) / 2)
        y_margin = MARGIN + max(0.0, (free_height - side) / 2)
        if abs(x_margin - left) > 1 or abs(y_margin - top) > 1:
            layout.setContentsMargins(x_margin, y_margin, x_margin, y_margin)
            self.ci.resize(float(self.viewport().width()), float(self.viewport().height()))  # as small as it may be

    def _repaint_cached_points(self) -> None:
        """Paint the cached points afresh when the data area moves: Qt would shift their pixmap by whole
        pixels, and the points would land up to half a pixel from where a fresh paint puts them."""
        self.train_points.update()
        self.test_points.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """A narrow plot stacks its legend; then the square is kept."""
        super().resizeEvent(event)
        if hasattr(self, "plot") and not self.closed:  # not in pyqtgraph's constructor (no plot yet) or close
            self.legend.setColumnCount(3 if self.width() >= LEGEND_ROW_WIDTH else 1)
            self._keep_square()

    @property
    def show_test(self) -> bool:
        """The test points are drawn (and so Ctrl+click may delete one)."""
        return self._show_test

    @property
    def discretize(self) -> bool:
        """The heatmap shows hard decisions (`discretize_check`)."""
        return self._discretize

    @property
    def view_options(self) -> ViewOptions:
        """The view settings the worker prepares the pictures with."""
        return ViewOptions(discretize=self._discretize)

    def set_show_test(self, show: bool) -> None:
        self._show_test = show
        self.test_points.setVisible(show)
        if self._last is not None:
            self._draw_wrong(self._last, force=True)

    def set_discretize(self, discretize: bool) -> None:
        """Show hard decisions (or the model's confidence again), redrawn from the last snapshot at once (here:
        the worker has not prepared it); ``viewOptionsChanged`` tells the worker."""
        changed = discretize != self._discretize
        self._discretize = discretize
        if self.discretize_check.isChecked() != discretize:
            self.discretize_check.setChecked(discretize)
        if changed and self._last is not None:
            self._show_picture(self._local_picture(self._last))
        if changed:
            self.viewOptionsChanged.emit(self.view_options)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._last = snapshot
        if snapshot.problem != self._problem:
            self._set_problem(snapshot.problem)
        frame = self._frame = snapshot.decision or self._local_frame(snapshot)
        points_key = (snapshot.data_version, snapshot.problem)
        new_points = points_key != self._points_key
        if frame.value_range != self._value_range:  # a regression's new targets (or a new problem)
            self._value_range = frame.value_range
            self.colorbar.setLevels(values=self._value_range)
        picture = frame.picture
        if picture is not None and (picture.discretize, picture.value_range) != (self._discretize, self._value_range):
            picture = self._local_picture(snapshot)  # a toggle the worker had not seen when it made the frame
        self._show_picture(picture)
        self._place_image(snapshot.extent)
        if snapshot.extent != self._extent:
            self._extent = snapshot.extent
            x0, x1, y0, y1 = snapshot.extent
            self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        if new_points:
            self._points_key = points_key
            self._draw_points(snapshot, frame)
            self._draw_wrong(snapshot, force=True)
        else:
            self._draw_wrong(snapshot)
        self._ready_for_paint()

    def _ready_for_paint(self) -> None:
        """Do now, in the draw, what the paint would otherwise compute (the same, once): the boundaries' path and
        every item's bounding rect (Qt asks for them while painting; pyqtgraph keeps them until the data or the view
        change), and the axes' missing pictures (`_record_axes`). The heatmap's QImage is rendered when it is set
        (`_show_picture`)."""
        self._record_axes()
        self.boundary.getPath()
        for item in (self.boundary, self.train_points, self.test_points, self.wrong_points):
            item.boundingRect()

    def _record_axes(self) -> None:
        """Record the pictures the axes lack (`record_axis_picture`: in a window just shown, after a relayout), so that
        a new tick width lays the plot out before its paint rather than after it (a second paint). Only recorded: the
        layout is left to Qt's event loop, in the order it applies it (`_keep_square` depends on that order)."""
        for axis in self._axes:
            record_axis_picture(axis)

    def _place_image(self, extent: tuple[float, float, float, float]) -> None:
        """Stretch the heatmap over ``extent``, when the extent or the image's size changed: `ImageItem.setRect`
        scales by the size of the image it holds then (a new resolution over the same extent needs it again)."""
        shape = None if self.image.image is None else self.image.image.shape[:2]
        if (extent, shape) == self._image_placed:
            return
        self._image_placed = (extent, shape)
        x0, x1, y0, y1 = extent
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))

    def _set_problem(self, problem: Problem) -> None:
        """Title, colour bar and legend for ``problem``."""
        self._problem = problem
        self.plot.setTitle(TITLES[problem.kind], color="#333", size="10pt")
        self.colorbar.setVisible(problem.kind != "multiclass")
        self.colorbar.getAxis("left").setLabel("prediction" if problem.kind == "regression" else "output")
        if problem.kind == "binary":
            self._value_range = BINARY_RANGE
            self.colorbar.setLevels(values=BINARY_RANGE)
        self.boundary.setVisible(problem.kind != "regression")
        self._fill_legend()

    def _fill_legend(self) -> None:
        self.legend.clear()
        entries = [
            ("o", pg.mkPen("w"), pg.mkBrush("#555"), "train (filled)"),
            ("s", pg.mkPen("#555", width=1.4), None, "test (hollow)"),
        ]
        if self._problem.is_classification:
            entries.append(("o", pg.mkPen(WRONG, width=1.5), None, "misclassified"))
        for symbol, pen, brush, label in entries:
            self.legend.addItem(pg.ScatterPlotItem(symbol=symbol, pen=pen, brush=brush, size=9), label)

    def _local_frame(self, snapshot: Snapshot) -> DecisionFrame:
        """The frame of a snapshot that brings none, made here by the worker's own `FrameMaker.decision`."""
        if self._frame_maker is None:
            self._frame_maker = FrameMaker()
        return self._frame_maker.decision(
            snapshot.grid,
            snapshot.extent,
            snapshot.problem,
            snapshot.data_version,
            (snapshot.train, snapshot.test),
            (snapshot.train_wrong, snapshot.test_wrong),
            self.view_options,
        )

    def _local_picture(self, snapshot: Snapshot) -> Picture | None:
        """The snapshot's picture with this plot's discretize setting and scale (a one-off, on this thread)."""
        return decision_picture(snapshot.grid, snapshot.extent, snapshot.problem, self._value_range, self._discretize)

    def _show_picture(self, picture: Picture | None) -> None:
        """Set the heatmap and the boundaries, each only if it is not the array shown already; None (a diverged
        model's output): the last picture stays."""
        if picture is None:
            return
        image, boundary = self._picture_shown
        if picture.image is not image:
            self.image.setImage(picture.image, autoLevels=False)
            self.image.render()  # its QImage now, not in the paint (`_ready_for_paint`)
        if picture.boundary is not boundary:
            self.boundary.setData(picture.boundary[:, 0], picture.boundary[:, 1])
        self._picture_shown = (picture.image, picture.boundary)

    def _draw_points(self, snapshot: Snapshot, frame: DecisionFrame) -> None:
        """The points in their colours (the frame's), train filled, test hollow; one brush or pen per colour."""
        train, test = snapshot.train, snapshot.test
        self.train_points.setData(pos=train.x, brush=_per_colour(frame.points.train, pg.mkBrush))
        self.test_points.setData(
            pos=test.x, pen=_per_colour(frame.points.test, lambda *c: pg.mkPen(*c, width=1.4)), brush=None
        )

    def _draw_wrong(self, snapshot: Snapshot, *, force: bool = False) -> None:
        """Ring the misclassified points, unless the same points are ringed already (same data, same masks)."""
        masks = (snapshot.train_wrong, snapshot.test_wrong) if self._show_test else (snapshot.train_wrong,)
        same = len(masks) == len(self._wrong_shown) and all(map(np.array_equal, masks, self._wrong_shown))
        if same and not force:
            return
        self._wrong_shown = masks
        frame = self._frame  # set by show_snapshot, before any call here
        assert frame is not None
        wrong = [frame.train_wrong]
        if self._show_test:
            wrong.append(frame.test_wrong)
        self.wrong_points.setData(pos=np.concatenate(wrong))


def _per_colour(colours: np.ndarray, make: object) -> list:
    """``make(r, g, b, a)`` for each row of ``colours`` (RGBA bytes), made once per distinct colour."""
    if not len(colours):
        return []
    distinct, index = np.unique(colours, axis=0, return_inverse=True)
    made = [make(*(int(v) for v in colour)) for colour in distinct]
    return [made[i] for i in np.asarray(index).reshape(-1)]


def decision_panel(plot: DecisionPlot) -> QWidget:
    """``plot`` with its view settings in a row below it (the "Discretize output" check box), as TensorFlow
    Playground puts them under its heatmap."""
    panel = QWidget()
    panel.setObjectName("decisionPanel")
    row = QHBoxLayout()
    row.setContentsMargins(6, 0, 6, 2)
    row.addStretch(1)
    row.addWidget(plot.discretize_check, 0, Qt.AlignmentFlag.AlignRight)
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(plot, 1)
    layout.addLayout(row)
    return panel
