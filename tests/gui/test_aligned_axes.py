"""`align_left_axes` and `ReplicatingViewBox` on two bare stacked plots: one left-axis width, the larger natural one,
followed as either axis' tick texts grow or shrink; the follower's x range replicated when the view boxes line up,
lined up by pixels (as pyqtgraph's) when they do not."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from minidl_gui.plots.aligned_axes import ReplicatingViewBox, SharedWidthAxis, align_left_axes, natural_width

pytestmark = pytest.mark.usefixtures("qapp")
NARROW = [10.0, 20.0, 30.0, 40.0]
"""Tick texts two digits wide..."""
WIDE = [0.0010, 0.0015, 0.0020, 0.0025]
"""...and more than 10 px wider (an axis' text space shrinks only by more than 10 px)."""


def stacked(qtbot, *, aligned: bool = True) -> tuple[QWidget, pg.PlotItem, pg.PlotItem]:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    plots = [pg.PlotWidget(axisItems={"left": SharedWidthAxis("left")}, viewBox=ReplicatingViewBox()) for _ in "ab"]
    for plot in plots:
        layout.addWidget(plot)
    top, bottom = (plot.getPlotItem() for plot in plots)
    if aligned:
        align_left_axes(top, bottom)
    bottom.setXLink(top)
    top.setXRange(0, 40, padding=0)
    window.resize(300, 400)
    window.show()
    qtbot.waitExposed(window)
    return window, top, bottom


def draw(plot: pg.PlotItem, values: list[float]) -> None:
    plot.clear()
    plot.plot([1.0, 2.0, 3.0, 4.0], values)
    for _ in range(5):
        QApplication.processEvents()  # painted: the axes measure their texts, the layouts follow


def widths(*plots: pg.PlotItem) -> list[float]:
    return [plot.getAxis("left").width() for plot in plots]


@pytest.mark.parametrize("wide_one", [0, 1], ids=["top_wider", "bottom_wider"])
def test_both_axes_take_the_larger_natural_width_as_either_grows_or_shrinks(qtbot, wide_one) -> None:
    _, *plots = stacked(qtbot)
    draw(plots[0], NARROW)
    draw(plots[1], NARROW)
    narrow = widths(*plots)
    assert narrow[0] == narrow[1] == max(natural_width(plot.getAxis("left")) for plot in plots)
    draw(plots[wide_one], WIDE)
    wide = widths(*plots)
    assert wide[0] == wide[1] == natural_width(plots[wide_one].getAxis("left")) > narrow[0] + 10
    assert natural_width(plots[1 - wide_one].getAxis("left")) <= narrow[0]  # each still knows its own
    draw(plots[wide_one], NARROW)  # shrinks by more than 10 px: both shrink back
    shrunk = widths(*plots)
    assert shrunk[0] == shrunk[1] == max(natural_width(plot.getAxis("left")) for plot in plots) <= narrow[0]
    assert plots[0].vb.sceneBoundingRect().left() == plots[1].vb.sceneBoundingRect().left()


def test_a_hidden_axis_of_the_group_takes_no_room(qtbot) -> None:
    _, top, bottom = stacked(qtbot)
    draw(top, WIDE)
    bottom.hideAxis("left")
    assert bottom.getAxis("left").maximumWidth() == 0
    assert top.getAxis("left").width() == natural_width(top.getAxis("left")) > 0


def test_only_shared_width_axes_align(qtbot) -> None:
    plots = [pg.PlotItem(), pg.PlotItem(axisItems={"left": SharedWidthAxis("left")})]
    with pytest.raises(TypeError, match="SharedWidthAxis"):
        align_left_axes(*plots)


def test_the_follower_replicates_the_range_when_lined_up_and_lines_it_up_by_pixels_otherwise(qtbot) -> None:
    _, top, bottom = stacked(qtbot)
    draw(top, WIDE)
    draw(bottom, NARROW)
    assert bottom.vb.viewRange()[0] == [0, 40]  # exactly, not an ulp below (the last tick kept)
    _, top, bottom = stacked(qtbot, aligned=False)  # each axis its own width: pyqtgraph's pixel arithmetic
    draw(top, WIDE)
    draw(bottom, NARROW)
    top_box, bottom_box = top.vb.screenGeometry(), bottom.vb.screenGeometry()
    assert bottom_box.left() < top_box.left()  # beside the wider axis of the top plot
    per_pixel = 40 / top_box.width()
    assert bottom.vb.viewRange()[0][0] == pytest.approx((bottom_box.left() - top_box.left()) * per_pixel)
    assert bottom.vb.viewRange()[0][1] == pytest.approx(40, abs=per_pixel)
