"""The class colours as the controls and the network diagram show them (hex strings for Qt style sheets and
pyqtgraph brushes), the decision plot's: classes 0 and 1 the playground's orange and blue, then Okabe–Ito's
colour-blind-safe qualitative colours."""

from __future__ import annotations

from minidl.problem import Problem

CLASS_COLOURS_HEX = ("#e8871e", "#1f77b4", "#009e73", "#cc79a7", "#f0e442", "#56b4e9")
"""Local fallback until `minidl_gui.model.colours.CLASS_COLOURS` exists (same order)."""


def class_colours(problem: Problem) -> tuple[str, ...]:
    """One colour per class of ``problem`` (none for a regression)."""
    return CLASS_COLOURS_HEX[: problem.classes]
