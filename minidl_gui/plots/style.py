"""Colours shared by the plots, as Qt takes them: the classes' (`minidl_gui.model.colours`), train vs test."""

from __future__ import annotations

import pyqtgraph as pg

from minidl.problem import Problem
from minidl_gui.model.colours import CLASS_COLOURS, VALUE_STOPS, rgb_hex
from minidl_gui.model.colours import MIDDLE as MIDDLE_RGB

CLASS0 = rgb_hex(CLASS_COLOURS[0])
CLASS1 = rgb_hex(CLASS_COLOURS[1])
MIDDLE = rgb_hex(MIDDLE_RGB)
TRAIN = "#1f77b4"
TEST = "#e8871e"
WRONG = "#d62728"
BOUNDARY = "#222222"


def class_colormap() -> pg.ColorMap:
    """Output 0 → orange, 0.5 → near white, 1 → blue, lightened so points stay visible on top."""
    return pg.ColorMap([0.0, 0.5, 1.0], [rgb_hex(stop) for stop in VALUE_STOPS])


def class_colours(problem: Problem) -> tuple[str, ...]:
    """One colour per class of ``problem`` (`CLASS_COLOURS`) as ``"#rrggbb"``, class 0 first (none for a
    regression): the points', the class picker's and the network diagram's outputs'."""
    return tuple(rgb_hex(colour) for colour in CLASS_COLOURS[: problem.classes])


def setup_plot(plot: pg.PlotItem, title: str, left: str, bottom: str, *, grid: bool = True) -> None:
    """The common look: a dark title, labelled axes, a light grid (unless ``grid`` is False), no
    auto-range button."""
    plot.setTitle(title, color="#333", size="10pt")
    plot.setLabel("left", left)
    plot.setLabel("bottom", bottom)
    if grid:
        plot.showGrid(x=True, y=True, alpha=0.15)
    plot.hideButtons()
    plot.setContentsMargins(2, 2, 12, 2)
    plot.getAxis("bottom").setStyle(hideOverlappingLabels=12)  # the last tick's label may use that margin
    for axis in ("left", "bottom"):
        plot.getAxis(axis).enableAutoSIPrefix(False)
