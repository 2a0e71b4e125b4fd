"""`prepare_for_paint`: do before the paint what pyqtgraph would otherwise do in it, so that a plot paints once.

pyqtgraph settles a plot lazily, in its paint: the view box's auto-range and transform (`ViewBox.prepareForPaint`)
and each axis' picture (`AxisItem.paint` generates it when it has none: ticks, tick texts, their sizes). A new
tick text width then changes the axis' width: the plot is laid out again (a posted ``LayoutRequest``) and painted
a second time, whole — the first paint, with the old layout, was wasted (and the linked plot, whose epochs are
lined up with it, follows with a paint of its own).

``prepare_for_paint(plot, ...)`` runs those same steps now, in rounds: each round settles the view boxes (where
pyqtgraph flagged it), records the axes' missing pictures exactly as `AxisItem.paint` does (same painter device,
same font), and applies a layout that a new axis width invalidated (``QGraphicsLayout.activate``: the resize
events drop the pictures of what moved and re-link the views); it ends when a round finds nothing to do.
``prepare_steps`` does the same in steps of a few ms each, for a plot drawn over several event-loop slices.
The paint then only plays the pictures and draws the curves: the same pixels, painted once, from a cheaper event.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import pyqtgraph as pg
from PySide6.QtGui import QPainter, QPicture
from PySide6.QtWidgets import QGraphicsLayout

MAX_ROUNDS = 5
"""Rounds of settling at most: a width change takes three (the second records the pictures of what moved, the third
finds nothing left to do); a range that keeps moving the axis' width back and forth is left to the paint after
that."""
AXES = ("left", "bottom", "right", "top")


def prepare_for_paint(*plots: pg.PlotWidget | pg.PlotItem) -> int:
    """Settle each of ``plots`` for its next paint (see the module's docstring); returns the rounds run."""
    steps = prepare_steps(*plots)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def prepare_steps(
    *plots: pg.PlotWidget | pg.PlotItem, before_relayout: Callable[[], None] | None = None
) -> Generator[None, None, int]:
    """`prepare_for_paint` in steps, for a plot drawn over several event-loop slices: it yields after each axis'
    picture recorded (~1-3 ms each) and after each relayout; returns the rounds run. Between two steps the event loop
    may lay out a plot whose axis widened (its posted ``LayoutRequest``), dropping pictures: a round that recorded one
    is followed by another, until a round finds nothing to do. ``before_relayout`` is called before a layout may be
    applied, here or by the event loop (a relayout may move a linked plot's range: whoever holds its paints holds
    it then)."""
    items = [plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot for plot in plots]

    def stale() -> list[QGraphicsLayout]:
        return [item.layout for item in items if not item.layout.isActivated()]

    for rounds in range(1, MAX_ROUNDS + 1):
        unsettled = any(getattr(item.vb, "_autoRangeNeedsUpdate", True) for item in items)
        for item in items:
            item.vb.prepareForPaint()
        if unsettled:  # an auto-range (~1-2 ms) was due: a step of its own
            yield
        recorded = False
        for item in items:
            for name in AXES:
                if record_axis_picture(item.getAxis(name)):
                    recorded = True
                    if before_relayout is not None and stale():
                        before_relayout()
                    yield
        layouts = stale()
        if layouts:
            if before_relayout is not None:
                before_relayout()
            for layout in layouts:
                layout.activate()
            yield
        elif not recorded:
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
