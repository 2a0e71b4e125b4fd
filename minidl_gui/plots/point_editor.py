"""`PointEditor`: clicks on the decision plot become requests to add or delete a point.

Click adds a point labelled ``draw_label``: a class index (classification) or a target value (regression).
Shift+click adds the *other* label: for two classes the other class, for k classes the next one (class
c + 1, after the last the first), for a regression the opposite value −t. Ctrl+click deletes the point
nearest to the cursor (within `DELETE_RADIUS_PX` screen pixels). The editor only maps the click from
scene to data coordinates through the plot's `ViewBox` and emits: what the points are and what an edit
does belong to the model (`minidl_gui.model.point_edits`), applied by the worker.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, Qt, Signal

from minidl.problem import Problem

DELETE_RADIUS_PX = 12
"""Ctrl+click deletes a point at most this many screen pixels away."""

HINT = (
    "Click: add a point of the drawing class (or target value) · Shift+click: of the other class (two classes), "
    "of the next class (k classes), of the opposite value (regression) · Ctrl+click: delete the nearest"
)


def shifted_label(problem: Problem, label: float) -> float:
    """What Shift+click adds when a click adds ``label``: the next class (the other one for two), or −label."""
    if problem.is_classification:
        return float((int(label) + 1) % problem.classes)
    return -label


def label_text(problem: Problem, label: float) -> str:
    """``class 2`` or ``target 0.5``."""
    return f"class {int(label)}" if problem.is_classification else f"target {label:g}"


def hint(problem: Problem, label: float) -> str:
    """The drawing row's hint: what a click, a Shift+click and a Ctrl+click do now."""
    other = label_text(problem, shifted_label(problem, label))
    return f"Click the plot: add {label_text(problem, label)} · Shift: {other} · Ctrl: delete"


class PointEditor(QObject):
    """Watches left clicks inside ``plot``'s view box: ``addRequested(x1, x2, label)`` (``label`` a float:
    class index or target value), ``deleteRequested(x1, x2, radius)`` (``radius`` in data units)."""

    addRequested = Signal(float, float, float)  # noqa: N815 (Qt naming)
    deleteRequested = Signal(float, float, float)  # noqa: N815

    def __init__(self, plot: pg.PlotItem, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plot = plot
        self.problem = Problem()
        self.draw_label = 1.0
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
            self.addRequested.emit(x1, x2, shifted_label(self.problem, self.draw_label))
        else:
            self.addRequested.emit(x1, x2, self.draw_label)
