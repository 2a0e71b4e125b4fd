"""`KeptPixelLengths`: a pyqtgraph item's pixel size in data units, computed once per change of the view.

pyqtgraph's items widen their bounding rects by a few pixels (the pen, the symbols), measured with
`GraphicsItem.pixelVectors` (the item's device transform, ~0.1 ms a call even when pyqtgraph's cache hits). The
lengths change only with the view's transform (its range or size), and pyqtgraph tells an item of that by
``viewTransformChanged`` (where its own items drop their cached view rect and bounds): the mixin keeps the lengths
until then.
"""

from __future__ import annotations

import pyqtgraph as pg


class KeptPixelLengths(pg.GraphicsObject):
    """A `pg.GraphicsObject` that keeps ``pixel_lengths()`` until ``viewTransformChanged``."""

    _pixel_lengths_kept: tuple[float, float] | None = None

    def pixel_lengths(self) -> tuple[float, float]:
        """The length of one device pixel along x and along y in the item's coordinates, as pyqtgraph's items
        measure it for their bounding rects (`pixelVectors`' lengths; 0 where it overflows). Not kept while the item
        has no view (both 0 then)."""
        if self._pixel_lengths_kept is not None:
            return self._pixel_lengths_kept
        vectors = self.pixelVectors()
        lengths = []
        for vector in vectors:
            try:
                lengths.append(0.0 if vector is None else vector.length())
            except OverflowError:
                lengths.append(0.0)
        if vectors != (None, None):
            self._pixel_lengths_kept = (lengths[0], lengths[1])
        return lengths[0], lengths[1]

    def viewTransformChanged(self) -> None:  # noqa: N802 (pyqtgraph's naming)
        self._pixel_lengths_kept = None
        super().viewTransformChanged()
