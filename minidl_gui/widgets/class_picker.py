"""`ClassPicker`: k coloured, mutually exclusive buttons choosing the class a click on the plot adds."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QToolButton, QWidget

from minidl.problem import MAX_CLASSES, Problem
from minidl_gui.model.colours import hex_rgb
from minidl_gui.plots.style import class_colours


def _text_colour(background: str) -> str:
    """Black on light colours, white on dark ones (relative luminance above or below one half)."""
    red, green, blue = (channel / 255 for channel in hex_rgb(background))
    return "#000" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.5 else "#fff"


class ClassPicker(QWidget):
    """One checkable button per class (``classButton_<i>``, its class's colour, the index as text); exactly
    one is checked. ``classChanged(index)`` fires when the user picks another class."""

    classChanged = Signal(int)  # noqa: N815 (Qt naming)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("classPicker")
        self.setToolTip("The class a click on the plot adds (Shift+click: the next class)")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QToolButton] = []
        for index in range(MAX_CLASSES):
            button = QToolButton()
            button.setObjectName(f"classButton_{index}")
            button.setText(str(index))
            button.setCheckable(True)
            button.setMinimumWidth(24)
            self.group.addButton(button, index)
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)
        self.group.idToggled.connect(self._toggled)
        self.problem = Problem()
        self.set_problem(Problem(), current=1)

    @property
    def classes(self) -> int:
        """How many classes are offered (the visible buttons)."""
        return self.problem.classes

    def current(self) -> int:
        return self.group.checkedId()

    def set_current(self, index: int) -> None:
        """Check class ``index`` (as a click on its button does)."""
        self.buttons[index].setChecked(True)

    def set_problem(self, problem: Problem, current: int | None = None) -> None:
        """Offer ``problem``'s classes (a classification), coloured as the plot draws them; the checked class
        stays if it still exists, else class ``current`` (default: the last class, class 1 for two)."""
        self.problem = problem
        colours = class_colours(problem)
        for index, button in enumerate(self.buttons):
            button.setVisible(index < problem.classes)
            if index < problem.classes:
                colour = colours[index]
                button.setStyleSheet(
                    f"QToolButton {{ background: {colour}; color: {_text_colour(colour)}; border: 1px solid #888;"
                    " border-radius: 3px; padding: 1px 4px; }"
                    " QToolButton:checked { border: 2px solid #111; font-weight: bold; }"
                )
                button.setToolTip(f"A click on the plot adds a point of class {index}")
        if not problem.is_classification:
            return  # a regression has no classes: every button hidden
        if current is None:
            current = self.current() if 0 <= self.current() < problem.classes else min(1, problem.classes - 1)
        self.set_current(current)

    def _toggled(self, index: int, checked: bool) -> None:
        if checked:
            self.classChanged.emit(index)
