"""The decision plot's lean items draw what pyqtgraph's would: `RgbaImage` (the heatmap) as a `pg.ImageItem`,
`StampedSymbols` (the rings around misclassified points) as a `pg.ScatterPlotItem` of that one style, `SegmentLines`
(the boundaries) as a `pg.PlotCurveItem` with ``connect="pairs"``. A reference plot built with pyqtgraph's items in
their place and the plot itself are fed the same snapshots (binary, k classes, regression; test points hidden and
shown again, a resize by a pixel, "Discretize output", new points): their images are equal, byte for byte — drawn
afresh (``grab``), as on screen (the backing store, updated piecewise), and exported as PNG (and the same SVG)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
import pytest
from pyqtgraph import functions as fn
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QTransform
from PySide6.QtWidgets import QApplication

from minidl_gui.model.config import Config
from minidl_gui.model.session import Session
from minidl_gui.model.snapshot import Snapshot
from minidl_gui.plots import decision_plot
from minidl_gui.plots.decision_plot import DecisionPlot
from minidl_gui.plots.rgba_image import RgbaImage, rows_of
from minidl_gui.plots.segment_lines import SegmentLines
from minidl_gui.plots.stamped_symbols import CLIP, StampedSymbols, device_coordinates
from minidl_gui.widgets.file_actions import export_plot
from tests.gui.conftest import BLOBS, PLANE, SMALL

SIZE = (430, 520)
BLOBS, PLANE = (config.replace(training=replace(config.training, max_epochs=1000)) for config in (BLOBS, PLANE))
"""Long enough runs for snapshots three epochs apart."""


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : 4 * image.width()].reshape(image.height(), image.width(), 4).copy()


def settle() -> None:
    """Let Qt lay the plots out (a new axis width is a posted layout request) and paint them."""
    for _ in range(5):
        QApplication.processEvents()


def images(plot: DecisionPlot) -> tuple[np.ndarray, np.ndarray]:
    """The plot drawn afresh, and what the screen shows of it."""
    return pixels(plot.grab().toImage()), pixels(plot.screen().grabWindow(plot.winId()).toImage())


def snapshots_of(config: Config, count: int) -> list[Snapshot]:
    """``count`` snapshots of a run, three epochs apart, then one with other points (another seed, a newer data
    version)."""
    session = Session(config)
    epochs = session.epochs()
    taken = []
    for _ in range(count):
        for _ in range(3):
            next(epochs)
        taken.append(session.snapshot())
    epochs.close()
    other = Session(replace(config, data=replace(config.data, seed=config.data.seed + 1))).snapshot()
    return [*taken, replace(other, data_version=taken[-1].data_version + 1)]


def pyqtgraphs_items(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plots made now get pyqtgraph's items where the decision plot has its lean ones (as it had them before)."""
    monkeypatch.setattr(decision_plot, "RgbaImage", lambda: pg.ImageItem(axisOrder="col-major"))
    monkeypatch.setattr(decision_plot, "StampedSymbols", lambda **style: pg.ScatterPlotItem(brush=None, **style))
    monkeypatch.setattr(
        decision_plot, "SegmentLines", lambda pen: pg.PlotCurveItem(pen=pen, connect="pairs", antialias=True)
    )


def shown_plot(qtbot) -> DecisionPlot:
    plot = DecisionPlot()
    qtbot.addWidget(plot)
    plot.resize(*SIZE)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


def steps(snapshots: list[Snapshot]) -> list[Callable[[DecisionPlot], None]]:
    """What each plot is made to draw, one step at a time."""

    def show(snapshot: Snapshot) -> Callable[[DecisionPlot], None]:
        return lambda plot: plot.show_snapshot(snapshot)

    *run, other = snapshots
    return [
        *map(show, run),
        lambda plot: plot.set_show_test(False),
        show(run[0]),
        lambda plot: plot.set_show_test(True),
        lambda plot: plot.resize(SIZE[0] + 1, SIZE[1]),  # the data area centred half a pixel further
        show(run[1]),
        lambda plot: plot.discretize_check.setChecked(True),
        show(other),
        lambda plot: plot.discretize_check.setChecked(False),
    ]


