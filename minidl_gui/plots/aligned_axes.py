"""Stacked plots whose view boxes line up: ``align_left_axes(...)`` gives their left axes one width, and a
`ReplicatingViewBox` x-linked to a view box over the same columns takes its x range exactly.

A pyqtgraph axis is as wide as its own tick texts need (`AxisItem._updateWidth`: the text space, the texts' offset,
the ticks' length, the label's height × 0.8), and its text space grows with a wider text and shrinks only by more
than 10 px (`AxisItem._updateMaxTextSize`, which keeps an axis from jittering while its range moves). Two stacked
plots' view boxes then start at different x, and pyqtgraph's x-link lines the follower up with its leader by screen
pixels (`ViewBox.linkedViewChanged`): its range becomes [-0.65, 40] beside [0, 40], with other ticks.

`SharedWidthAxis`: an axis of a group (``width_group``) that takes the largest natural width of the group's axes,
each natural width computed as pyqtgraph's, stickiness included; when one axis' natural width changes (a new
picture measured its texts, a label, shown or hidden) it sets the group's width on each axis whose width differs
(whose layout then asks for a relayout). `ReplicatingViewBox`: a follower over the same screen columns as its
leader takes the leader's x range as it is — pyqtgraph's pixel arithmetic (``x1 + width · range/width``) may land
an ulp below the leader's end and drop its last tick.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg

from minidl_gui.plots.log_axis import LogAxis


def natural_width(axis: pg.AxisItem) -> float:
    """The width pyqtgraph's `AxisItem._updateWidth` gives the left or right ``axis`` on its own: 0 hidden, its
    fixed width if set, else its tick texts' space (sticky, `AxisItem.textWidth`) and offset, the ticks' length and
    the shown label's height × 0.8."""
    if not axis.isVisible():
        return 0.0
    if axis.fixedWidth is not None:
        return float(axis.fixedWidth)
    style = axis.style
    width = 0.0
    if style["showValues"]:
        width = axis.textWidth if style["autoExpandTextSpace"] else style["tickTextWidth"]
        width += style["tickTextOffset"][0]
    width += max(0, style["tickLength"])
    if axis.label is not None and axis.label.isVisible():
        width += axis.label.boundingRect().height() * 0.8
    return float(width)


class SharedWidthAxis(LogAxis):
    """A `LogAxis` as wide as the widest natural width of its ``width_group`` (itself alone until
    `align_left_axes`)."""

    width_group: tuple[pg.AxisItem, ...] = ()

    def _updateWidth(self) -> None:  # noqa: N802 (pyqtgraph override)
        """pyqtgraph's, with the group's width (0 for a hidden axis), set on each axis of the group whose width
        differs (on this one always, which drops its picture as pyqtgraph does)."""
        group = self.width_group or (self,)
        width = max(natural_width(axis) for axis in group)
        for axis in group:
            target = width if axis.isVisible() else 0.0  # a hidden axis takes no room, as pyqtgraph's
            if axis is self or axis.maximumWidth() != target or axis.minimumWidth() != target:
                axis.setMaximumWidth(target)
                axis.setMinimumWidth(target)
        self.picture = None


def align_left_axes(*plots: pg.PlotItem) -> None:
    """Give ``plots``' left axes (each a `SharedWidthAxis`) one width from now on: the largest of their natural
    widths."""
    axes = tuple(plot.getAxis("left") for plot in plots)
    for axis in axes:
        if not isinstance(axis, SharedWidthAxis):
            raise TypeError(f"{axis!r} is not a SharedWidthAxis")
        axis.width_group = axes
    for axis in axes:
        axis._updateWidth()


class ReplicatingViewBox(pg.ViewBox):
    """A view box that, x-linked to a view box over the same screen columns, takes its x range exactly; otherwise
    lines it up by pixels, as pyqtgraph's."""

    def linkedViewChanged(self, view: pg.ViewBox | None, axis: int) -> None:  # noqa: N802 (pyqtgraph override)
        if axis != pg.ViewBox.XAxis or self.linksBlocked or view is None or not _same_columns(self, view):
            super().linkedViewChanged(view, axis)
            return
        view.blockLink(True)
        try:
            self.enableAutoRange(pg.ViewBox.XAxis, False)
            self.setXRange(*view.viewRange()[0], padding=0)
        finally:
            view.blockLink(False)


def _same_columns(*views: pg.ViewBox) -> bool:
    """Whether ``views`` cover the same screen columns (`ViewBox.screenGeometry`, in whole pixels, as pyqtgraph
    lines them up)."""
    geometries: Sequence = [view.screenGeometry() for view in views]
    if any(geometry is None for geometry in geometries):
        return False
    return len({(geometry.left(), geometry.width()) for geometry in geometries}) == 1
