"""Colours shared by the plots: class 0 orange, class 1 blue (TensorFlow Playground's), train vs test."""

from __future__ import annotations

import pyqtgraph as pg

CLASS0 = "#e8871e"
CLASS1 = "#1f77b4"
MIDDLE = "#f4f4f4"
TRAIN = "#1f77b4"
TEST = "#e8871e"
WRONG = "#d62728"
BOUNDARY = "#222222"


def class_colormap() -> pg.ColorMap:
    """Output 0 → orange, 0.5 → near white, 1 → blue, lightened so points stay visible on top."""
    return pg.ColorMap([0.0, 0.5, 1.0], ["#f6c089", MIDDLE, "#8fbde0"])


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
