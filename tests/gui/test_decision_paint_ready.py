"""The decision plot's paint only draws: its scatter items keep their bounding rects (`BoundedScatter`) until their
data, spot sizes or view change, always equal to pyqtgraph's own; the boundary's path and bounds and the heatmap's
QImage are made in the draw, and so are the axes' missing pictures (their widths known before the paint)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication

from minidl_gui.model.presets import DEFAULT_PRESET, preset
from minidl_gui.model.session import Session
from minidl_gui.plots.bounded_scatter import BoundedScatter
from minidl_gui.plots.decision_plot import DecisionPlot

pytestmark = pytest.mark.usefixtures("qapp")


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def pyqtgraphs_rect(item: BoundedScatter):
    return pg.ScatterPlotItem.boundingRect(item)


def test_a_bounded_scatter_keeps_its_rect_and_follows_every_change(qtbot) -> None:
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(300, 300)
    item = BoundedScatter(size=6, pen=pg.mkPen("r", width=1.5))
    plot.addItem(item)
    plot.show()
    qtbot.waitExposed(plot)
    item.setData(pos=np.array([[0.0, 0.0], [1.0, 2.0]]))
    settle()
    first = item.boundingRect()
    assert first == pyqtgraphs_rect(item) and first.width() > 1.0  # the data, widened by the spots' pixels
    computed = []
    original = pg.ScatterPlotItem.boundingRect
    pg.ScatterPlotItem.boundingRect = lambda self: computed.append(1) or original(self)
    try:
        for _ in range(5):
            assert item.boundingRect() == first
        assert computed == []  # kept
        for change in (
            lambda: item.setData(pos=np.array([[0.0, 0.0], [3.0, 5.0]])),  # new data
            lambda: item.setSize(12),  # wider spots
            lambda: plot.setXRange(-10, 10, padding=0),  # the pixel's length in data units
            lambda: plot.resize(200, 150),
        ):
            computed.clear()
            change()
            settle()
            assert computed  # computed again (by the paint that followed)
            assert item.boundingRect() == original(item)
    finally:
        pg.ScatterPlotItem.boundingRect = original


def test_the_decision_plots_draw_leaves_its_paint_nothing_to_compute(qtbot) -> None:
    plot = DecisionPlot()
    qtbot.addWidget(plot)
    plot.resize(500, 500)
    plot.show()
    qtbot.waitExposed(plot)
    session = Session(preset(DEFAULT_PRESET))
    plot.show_snapshot(session.snapshot())
    settle()
    next(session.epochs())
    for item in (plot.plot, plot.colorbar):
        item.getAxis("left").picture = None  # as after a relayout, or before the first paint
    plot.show_snapshot(session.snapshot())
    axes = [item.getAxis(name) for item in (plot.plot, plot.colorbar) for name in ("left", "bottom", "right", "top")]
    assert all(axis.picture is not None for axis in axes if axis.isVisible())
    assert plot.boundary.path is not None and plot.boundary._rect is not None
    assert not plot.image._renderRequired
    kept = [item._kept for item in (plot.train_points, plot.test_points)]
    assert all(
        k is not None and k[0] is item.bounds
        for k, item in zip(kept, (plot.train_points, plot.test_points), strict=True)
    )
    assert plot.wrong_points._rect is not None
