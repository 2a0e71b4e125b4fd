"""The control dock's content: Presets, Data, Network and Training groups editing one `Config`.

The data set's problem (binary, k classes, regression) rules the other groups: the output width, the losses
that can be chosen and the output activation follow it. `ControlPanel.config` goes through
`fit_problem`, so a data-set switch never gives an invalid configuration: what it had to change (say, the loss)
is shown in the controls and said by ``problemMessage``."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from minidl.problem import Problem
from minidl_gui.model.config import Config, ConfigEdit, fit_problem
from minidl_gui.model.presets import PRESETS
from minidl_gui.widgets.data_panel import DataPanel
from minidl_gui.widgets.forms import FormGroup, signals_blocked
from minidl_gui.widgets.network_panel import OUTPUT_TIP, NetworkPanel
from minidl_gui.widgets.training_panel import TrainingPanel

PRESET_COLUMNS = 3
"""Preset buttons per row: the report's three on the first, the others below."""
OUTPUT_TIPS = {
    "binary": OUTPUT_TIP,
    "multiclass": "{k} classes: the {k} outputs are logits (the cross-entropy applies the softmax), so no activation",
    "regression": "A regression predicts the target value itself: the output has no activation (identity)",
}


def output_tip(problem: Problem, bce: bool) -> str:
    """The output activation's tooltip: what it does, or why it is locked."""
    if problem.kind == "binary" and bce:
        return "BCE needs the sigmoid output"
    return OUTPUT_TIPS[problem.kind].format(k=problem.classes)


def preset_button_name(key: str) -> str:
    """``report-adam`` → ``reportAdamPresetButton``."""
    head, *rest = key.split("-")
    return head + "".join(word.capitalize() for word in rest) + "PresetButton"


class ControlPanel(QScrollArea):
    """All the settings of a run. ``configChanged(config, section)`` fires after each finished edit,
    ``section`` the `ConfigEdit` it was (a group, or a preset); ``problemMessage(text)`` says what an edit
    changed to fit the data set's problem (a loss, the output activation).

    It scrolls vertically only, and is never narrower than its content (plus the scroll bar): the
    dock holding it cannot clip a field."""

    configChanged = Signal(object, object)  # noqa: N815 (Qt naming)
    problemMessage = Signal(str)  # noqa: N815

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
        row = QGridLayout()
        row.setSpacing(4)
        for index, (key, (label, _)) in enumerate(PRESETS.items()):
            button = QPushButton(label)
            button.setObjectName(preset_button_name(key))
            what = "the report's experiment" if key.startswith("report-") else "this experiment"
            button.setToolTip(f"Start {what} from scratch (its points, initial weights): {label}")
            button.clicked.connect(lambda _=False, k=key: self.apply_preset(k))
            row.addWidget(button, *divmod(index, PRESET_COLUMNS))
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
        self._sync_problem()

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
        """The configuration shown, fitted to the data set's problem (`fit_problem`)."""
        return self._fitted()[0]

    def _fitted(self) -> tuple[Config, str]:
        return fit_problem(self.data.config(), self.network.config(), self.training.config())

    def set_config(self, config: Config) -> None:
        """Show ``config`` in every widget, without emitting ``configChanged``."""
        self.data.set_config(config.data)
        self.network.set_config(config.network)
        self.training.set_config(config.training)
        self._sync_problem()

    def apply_preset(self, key: str) -> None:
        self.set_config(PRESETS[key][1])
        self.configChanged.emit(self.config(), ConfigEdit.PRESET)

    def toggle_feature(self, name: str) -> None:
        """Toggle input feature ``name`` as its checkbox does (the network diagram's input nodes call this)."""
        self.network.features.toggle(name)

    def _emit(self, section: ConfigEdit) -> None:
        self._sync_problem()
        config, message = self._fitted()
        if message:  # show what was changed to fit the problem (the data, custom points included, stay)
            self.network.set_config(config.network)
            self.training.set_config(config.training)
            self._sync_problem()
            self.problemMessage.emit(message)
        self.configChanged.emit(config, section)

    def _sync_problem(self) -> None:
        """The problem of the data set rules the output width, the losses offered and the output activation."""
        problem = self.data.problem()
        self.network.set_problem(problem)
        self.training.set_problem(problem)
        self._sync_output(problem)

    def _sync_output(self, problem: Problem) -> None:
        """BCE needs outputs in [0, 1]: it forces the sigmoid output (and the choice is locked). k classes and
        a regression take the raw outputs: identity, locked too."""
        bce = problem.kind == "binary" and self.training.loss.currentData() == "bce"
        output = self.network.output
        if bce and output.currentData() != "sigmoid":
            with signals_blocked(output):
                output.setCurrentIndex(output.findData("sigmoid"))
        output.setEnabled(problem.kind == "binary" and not bce)
        output.setToolTip(output_tip(problem, bce))