@pytest.mark.parametrize("config", [SMALL, BLOBS, PLANE], ids=["binary", "classes", "regression"])
def test_the_plot_looks_as_with_pyqtgraphs_own_items(qtbot, monkeypatch, config):
    with monkeypatch.context() as patch:
        pyqtgraphs_items(patch)
        reference = shown_plot(qtbot)
    plot = shown_plot(qtbot)
    assert isinstance(plot.wrong_points, StampedSymbols) and isinstance(plot.boundary, SegmentLines)
    assert isinstance(reference.wrong_points, pg.ScatterPlotItem) and isinstance(reference.boundary, pg.PlotCurveItem)
    assert isinstance(plot.image, RgbaImage) and type(reference.image) is pg.ImageItem
    rings = []
    for step in steps(snapshots_of(config, 4)):
        step(reference)
        step(plot)
        settle()
        for ours, theirs in zip(images(plot), images(reference), strict=True):
            assert len(np.unique(theirs.view(np.uint32))) > 10  # something was drawn (colours as 32-bit words)
            assert np.array_equal(ours, theirs)
        rings.append(len(plot.wrong_points))
        assert rings[-1] == len(reference.wrong_points.data)
    assert np.array_equal(plot.boundary.getData(), reference.boundary.getData())
    assert (max(rings) > 0) == (config is not PLANE)  # the rings were drawn (where there are any)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_the_plot_exports_as_with_pyqtgraphs_own_items(qtbot, monkeypatch, tmp_path, suffix):
    with monkeypatch.context() as patch:
        pyqtgraphs_items(patch)
        reference = shown_plot(qtbot)
    plot = shown_plot(qtbot)
    snapshot = snapshots_of(SMALL, 1)[0]
    files = []
    for name, item in (("reference", reference), ("ours", plot)):
        item.show_snapshot(snapshot)
        settle()
        files.append(tmp_path / f"{name}{suffix}")
        export_plot(item.plot, files[-1])
    assert len(plot.wrong_points) > 0
    if suffix == ".png":
        ours, theirs = (pixels(QImage(str(path))) for path in files)
        assert ours.shape == theirs.shape and np.array_equal(ours, theirs)
    else:  # the same drawing; its groups are named after the items' classes
        names = {"SegmentLines_": "PlotCurveItem_", "StampedSymbols_": "ScatterPlotItem_", "RgbaImage_": "ImageItem_"}
        ours = files[1].read_text()
        for name, theirs in names.items():
            ours = ours.replace(name, theirs)
        assert "<path" in ours and ours == files[0].read_text()


def test_device_coordinates_are_pyqtgraphs_to_the_last_bit() -> None:
    rng = np.random.default_rng(5)
    x, y = rng.normal(0, 3, 500), rng.normal(0, 3, 500)
    x[:3] = [1e12, -1e12, 0.0]  # far off the device: clipped
    for transform in (
        QTransform(131.7, 0.0, 0.0, -129.3, 240.25, 310.5),
        QTransform(57.1, 12.9, -8.3, 61.7, 3.3, -4.9),  # rotated and sheared
        QTransform(),
    ):
        expected = fn.clip_array(fn.transformCoordinates(transform, np.vstack([x, y])), -CLIP, CLIP)
        assert np.array_equal(np.vstack(device_coordinates(transform, x, y)), expected)


