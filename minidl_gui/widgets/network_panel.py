"""The Network group: the input features, hidden layers, output (its width follows the problem), output
activation, weight initialisation (the normal init's mean and std) and its seed.

The feature checkboxes are named ``featureCheck_<i>``, ``i`` the feature's index in
`minidl.features.FEATURE_NAMES` (``featureCheck_0`` is x1, ``featureCheck_2`` is x1^2, …); the features of
``config()`` are the checked ones in that order. At least one stays checked: unchecking the last one is undone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QWidget

from minidl.features import FEATURE_NAMES
from minidl.init import INIT_NAMES
from minidl.problem import Problem
from minidl_gui.model.config import (
    DECIMALS,
    MAX_INIT_MEAN,
    MAX_INIT_STD,
    MAX_SEED,
    OUTPUT_ACTIVATIONS,
    RESOLUTION,
    NetworkConfig,
    layer_sizes,
)
from minidl_gui.model.feature_fields import FEATURE_LABELS, feature_tip
from minidl_gui.widgets.forms import FormGroup, combo, select, signals_blocked
from minidl_gui.widgets.layer_list import LayerList
from minidl_gui.widgets.spinboxes import float_spin, int_spin

INIT_TIPS = {
    "torch": "PyTorch's default: uniform in ±1/√fan_in",
    "normal": "Every weight and bias from N(mean, std²) — the report's: N(0, 1)",
    "xavier": "Xavier/Glorot uniform, zero bias",
    "kaiming": "He/Kaiming normal (for ReLU), zero bias",
}
FEATURE_COLUMNS = 7
"""Feature checkboxes per row: all seven on one."""
LAST_FEATURE_TIP = "The network needs at least one input: check another feature before unchecking this one"


def feature_check_name(index: int) -> str:
    """The objectName of the checkbox of ``FEATURE_NAMES[index]``."""
    return f"featureCheck_{index}"


class FeatureChecks(QWidget):
    """One checkbox per feature of `FEATURE_NAMES` (TensorFlow Playground's labels, the formula as tooltip);
    ``changed`` fires after a user's toggle. The last checked box cannot be unchecked."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("featureChecks")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        for index, name in enumerate(FEATURE_NAMES):
            box = QCheckBox(FEATURE_LABELS[name])
            box.setObjectName(feature_check_name(index))
            box.toggled.connect(lambda checked, n=name: self._toggled(n, checked))
            grid.addWidget(box, *divmod(index, FEATURE_COLUMNS))
            self.boxes[name] = box
        self._tips()

    def features(self) -> tuple[str, ...]:
        """The checked features, in `FEATURE_NAMES` order."""
        return tuple(name for name in FEATURE_NAMES if self.boxes[name].isChecked())

    def set_features(self, features: Sequence[str]) -> None:
        """Check exactly ``features`` (without emitting ``changed``)."""
        with signals_blocked(*self.boxes.values()):
            for name, box in self.boxes.items():
                box.setChecked(name in features)
        self._tips()

    def toggle(self, name: str) -> None:
        """Toggle feature ``name`` as a click on its box does (the last checked one stays checked)."""
        self.boxes[name].click()

    def _toggled(self, name: str, checked: bool) -> None:
        if not checked and not self.features():
            with signals_blocked(self.boxes[name]):
                self.boxes[name].setChecked(True)  # the last input stays
            return
        self._tips()
        self.changed.emit()

    def _tips(self) -> None:
        """The formula; for the only checked box, also why it cannot be unchecked."""
        only = self.features()[0] if len(self.features()) == 1 else None
        for name, box in self.boxes.items():
            box.setToolTip(feature_tip(name) + (f". {LAST_FEATURE_TIP}." if name == only else ""))


OUTPUT_TIP = "Activation of the single output; class 1 where the output is above 0.5"


class NetworkPanel(FormGroup):
    """Edits a `NetworkConfig`; ``changed`` fires on every finished edit."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__("Network", "networkGroup")
        self.problem = Problem()
        self.features = FeatureChecks()
        self.layers = LayerList()
        self.output = combo(
            ((name, name) for name in OUTPUT_ACTIVATIONS),
            "outputActivationCombo",
            OUTPUT_TIP,
        )
        self.init = combo(((name, name) for name in INIT_NAMES), "initCombo", "Weight initialisation")
        for index, name in enumerate(INIT_NAMES):
            self.init.setItemData(index, INIT_TIPS.get(name, name), Qt.ItemDataRole.ToolTipRole)
        self.init_mean = float_spin(
            -MAX_INIT_MEAN,
            MAX_INIT_MEAN,
            DECIMALS,
            0.1,
            "initMeanSpin",
            "Mean of the normal init: every weight and bias from N(mean, std²)",
        )
        self.init_std = float_spin(
            RESOLUTION,
            MAX_INIT_STD,
            DECIMALS,
            0.1,
            "initStdSpin",
            "Standard deviation of the normal init: every weight and bias from N(mean, std²)",
        )
        self.seed = int_spin(0, MAX_SEED, "initSeedSpin", "Seed of the initial weights (and of the shuffling)")
        self.summary = QLabel()
        self.summary.setObjectName("networkSummaryLabel")
        self.summary.setToolTip("Layer sizes and the number of trainable parameters (weights and biases)")
        inputs = self.row(("Inputs", self.features))[0]
        inputs.setToolTip("The features fed to the network, computed from each point (hover one for its formula)")
        self.wide(self.layers)
        self.wide(self.summary)
        self.layers.add_output_widget(self.output)
        self.row(("Init", self.init), ("Seed", self.seed))
        self.row(("Mean", self.init_mean), ("Std", self.init_std))
        self.set_config(NetworkConfig())
        self.changed.connect(self._summarise)
        self.features.changed.connect(self.changed)
        self.layers.changed.connect(self.changed)
        self.output.currentIndexChanged.connect(self.changed)
        self.init.currentIndexChanged.connect(self._init_changed)
        self.init_mean.valueChanged.connect(self.changed)
        self.init_std.valueChanged.connect(self.changed)
        self.seed.valueChanged.connect(self.changed)

    def _init_changed(self) -> None:
        self._enable_normal(self.init.currentData())
        self.changed.emit()

    def _enable_normal(self, init: str) -> None:
        """Mean and std belong to the normal init: enabled with it, and only with it."""
        for spin in (self.init_mean, self.init_std):
            spin.setEnabled(init == "normal")

    def set_problem(self, problem: Problem) -> None:
        """Show the output width ``problem`` asks for (in the layer list and the summary)."""
        self.problem = problem
        self.layers.set_outputs(problem)
        self._summarise()

    def _summarise(self) -> None:
        sizes = layer_sizes(self.config(), self.problem)  # the output width is the data's (set_problem)
        parameters = sum((fan_in + 1) * fan_out for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True))
        self.summary.setText(f"{' → '.join(map(str, sizes))}  ·  {parameters:,} parameters")

    def new_random_seed(self) -> int:
        """Pick a new weight seed (emits ``changed``) and return it."""
        seed = random.randint(0, MAX_SEED)
        self.seed.setValue(seed)
        return seed

    def config(self) -> NetworkConfig:
        return NetworkConfig(
            hidden=self.layers.layers(),
            output_activation=self.output.currentData(),
            init=self.init.currentData(),
            init_mean=self.init_mean.value(),
            init_std=self.init_std.value(),
            seed=self.seed.value(),
            features=self.features.features(),
        )

    def set_config(self, config: NetworkConfig) -> None:
        widgets = (self.layers, self.output, self.init, self.init_mean, self.init_std, self.seed)
        with signals_blocked(*widgets):
            self.layers.set_layers(config.hidden)
            select(self.output, config.output_activation)
            select(self.init, config.init)
            self.init_mean.setValue(config.init_mean)
            self.init_std.setValue(config.init_std)
            self._enable_normal(config.init)
            self.seed.setValue(config.seed)
        self.features.set_features(config.features)
        self._summarise()
