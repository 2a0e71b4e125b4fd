"""The Data group: which data set (and so which problem: binary, k classes, regression), its class count where
the set takes one, how many points, how noisy, which seed."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from minidl.data import CLASS_CHOICE, DATASETS, dataset_problem
from minidl.problem import MAX_CLASSES, MIN_CLASSES, Problem
from minidl_gui.model.config import DECIMALS, MAX_POINTS, MAX_SEED, DataConfig, default_noise
from minidl_gui.widgets.forms import FormGroup, combo, select, signals_blocked
from minidl_gui.widgets.spinboxes import float_spin, int_spin

DATASET_LABELS = {
    "disc": "Disc (report)",
    "circles": "Circles",
    "xor": "XOR",
    "gaussians": "Gaussians",
    "spiral": "Spiral",
    "blobs": "Blobs",
    "plane": "Plane",
    "multi_gauss": "Multi-Gaussian",
}
CUSTOM = "custom"
CUSTOM_LABEL = "Custom (drawn/imported)"
CLASSES_TIP = f"Number of classes ({MIN_CLASSES}–{MAX_CLASSES}) of the {{sets}} sets: one output per class above two"


def problem_tip(problem: Problem) -> str:
    """What a problem means for the network (a tooltip)."""
    if problem.kind == "binary":
        return "Binary classification: labels 0 / 1 learnt from one output (class 1 above 0.5)"
    if problem.kind == "multiclass":
        return (
            f"{problem.classes}-class classification: labels 0…{problem.classes - 1} learnt from "
            f"{problem.classes} outputs (softmax + cross-entropy)"
        )
    return "Regression: each point's target value in [-1, 1] is learnt by one output (MSE or MAE)"


def dataset_tip(name: str) -> str:
    """A data set's problem, for its item in the combo box."""
    label = DATASET_LABELS.get(name, name)
    if name in CLASS_CHOICE:
        default = dataset_problem(name).classes
        return f"{label}: {MIN_CLASSES}–{MAX_CLASSES} classes (default {default}), set with Classes"
    problem = dataset_problem(name)
    kind = "regression (a target value per point)" if not problem.is_classification else "binary (2 classes)"
    return f"{label}: {kind}"


def classes_disabled_tip(name: str) -> str:
    """Why the class count of data set ``name`` cannot be chosen."""
    label = DATASET_LABELS.get(name, name)
    if not dataset_problem(name).is_classification:
        return f"{label} is a regression: it has no classes"
    return f"{label} has two classes: only {' and '.join(DATASET_LABELS[s] for s in CLASS_CHOICE)} take a class count"


class DataPanel(FormGroup):
    """Edits a `DataConfig`; ``changed`` fires on every finished edit."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__("Data", "dataGroup")
        self._generated = "disc"
        self._classes: int | None = None
        self.dataset = combo(
            ((DATASET_LABELS.get(name, name), name) for name in DATASETS),
            "datasetCombo",
            "The 2-D data set to learn; it sets the problem (binary, k classes or regression). "
            "Disc: the report's set, label 1 inside the disc.",
        )
        for index in range(self.dataset.count()):
            self.dataset.setItemData(index, dataset_tip(self.dataset.itemData(index)), Qt.ItemDataRole.ToolTipRole)
        self.classes = int_spin(MIN_CLASSES, MAX_CLASSES, "classesSpin", "")
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problemLabel")
        self.n_train = int_spin(1, MAX_POINTS, "trainPointsSpin", "Number of training points", step=100)
        self.n_test = int_spin(0, MAX_POINTS, "testPointsSpin", "Number of test points (0: no test set)", step=100)
        self.noise = float_spin(
            0.0,
            1.0,
            DECIMALS,
            0.01,
            "noiseSpin",
            "Disc: probability of flipping a label. Plane, Multi-Gaussian: each target is read at the point moved "
            "by up to ±noise/2 (the point stays). Others: jitter of the points.",
        )
        self.seed = int_spin(0, MAX_SEED, "dataSeedSpin", "Seed of the random points (same seed, same points)")
        self.regenerate = QToolButton()
        self.regenerate.setText("⟳")
        self.regenerate.setObjectName("regenerateButton")
        self.regenerate.setToolTip("Regenerate: draw new points (a new data seed)")
        seed = QWidget()
        seed_row = QHBoxLayout(seed)
        seed_row.setContentsMargins(0, 0, 0, 0)
        seed_row.setSpacing(2)
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.regenerate)
        self.row(("Set", self.dataset))
        self.row(("Classes", self.classes), ("Problem", self.problem_label))
        self.row(("Train", self.n_train), ("Test", self.n_test))
        self.row(("Noise", self.noise), ("Seed", seed))[1].setToolTip(self.seed.toolTip())
        self.set_config(DataConfig())
        self.dataset.currentIndexChanged.connect(self._dataset_changed)
        self.classes.valueChanged.connect(self._classes_changed)
        for spin in (self.n_train, self.n_test, self.noise, self.seed):
            spin.valueChanged.connect(self.changed)
        self.regenerate.clicked.connect(lambda: self.seed.setValue(random.randint(0, MAX_SEED)))

    def _dataset_changed(self) -> None:
        self.set_custom(False)  # a data set was picked: the "Custom" entry goes
        self._classes = None  # the new set's default class count
        with signals_blocked(self.noise):
            self.noise.setValue(default_noise(self.dataset.currentData()))
        self._show_problem()
        self.changed.emit()

    def _classes_changed(self, value: int) -> None:
        self._classes = value
        self._show_problem()
        self.changed.emit()

    @property
    def generated(self) -> str:
        """The data set generating the points (under the "Custom" entry, the one it replaced)."""
        return self._generated if self.custom else self.dataset.currentData()

    def problem(self) -> Problem:
        """The problem of the set shown: `dataset_problem` of the set and the class count."""
        return dataset_problem(self.generated, self._classes)

    def _show_problem(self) -> None:
        """The class count (enabled only for a `CLASS_CHOICE` set, else saying why) and the problem label."""
        name, problem = self.generated, self.problem()
        choice = name in CLASS_CHOICE
        with signals_blocked(self.classes):
            self.classes.setValue(max(problem.classes, MIN_CLASSES))  # a regression's 0: the minimum, shown as "—"
        self.classes.setEnabled(choice)
        self.classes.setToolTip(
            CLASSES_TIP.format(sets=" and ".join(DATASET_LABELS[s] for s in CLASS_CHOICE))
            if choice
            else classes_disabled_tip(name)
        )
        self.classes.setSpecialValueText("" if problem.is_classification else "—")
        self.problem_label.setText(str(problem))  # binary, 3 classes, regression
        self.problem_label.setToolTip(problem_tip(problem))

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
            dataset=self.generated,
            n_train=self.n_train.value(),
            n_test=self.n_test.value(),
            noise=self.noise.value(),
            seed=self.seed.value(),
            classes=self._classes,
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
        self._classes = config.classes
        self._show_problem()
