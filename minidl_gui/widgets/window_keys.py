"""`WindowKeys`: Space (Train ⇄ Pause) and Esc (Stop) work wherever the focus is in the window.

A focused spin box (or combo box) claims Space and Esc for itself — Qt asks it first, with a
``ShortcutOverride`` event, and it says yes — so the toolbar's shortcuts never fired while one had
the focus and Space typed a space. This filter answers "no" for it: the window's shortcuts win.
Free-text fields (a line edit of its own, a text edit) keep their keys: a space there is text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

WINDOW_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Escape)


class WindowKeys(QObject):
    """Filters the events of whichever widget of ``window`` has the focus (Qt sends the override to
    it): for all but free-text fields, `WINDOW_KEYS` without modifiers go to the window's shortcuts.
    It is ``window``'s child and goes with it."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if old is not None:
            old.removeEventFilter(self)
        if new is not None and new.window() is self.window and not _free_text(new):
            new.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in WINDOW_KEYS
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            event.ignore()  # not overridden: the shortcut fires, the widget never sees the key
            return True
        return False


def _free_text(widget: QWidget) -> bool:
    """A field where typing a space means a space: a text edit, or a line edit that is not a spin box's."""
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return True
    return isinstance(widget, QLineEdit) and not isinstance(widget.parentWidget(), QAbstractSpinBox)
