"""`MessageBanner`: a dismissible strip above the plots for what the user must not miss (divergence)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton

_STYLES = {
    "error": "background: #fde2e1; border: 1px solid #e0a3a0; color: #7a1512;",
    "info": "background: #e6f0fa; border: 1px solid #a9c6e6; color: #14385e;",
}


class MessageBanner(QFrame):
    """Hidden until ``show_message(text, kind)``; the ✕ hides it again."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("messageBanner")
        self.label = QLabel()
        self.label.setObjectName("messageBannerText")
        self.label.setWordWrap(True)
        close = QToolButton()
        close.setText("✕")
        close.setObjectName("messageBannerClose")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        self.kind = kind
        self.setStyleSheet(f"QFrame#messageBanner {{ {_STYLES[kind]} border-radius: 4px; }}")
        self.label.setText(text)
        self.show()
