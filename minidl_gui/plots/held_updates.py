"""`HeldUpdates`: widgets whose repaint waits until a change made over several event-loop slices is complete.

A plot drawn in steps (`minidl_gui.plots.curves.CurvesView.history_steps`) would otherwise be painted after each
step: half-settled, so that pyqtgraph settles the rest in the paint (the auto-range, the axes' pictures) and paints
again. ``hold(widget)`` disables the widget's updates (`QWidget.setUpdatesEnabled`: its paints are dropped, nothing
is queued); ``release_next()`` enables them again, which repaints the whole widget once (Qt updates a widget whose
updates are enabled again), one widget per call: each paints in a flush of its own. A widget whose updates were
disabled already (by someone else) is left alone.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QWidget


class HeldUpdates:
    """The widgets held, in the order they were held (and are released)."""

    def __init__(self) -> None:
        self.widgets: list[QWidget] = []

    def hold(self, *widgets: QWidget) -> None:
        """Hold each of ``widgets`` not held yet whose updates are enabled."""
        for widget in widgets:
            if widget not in self.widgets and widget.updatesEnabled():
                widget.setUpdatesEnabled(False)
                self.widgets.append(widget)

    def release_next(self) -> bool:
        """Release the first widget held (it repaints whole; one deleted meanwhile, with its window, is dropped);
        returns whether any is still held."""
        if self.widgets and shiboken6.isValid(widget := self.widgets.pop(0)):
            widget.setUpdatesEnabled(True)
        return bool(self.widgets)

    def release(self) -> None:
        """Release every widget held."""
        while self.release_next():
            pass