def view_with(*items: pg.GraphicsObject, qtbot) -> pg.PlotWidget:
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(300, 260)
    for item in items:
        widget.addItem(item)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_lean_items_bounds_are_pyqtgraphs(qtbot) -> None:
    """Their bounding rects (after each change of the data and of the view) and data bounds (with an orthogonal
    range, a fraction) are those of pyqtgraph's items for the same data."""
    pen = pg.mkPen("#d62728", width=1.5)
    rings, scatter = StampedSymbols(size=11, pen=pen), pg.ScatterPlotItem(size=11, pen=pen, brush=None)
    lines, curve = SegmentLines(pg.mkPen("k", width=2)), pg.PlotCurveItem(pen=pg.mkPen("k", width=2), connect="pairs")
    widget = view_with(rings, scatter, lines, curve, qtbot=qtbot)
    pairs = ((rings, scatter), (lines, curve))
    assert rings.boundingRect() == QRectF() and lines.boundingRect() == QRectF()  # no data yet
    rng = np.random.default_rng(2)
    for change in (
        lambda: None,
        lambda: widget.setRange(xRange=(-3.3, 2.9), yRange=(-1.1, 4.7), padding=0),
        lambda: widget.resize(220, 310),
    ):
        points = rng.normal(0, 2, (40, 2))
        rings.setData(pos=points)
        scatter.setData(pos=points)
        lines.setData(points[:, 0], points[:, 1])
        curve.setData(points[:, 0], points[:, 1])
        change()
        settle()
        for ours, theirs in pairs:
            assert ours.boundingRect() == theirs.boundingRect()
            assert ours.pixelPadding() == theirs.pixelPadding()
            for ax in (0, 1):
                assert ours.dataBounds(ax) == tuple(theirs.dataBounds(ax))
                assert ours.dataBounds(ax, orthoRange=(-1.0, 1.5)) == tuple(
                    theirs.dataBounds(ax, orthoRange=(-1.0, 1.5))
                )
                assert np.allclose(ours.dataBounds(ax, frac=0.9), theirs.dataBounds(ax, frac=0.9))
    assert np.array_equal(np.vstack(rings.getData()), np.vstack(scatter.getData()))


def test_rings_leave_the_view_as_pyqtgraphs_do(qtbot) -> None:
    """Spots culled at the view's edges (some half in, some just out) and drawn in a view moved and zoomed: the
    same pixels."""
    pen = pg.mkPen("#d62728", width=1.5)
    rings, scatter = StampedSymbols(size=11, pen=pen), pg.ScatterPlotItem(size=11, pen=pen, brush=None)
    ours, theirs = view_with(rings, qtbot=qtbot), view_with(scatter, qtbot=qtbot)
    edge = np.linspace(-1.2, 1.2, 25)
    points = np.concatenate([np.stack([edge, np.full(25, 1.02)], 1), np.stack([np.full(25, -1.03), edge], 1)])
    rings.setData(pos=points)
    scatter.setData(pos=points)
    culled = []
    for x_range, y_range in (((-1, 1), (-1, 1)), ((-0.97, 1.13), (-1.01, 0.99)), ((-3.0, 3.0), (-2.5, 2.5))):
        for widget in (ours, theirs):
            widget.setRange(xRange=x_range, yRange=y_range, padding=0)
        settle()
        drawn = [pixels(widget.grab().toImage()) for widget in (ours, theirs)]
        assert np.array_equal(*drawn)
        assert (drawn[0][..., 2] > drawn[0][..., 1] + 60).any()  # red rings were drawn
        culled.append(not isinstance(rings._in_view(), slice))
    assert culled == [True, True, False]  # some left out at first, all drawn zoomed out


def test_rgba_bytes_make_pyqtgraphs_qimage_and_other_images_take_its_way(qtbot) -> None:
    rng = np.random.default_rng(4)
    rgba = rng.integers(0, 256, (7, 5, 4), dtype=np.uint8)
    floats = rng.random((7, 5))
    for image, options in ((rgba, {}), (floats, {"levels": (0.2, 0.9)})):
        ours, theirs = RgbaImage(), pg.ImageItem(axisOrder="col-major")
        for item in (ours, theirs):
            item.setImage(image, autoLevels=False, **options)
            item.render()
        assert ours.qimage.format() == theirs.qimage.format()
        assert pixels(ours.qimage).tobytes() == pixels(theirs.qimage).tobytes()
    assert ours._plain_rgba() is False  # the floats went pyqtgraph's way


def test_rows_are_the_transposed_bytes() -> None:
    rng = np.random.default_rng(6)
    image = rng.integers(0, 256, (9, 6, 4), dtype=np.uint8)
    for columns in (image, image[::2], image[:, 1:]):  # contiguous, and two views that are not
        rows = rows_of(columns)
        assert rows.flags.c_contiguous and np.array_equal(rows, columns.swapaxes(0, 1))
