"""The control dock's content: Presets, Data, Network and Training groups editing one `Config`."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from minidl_gui.model.config import Config, ConfigEdit
from minidl_gui.model.presets import PRESETS
from minidl_gui.widgets.data_panel import DataPanel
from minidl_gui.widgets.forms import FormGroup, signals_blocked
from minidl_gui.widgets.network_panel import NetworkPanel
from minidl_gui.widgets.training_panel import TrainingPanel


def preset_button_name(key: str) -> str:
    """``report-adam`` → ``reportAdamPresetButton``."""
    head, *rest = key.split("-")
    return head + "".join(word.capitalize() for word in rest) + "PresetButton"


class ControlPanel(QScrollArea):
    """All the settings of a run. ``configChanged(config, section)`` fires after each finished edit,
    ``section`` the `ConfigEdit` it was (a group, or a preset).

    It scrolls vertically only, and is never narrower than its content (plus the scroll bar): the
    dock holding it cannot clip a field."""

    configChanged = Signal(object, object)  # noqa: N815 (Qt naming)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("controlPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 2, 4, 2)
        column.setSpacing(6)
        self.presets = FormGroup("Presets", "presetsGroup")
        self.preset_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, (label, _) in PRESETS.items():
            button = QPushButton(label)
            button.setObjectName(preset_button_name(key))
            button.setToolTip(f"Start the report's experiment from scratch (its points, initial weights): {label}")
            button.clicked.connect(lambda _=False, k=key: self.apply_preset(k))
            row.addWidget(button)
            self.preset_buttons[key] = button
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.presets.wide(holder)
        self.data, self.network, self.training = DataPanel(), NetworkPanel(), TrainingPanel()
        for group in (self.presets, self.data, self.network, self.training):
            column.addWidget(group)
        column.addStretch(1)
        self.setWidget(content)
        content.installEventFilter(self)  # its minimum width changes with the layers: follow it
        self.data.changed.connect(lambda: self._emit(ConfigEdit.DATA))
        self.network.changed.connect(lambda: self._emit(ConfigEdit.NETWORK))
        self.training.changed.connect(lambda: self._emit(ConfigEdit.TRAINING))
        self._sync_output()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self._content_width(), super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self._content_width(), super().sizeHint().height())

    def _content_width(self) -> int:
        """The content's minimum width, the vertical scroll bar's and the frame's."""
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        return self.widget().minimumSizeHint().width() + scroll_bar + 2 * self.frameWidth()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def config(self) -> Config:
        return Config(data=self.data.config(), network=self.network.config(), training=self.training.config())

    def set_config(self, config: Config) -> None:
        """Show ``config`` in every widget, without emitting ``configChanged``."""
        self.data.set_config(config.data)
        self.network.set_config(config.network)
        self.training.set_config(config.training)
        self._sync_output()

    def apply_preset(self, key: str) -> None:
        self.set_config(PRESETS[key][1])
        self.configChanged.emit(self.config(), ConfigEdit.PRESET)

    def _emit(self, section: ConfigEdit) -> None:
        self._sync_output()
        self.configChanged.emit(self.config(), section)

    def _sync_output(self) -> None:
        """BCE needs outputs in [0, 1]: it forces the sigmoid output (and the choice is locked)."""
        bce = self.training.loss.currentData() == "bce"
        output = self.network.output
        if bce and output.currentData() != "sigmoid":
            with signals_blocked(output):
                output.setCurrentIndex(output.findData("sigmoid"))
        output.setEnabled(not bce)
        output.setToolTip("BCE needs the sigmoid output" if bce else "Activation of the single output")
