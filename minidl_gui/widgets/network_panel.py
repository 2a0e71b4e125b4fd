"""The Network group: hidden layers, output activation, weight initialisation (the normal init's mean and std)
and its seed."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel

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
from minidl_gui.widgets.forms import FormGroup, combo, select, signals_blocked
from minidl_gui.widgets.layer_list import LayerList
from minidl_gui.widgets.spinboxes import float_spin, int_spin

INIT_TIPS = {
    "torch": "PyTorch's default: uniform in ±1/√fan_in",
    "normal": "Every weight and bias from N(mean, std²) — the report's: N(0, 1)",
    "xavier": "Xavier/Glorot uniform, zero bias",
    "kaiming": "He/Kaiming normal (for ReLU), zero bias",
}


class NetworkPanel(FormGroup):
    """Edits a `NetworkConfig`; ``changed`` fires on every finished edit."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__("Network", "networkGroup")
        self.layers = LayerList()
        self.output = combo(
            ((name, name) for name in OUTPUT_ACTIVATIONS),
            "outputActivationCombo",
            "Activation of the single output; class 1 where the output is above 0.5",
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
        self.wide(self.layers)
        self.wide(self.summary)
        self.row(("Output", self.output), ("Init", self.init))
        self.row(("Mean", self.init_mean), ("Std", self.init_std))
        self.row(("Seed", self.seed))
        self.set_config(NetworkConfig())
        self.changed.connect(self._summarise)
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

    def _summarise(self) -> None:
        sizes = layer_sizes(self.config(), Problem())  # the output width is the data's: binary's here
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
        self._summarise()
