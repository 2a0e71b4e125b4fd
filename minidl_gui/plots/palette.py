"""The class colours as the controls and the network diagram show them: `minidl_gui.model.colours.CLASS_COLOURS`
(the decision plot's) as hex strings for Qt style sheets and pyqtgraph brushes."""

from __future__ import annotations

from minidl.problem import Problem
from minidl_gui.model.colours import CLASS_COLOURS, rgb_hex


def class_colours(problem: Problem) -> tuple[str, ...]:
    """One colour per class of ``problem``, class 0 first (none for a regression)."""
    return tuple(rgb_hex(colour) for colour in CLASS_COLOURS[: problem.classes])
