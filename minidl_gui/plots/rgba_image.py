"""`RgbaImage`: a `pg.ImageItem` that turns RGBA bytes into its QImage without pyqtgraph's general pipeline.

The decision plot's heatmap comes as ready colours (``(n, m, 4)`` uint8, column-major: ``image[i, j]`` the cell at
``(xs[i], ys[j])``), a new one with each snapshot. `pg.ImageItem.render` goes through its checks for levels, look-up
tables, NaNs, down-sampling and `try_make_qimage` (~0.15 ms of the UI thread per image) to end, for such bytes without
levels or table, with the same QImage: the rows made contiguous (``swapaxes(0, 1)``, a byte-wise copy of ~0.1 ms for
100 × 100 pixels) as ``Format_RGBA8888``. Here that case is done directly, the pixels moved as 32-bit words (`rows_of`:
the same bytes, ~10 µs), into the same QImage (so the same pixels); any other image goes through pyqtgraph's
``render``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph import functions as fn
from PySide6.QtGui import QImage


class RgbaImage(pg.ImageItem):
    """`pg.ImageItem` (column-major) rendering plain RGBA bytes straight to its QImage."""

    def __init__(self) -> None:
        super().__init__(axisOrder="col-major")

    def _plain_rgba(self) -> bool:
        """The image is RGBA bytes shown as they are: no levels, no look-up table, no down-sampling, on the CPU."""
        image = self.image
        return (
            isinstance(image, np.ndarray)
            and image.dtype == np.uint8
            and image.ndim == 3
            and image.shape[2] == 4
            and image.size > 0
            and self.levels is None
            and self.lut is None
            and not self.autoDownsample
            and self.axisOrder == "col-major"
        )

    def render(self) -> None:
        """The QImage of the image: RGBA bytes directly (as `try_make_qimage` makes it), anything else as pyqtgraph
        renders it."""
        if not self._plain_rgba():
            super().render()
            return
        rows = rows_of(self.image)
        self.qimage = fn.ndarray_to_qimage(rows, QImage.Format.Format_RGBA8888)
        self._imageHasNans = False  # bytes: what pyqtgraph's render notes of them
        self._imageNanLocations = None
        self._processingBuffer = None
        self._displayBuffer = None
        self._renderRequired = False
        self._unrenderable = False


def rows_of(image: np.ndarray) -> np.ndarray:
    """``image`` (``(n, m, 4)`` bytes, column-major) as contiguous rows ``(m, n, 4)``: ``image.swapaxes(0, 1)``
    copied, each pixel's 4 bytes moved as one 32-bit word (numpy copies the byte-wise transpose ~10 times slower)."""
    n, m, _ = image.shape
    words = np.ascontiguousarray(image).view(np.uint32).reshape(n, m)
    return np.ascontiguousarray(words.T).view(np.uint8).reshape(m, n, 4)
