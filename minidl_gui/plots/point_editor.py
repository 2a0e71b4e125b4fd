"""`PointEditor`: clicks on the decision plot become requests to add or delete a point.

Click adds a point of ``draw_class``, Shift+click one of the other class, Ctrl+click deletes the
point nearest to the cursor (within `DELETE_RADIUS_PX` screen pixels). The editor only maps the
click from scene to data coordinates through the plot's `ViewBox` and emits: what the points are and
what an edit does belong to the model (`minidl_gui.model.point_edits`), applied by the worker.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, Qt, Signal

DELETE_RADIUS_PX = 12
"""Ctrl+click deletes a point at most this many screen pixels away."""

HINT = "Click: add a point of the drawing class · Shift+click: of the other class · Ctrl+click: delete the nearest"


class PointEditor(QObject):
    """Watches left clicks inside ``plot``'s view box: ``addRequested(x1, x2, label)``,
    ``deleteRequested(x1, x2, radius)`` (``radius`` in data units)."""

    addRequested = Signal(float, float, int)  # noqa: N815 (Qt naming)
    deleteRequested = Signal(float, float, float)  # noqa: N815

    def __init__(self, plot: pg.PlotItem, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plot = plot
        self.draw_class = 1
        self.enabled = True
        plot.scene().sigMouseClicked.connect(self._clicked)

    def to_data(self, scene_pos: QPointF) -> tuple[float, float]:
        """The data coordinates ``(x1, x2)`` under a scene position."""
        point = self.plot.vb.mapSceneToView(scene_pos)
        return point.x(), point.y()

    def _clicked(self, event: object) -> None:
        if not self.enabled or event.button() != Qt.MouseButton.LeftButton:
            return
        scene_pos = event.scenePos()
        if not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            return  # on an axis, the title or the colour bar: not a place in the data
        x1, x2 = self.to_data(scene_pos)
        modifiers = event.modifiers()
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            self.deleteRequested.emit(x1, x2, DELETE_RADIUS_PX * max(self.plot.vb.viewPixelSize()))
        elif modifiers & Qt.KeyboardModifier.ShiftModifier:
            self.addRequested.emit(x1, x2, 1 - self.draw_class)
        else:
            self.addRequested.emit(x1, x2, self.draw_class)
