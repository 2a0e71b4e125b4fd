"""`BoundedScatter`: a `pg.ScatterPlotItem` whose bounding rect is computed once per change.

Qt asks an item for its bounding rect several times per paint (the decision plot's three scatter items: ~10 calls,
~0.6 ms of its ~4.5 ms paint), and pyqtgraph computes it afresh each time: the data bounds (cached by pyqtgraph in its
``bounds`` list) widened by the widest spot's pixel size (``_maxSpotPxWidth``) in data units (`pixelVectors`, from the
view's transform). pyqtgraph replaces the ``bounds`` list whenever any of these may change — new data or spot sizes,
and `viewTransformChanged` (a new range or size of the view) — so the rect is kept with the list it was computed for
(and its contents and the spot width): a new list, or other values, and it is computed again, the same way.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF


class BoundedScatter(pg.ScatterPlotItem):
    """`pg.ScatterPlotItem` with its bounding rect kept until its data bounds, spot sizes or view transform change."""

    _kept: tuple[list, tuple, QRectF] | None = None  # (the bounds list, (its values, the spot width), the rect)

    def boundingRect(self) -> QRectF:
        kept, bounds = self._kept, self.bounds
        if kept is not None and kept[0] is bounds and kept[1] == (tuple(bounds), self._maxSpotPxWidth):
            return QRectF(kept[2])
        rect = super().boundingRect()
        self._kept = (self.bounds, (tuple(self.bounds), self._maxSpotPxWidth), QRectF(rect))
        return rect
