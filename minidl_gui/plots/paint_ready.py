"""`prepare_for_paint`: do before the paint what pyqtgraph would otherwise do in it, so that a plot paints once.

pyqtgraph settles a plot lazily, in its paint: the view box's auto-range and transform (`ViewBox.prepareForPaint`)
and each axis' picture (`AxisItem.paint` generates it when it has none: ticks, tick texts, their sizes). A new
tick text width then changes the axis' width: the plot is laid out again (a posted ``LayoutRequest``) and painted
a second time, whole — the first paint, with the old layout, was wasted (and the linked plot, whose epochs are
lined up with it, follows with a paint of its own).

``prepare_for_paint(plot, ...)`` runs those same steps now, in rounds: each round settles the view boxes (where
pyqtgraph flagged it), records the axes' missing pictures exactly as `AxisItem.paint` does (same painter device,
same font), and applies a layout that a new axis width invalidated (``QGraphicsLayout.activate``: the resize
events drop the pictures of what moved and re-link the views); it ends when a round finds the layouts in force.
The paint then only plays the pictures and draws the curves: the same pixels, painted once, from a cheaper event.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPainter, QPicture

MAX_ROUNDS = 4
"""Rounds of settling at most: a width change takes two (the second finds the layout in force); a range that
keeps moving the axis' width back and forth is left to the paint after that."""
AXES = ("left", "bottom", "right", "top")


def prepare_for_paint(*widgets: pg.PlotWidget) -> int:
    """Settle each plot of ``widgets`` for its next paint (see the module's docstring); returns the rounds run."""
    plots = [widget.getPlotItem() for widget in widgets]
    for rounds in range(1, MAX_ROUNDS + 1):
        for plot in plots:
            plot.vb.prepareForPaint()
        for plot in plots:
            for name in AXES:
                record_axis_picture(plot.getAxis(name))
        relaid = False
        for plot in plots:
            if not plot.layout.isActivated():
                plot.layout.activate()
                relaid = True
        if not relaid:
            return rounds
    return MAX_ROUNDS


def record_axis_picture(axis: pg.AxisItem) -> bool:
    """Record the picture a shown ``axis`` lacks, as its `AxisItem.paint` would (returns whether it did): its
    specs measured and drawn by a painter on a `QPicture`, with the axis' tick font if it has one."""
    if axis.picture is not None or not axis.isVisible():
        return False
    picture = QPicture()
    painter = QPainter(picture)
    try:
        if axis.style["tickFont"]:
            painter.setFont(axis.style["tickFont"])
        specs = axis.generateDrawSpecs(painter)
        if specs is not None:
            axis.drawPicture(painter, *specs)
    finally:
        painter.end()
    axis.picture = picture
    return True
