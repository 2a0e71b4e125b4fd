"""The Training group: loss, optimizer and hyperparameters, batches, epochs, penalties, LR schedule."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QCheckBox, QWidget

from minidl.problem import Problem
from minidl_gui.model.config import (
    DECIMALS,
    LOSS_NAMES,
    MAX_BATCH_SIZE,
    MAX_BELOW_ONE,
    MAX_EPOCHS,
    MAX_EPS,
    MAX_LR,
    MAX_PENALTY,
    MIN_EPS,
    MIN_LR,
    RESOLUTION,
    TrainingConfig,
)
from minidl_gui.widgets.forms import FormGroup, combo, select, signals_blocked
from minidl_gui.widgets.spinboxes import float_spin, int_spin, sci_spin

LOSS_LABELS = {"cross_entropy": "Cross-entropy"}
LOSS_ITEMS = tuple((LOSS_LABELS.get(name, name.upper()), name) for name in LOSS_NAMES)  # MSE, MAE, BCE, …
LOSS_TIPS = {
    "mse": "Mean squared error",
    "mae": "Mean absolute error",
    "bce": "Binary cross-entropy (needs the sigmoid output)",
    "cross_entropy": "Cross-entropy of the softmax of the k outputs (k classes)",
}
LOSS_TIP = "The loss; only those that fit the data set's problem can be chosen (hover a greyed one: why)"
OPTIMIZER_ITEMS = (("SGD", "sgd"), ("Adam", "adam"))
SCHEDULE_ITEMS = (("constant", "none"), ("step", "step"), ("exponential", "exponential"), ("cosine", "cosine"))


LR_TIP = (
    "Learning rate γ — applies live, from the next epoch. With an LR schedule it is the schedule's base: "
    "the rate in force is this × the schedule's factor for the epoch"
)


class TrainingPanel(FormGroup):
    """Edits a `TrainingConfig`; ``changed`` fires on every finished edit. Only the rows that apply to
    the chosen optimizer and schedule are shown."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__("Training", "trainingGroup")
        self.loss = combo(LOSS_ITEMS, "lossCombo", LOSS_TIP)
        self.optimizer = combo(OPTIMIZER_ITEMS, "optimizerCombo", "The optimizer (switching keeps the weights)")
        self.lr = sci_spin(MIN_LR, MAX_LR, "learningRateSpin", LR_TIP, 1e-6)
        self.momentum = float_spin(0.0, MAX_BELOW_ONE, DECIMALS, 0.05, "momentumSpin", "SGD momentum μ (0: plain SGD)")
        self.nesterov = QCheckBox("Nesterov")
        self.nesterov.setObjectName("nesterovCheck")
        self.nesterov.setToolTip("Nesterov momentum (needs a momentum > 0)")
        self.beta1 = float_spin(
            0.0, MAX_BELOW_ONE, DECIMALS, 0.01, "beta1Spin", "Adam β₁: decay of the gradient average"
        )
        self.beta2 = float_spin(
            0.0, MAX_BELOW_ONE, DECIMALS, 0.001, "beta2Spin", "Adam β₂: decay of the squared-gradient average"
        )
        self.eps = sci_spin(MIN_EPS, MAX_EPS, "epsSpin", "Adam ε, added to √v for stability")
        self.l2 = sci_spin(0.0, MAX_PENALTY, "l2Spin", "L2 penalty (weight decay) λ: adds λ·w to every gradient", 1e-6)
        self.l1 = sci_spin(0.0, MAX_PENALTY, "l1Spin", "L1 penalty: adds l1·sign(w) to every gradient", 1e-6)
        self.batch_size = int_spin(1, MAX_BATCH_SIZE, "batchSizeSpin", "Points per optimizer step (1: the report's)")
        self.max_epochs = int_spin(1, MAX_EPOCHS, "maxEpochsSpin", "Training stops after this many epochs", step=10)
        self.schedule = combo(SCHEDULE_ITEMS, "scheduleCombo", "Learning-rate schedule, stepped once per epoch")
        self.gamma = float_spin(
            RESOLUTION, 1.0, DECIMALS, 0.05, "gammaSpin", "Decay factor of the step / exponential schedule"
        )
        self.step_size = int_spin(1, MAX_EPOCHS, "stepSizeSpin", "Epochs between two decays of the step schedule")
        self.row(("Loss", self.loss), ("Optim.", self.optimizer))
        self.row(("LR", self.lr), ("Batch", self.batch_size))
        self._sgd_rows = self.row(("Mom.", self.momentum), ("", self.nesterov))
        self._adam_rows = self.row(("β₁", self.beta1), ("β₂", self.beta2)) + self.row(("ε", self.eps))
        self.row(("L2", self.l2), ("L1", self.l1))
        self.row(("Epochs", self.max_epochs), ("LR sched.", self.schedule))
        self._decay_rows = self.row(("γ", self.gamma), ("Every", self.step_size))
        self.set_config(TrainingConfig())
        for box in (self.loss, self.optimizer, self.schedule):
            box.currentIndexChanged.connect(self._edited)
        for spin in self._spins():
            spin.valueChanged.connect(self._edited)
        self.nesterov.toggled.connect(self._edited)

    def set_problem(self, problem: Problem) -> None:
        """Enable the losses that fit ``problem``; the others stay listed, greyed, their tooltip saying why."""
        model = self.loss.model()
        assert isinstance(model, QStandardItemModel)  # QComboBox's own model
        for index in range(self.loss.count()):
            name = self.loss.itemData(index)
            why_not = problem.why_not(name)
            item = model.item(index)
            item.setEnabled(why_not is None)
            item.setToolTip(why_not or LOSS_TIPS.get(name, name))

    def _spins(self) -> tuple[QWidget, ...]:
        return (
            self.lr, self.momentum, self.beta1, self.beta2, self.eps, self.l2, self.l1,
            self.batch_size, self.max_epochs, self.gamma, self.step_size,
        )  # fmt: skip

    def _edited(self) -> None:
        self._sync_visibility()
        self.changed.emit()

    def _sync_visibility(self) -> None:
        sgd = self.optimizer.currentData() == "sgd"
        for item in (*self._sgd_rows, self.momentum, self.nesterov):
            item.setVisible(sgd)
        for item in (*self._adam_rows, self.beta1, self.beta2, self.eps):
            item.setVisible(not sgd)
        if self.momentum.value() == 0 and self.nesterov.isChecked():
            with signals_blocked(self.nesterov):
                self.nesterov.setChecked(False)
        self.nesterov.setEnabled(self.momentum.value() > 0)
        schedule = self.schedule.currentData()
        for item in (*self._decay_rows, self.gamma, self.step_size):
            item.setVisible(schedule in ("step", "exponential"))
        self.step_size.setEnabled(schedule == "step")

    def config(self) -> TrainingConfig:
        return TrainingConfig(
            loss=self.loss.currentData(),
            optimizer=self.optimizer.currentData(),
            lr=self.lr.value(),
            momentum=self.momentum.value(),
            nesterov=self.nesterov.isChecked() and self.momentum.value() > 0,
            beta1=self.beta1.value(),
            beta2=self.beta2.value(),
            eps=self.eps.value(),
            weight_decay=self.l2.value(),
            l1=self.l1.value(),
            batch_size=self.batch_size.value(),
            max_epochs=self.max_epochs.value(),
            schedule=self.schedule.currentData(),
            gamma=self.gamma.value(),
            step_size=self.step_size.value(),
        )

    def set_config(self, config: TrainingConfig) -> None:
        widgets = (self.loss, self.optimizer, self.schedule, self.nesterov, *self._spins())
        with signals_blocked(*widgets):
            select(self.loss, config.loss)
            select(self.optimizer, config.optimizer)
            select(self.schedule, config.schedule)
            self.lr.setValue(config.lr)
            self.momentum.setValue(config.momentum)
            self.nesterov.setChecked(config.nesterov)
            self.beta1.setValue(config.beta1)
            self.beta2.setValue(config.beta2)
            self.eps.setValue(config.eps)
            self.l2.setValue(config.weight_decay)
            self.l1.setValue(config.l1)
            self.batch_size.setValue(config.batch_size)
            self.max_epochs.setValue(config.max_epochs)
            self.gamma.setValue(config.gamma)
            self.step_size.setValue(config.step_size)
        self._sync_visibility()
