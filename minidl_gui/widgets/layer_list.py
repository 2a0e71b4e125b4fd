"""The hidden layers as an editable list: one row per layer (width, activation), reorderable, then the
output layer, read-only: its width follows the problem."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QToolButton, QVBoxLayout, QWidget

from minidl.activations import ACTIVATIONS
from minidl.problem import Problem
from minidl_gui.model.config import MAX_HIDDEN_LAYERS, MAX_WIDTH, LayerConfig
from minidl_gui.widgets.forms import combo, select
from minidl_gui.widgets.spinboxes import int_spin


def _tool_button(text: str, name: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    return button


class LayerRow(QWidget):
    """``L2 [25] [relu] ↑ ↓ ✕`` for hidden layer ``index``; objectNames carry the index."""

    def __init__(self, index: int) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.label = QLabel(f"L{index + 1}")
        self.label.setMinimumWidth(18)
        self.width_spin: QSpinBox = int_spin(
            1, MAX_WIDTH, f"layerWidthSpin{index}", f"Neurons in this layer (1–{MAX_WIDTH})"
        )
        self.activation: QComboBox = combo(
            ((name, name) for name in ACTIVATIONS if name != "identity"),
            f"layerActivationCombo{index}",
            "Activation after this layer",
        )
        self.up = _tool_button("↑", f"moveLayerUpButton{index}", "Move this layer towards the input")
        self.down = _tool_button("↓", f"moveLayerDownButton{index}", "Move this layer towards the output")
        self.remove = _tool_button("✕", f"removeLayerButton{index}", "Remove this layer")
        for widget in (self.label, self.width_spin, self.activation, self.up, self.down, self.remove):
            layout.addWidget(widget)
        layout.setStretch(2, 1)


def outputs_text(problem: Problem) -> str:
    """The output layer as the list shows it: ``1 output``, ``3 outputs (softmax)``."""
    if problem.kind == "multiclass":
        return f"{problem.out_features} outputs (softmax)"
    return "1 output"


def outputs_tip(problem: Problem) -> str:
    if problem.kind == "multiclass":
        return (
            f"One output per class: {problem.classes} logits; softmax turns them into class probabilities "
            "(the cross-entropy applies it). The width follows the data set's class count."
        )
    if problem.kind == "regression":
        return "One output: the predicted value (a regression). The width follows the data set."
    return "One output: class 1 where it is above 0.5 (two classes). The width follows the data set."


class LayerList(QWidget):
    """Edits a tuple of `LayerConfig`; ``changed`` fires after every edit."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("layerList")
        self._layers: list[LayerConfig] = []
        self._rows: list[LayerRow] = []
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(2)
        self.add_button = _tool_button(
            "+ Add layer", "addLayerButton", f"Add a hidden layer (at most {MAX_HIDDEN_LAYERS})"
        )
        self.add_button.setAutoRaise(False)
        self.add_button.clicked.connect(self._add)
        self.outputs = QLabel()
        self.outputs.setObjectName("outputWidthLabel")
        out_row = QHBoxLayout()
        out_row.setContentsMargins(0, 0, 0, 0)
        out_row.setSpacing(3)
        out_name = QLabel("Out")
        out_name.setMinimumWidth(18)
        out_row.addWidget(out_name)
        out_row.addWidget(self.outputs, 1)
        out_row.addWidget(self.add_button)  # a new hidden layer goes before the output
        self._out_row = out_row
        self._box.addLayout(out_row)
        self.set_outputs(Problem())

    def add_output_widget(self, widget: QWidget) -> None:
        """Show ``widget`` (the output activation) in the output row, before the add button."""
        self._out_row.insertWidget(self._out_row.count() - 1, widget)

    def set_outputs(self, problem: Problem) -> None:
        """Show the output layer ``problem`` asks for."""
        self.outputs.setText(outputs_text(problem))
        self.outputs.setToolTip(outputs_tip(problem))

    def layers(self) -> tuple[LayerConfig, ...]:
        return tuple(self._layers)

    def set_layers(self, layers: tuple[LayerConfig, ...]) -> None:
        self._layers = list(layers)
        self._rebuild()

    def _rebuild(self) -> None:
        for row in self._rows:
            self._box.removeWidget(row)
            row.setParent(None)  # gone now (not drawn, not found by name), deleted when Qt next can
            row.deleteLater()
        self._rows = []
        for index, layer in enumerate(self._layers):
            row = LayerRow(index)
            row.width_spin.setValue(layer.width)
            select(row.activation, layer.activation)
            row.up.setEnabled(index > 0)
            row.down.setEnabled(index < len(self._layers) - 1)
            row.width_spin.valueChanged.connect(lambda value, i=index: self._edit(i, width=value))
            row.activation.currentIndexChanged.connect(
                lambda _, i=index, box=row.activation: self._edit(i, activation=box.currentData())
            )
            row.up.clicked.connect(lambda _=False, i=index: self._move(i, -1))
            row.down.clicked.connect(lambda _=False, i=index: self._move(i, +1))
            row.remove.clicked.connect(lambda _=False, i=index: self._remove(i))
            self._box.insertWidget(index, row)
            self._rows.append(row)
        self.add_button.setEnabled(len(self._layers) < MAX_HIDDEN_LAYERS)

    def _edit(self, index: int, **change: object) -> None:
        old = self._layers[index]
        self._layers[index] = LayerConfig(**{"width": old.width, "activation": old.activation, **change})
        self.changed.emit()

    def _add(self) -> None:
        last = self._layers[-1] if self._layers else LayerConfig(8, "relu")
        self._layers.append(last)
        self._structure_changed()

    def _remove(self, index: int) -> None:
        del self._layers[index]
        self._structure_changed()

    def _move(self, index: int, offset: int) -> None:
        other = index + offset
        self._layers[index], self._layers[other] = self._layers[other], self._layers[index]
        self._structure_changed()

    def _structure_changed(self) -> None:
        self._rebuild()
        self.changed.emit()
