"""The Data group: which data set, how many points, how noisy, which seed."""

from __future__ import annotations

import random

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton

from minidl.data import DATASETS
from minidl_gui.model.config import DECIMALS, MAX_POINTS, MAX_SEED, DataConfig, default_noise
from minidl_gui.widgets.forms import FormGroup, combo, select, signals_blocked
from minidl_gui.widgets.spinboxes import float_spin, int_spin

DATASET_LABELS = {
    "disc": "Disc (report)",
    "circles": "Circles",
    "xor": "XOR",
    "gaussians": "Gaussians",
    "spiral": "Spiral",
}
CUSTOM = "custom"
CUSTOM_LABEL = "Custom (drawn/imported)"


class DataPanel(FormGroup):
    """Edits a `DataConfig`; ``changed`` fires on every finished edit."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__("Data", "dataGroup")
        self.dataset = combo(
            ((DATASET_LABELS.get(name, name), name) for name in DATASETS),
            "datasetCombo",
            "The two-class 2-D data set to learn. Disc: the report's set, label 1 inside the disc.",
        )
        self.n_train = int_spin(1, MAX_POINTS, "trainPointsSpin", "Number of training points", step=100)
        self.n_test = int_spin(0, MAX_POINTS, "testPointsSpin", "Number of test points (0: no test set)", step=100)
        self.noise = float_spin(
            0.0,
            1.0,
            DECIMALS,
            0.01,
            "noiseSpin",
            "Disc: probability of flipping a label. Others: jitter of the points.",
        )
        self.seed = int_spin(0, MAX_SEED, "dataSeedSpin", "Seed of the random points (same seed, same points)")
        self.regenerate = QPushButton("Regenerate")
        self.regenerate.setObjectName("regenerateButton")
        self.regenerate.setToolTip("Draw new points (a new data seed)")
        self.row(("Set", self.dataset))
        self.row(("Train", self.n_train), ("Test", self.n_test))
        self.row(("Noise", self.noise), ("Seed", self.seed))
        self.wide(self.regenerate)
        self.set_config(DataConfig())
        self.dataset.currentIndexChanged.connect(self._dataset_changed)
        for spin in (self.n_train, self.n_test, self.noise, self.seed):
            spin.valueChanged.connect(self.changed)
        self.regenerate.clicked.connect(lambda: self.seed.setValue(random.randint(0, MAX_SEED)))

    def _dataset_changed(self) -> None:
        self.set_custom(False)  # a data set was picked: the "Custom" entry goes
        with signals_blocked(self.noise):
            self.noise.setValue(default_noise(self.dataset.currentData()))
        self.changed.emit()

    @property
    def custom(self) -> bool:
        """The combo shows "Custom": the points were drawn, edited or imported."""
        return self.dataset.currentData() == CUSTOM

    def set_custom(self, custom: bool) -> None:
        """Show (or leave) the "Custom" state without emitting ``changed``; ``config()`` keeps
        naming the generated data set underneath, which any edit of this group brings back."""
        index = self.dataset.findData(CUSTOM)
        with signals_blocked(self.dataset):
            if custom and index < 0:
                self._generated = self.dataset.currentData()
                self.dataset.addItem(CUSTOM_LABEL, CUSTOM)
                self.dataset.setCurrentIndex(self.dataset.count() - 1)
            elif not custom and index >= 0:
                selected = self.dataset.currentIndex() == index
                self.dataset.removeItem(index)
                if selected:
                    select(self.dataset, self._generated)

    def config(self) -> DataConfig:
        return DataConfig(
            dataset=self._generated if self.custom else self.dataset.currentData(),
            n_train=self.n_train.value(),
            n_test=self.n_test.value(),
            noise=self.noise.value(),
            seed=self.seed.value(),
        )

    def set_config(self, config: DataConfig) -> None:
        self.set_custom(False)
        widgets = (self.dataset, self.n_train, self.n_test, self.noise, self.seed)
        with signals_blocked(*widgets):
            select(self.dataset, config.dataset)
            self.n_train.setValue(config.n_train)
            self.n_test.setValue(config.n_test)
            self.noise.setValue(config.noise)
            self.seed.setValue(config.seed)
