"""`TrainingStatusBar`: epoch, losses, accuracies (a regression's R² instead), steps/s and elapsed time of the
current run."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QLabel, QStatusBar

from minidl.formatting import duration, number, percent
from minidl_gui.model.history import History
from minidl_gui.model.worker_state import WorkerState

STATE_TEXT = {
    WorkerState.READY: "Ready",
    WorkerState.RUNNING: "Training…",
    WorkerState.PAUSED: "Paused",
    WorkerState.DONE: "Done",
    WorkerState.STOPPED: "Stopped",
    WorkerState.DIVERGED: "Diverged",
    WorkerState.FAILED: "Error",
}


WIDEST_EPOCH = "epoch 000000 · 100 %"
"""The epoch field's widest text while training (at most 100 000 epochs, and the progress of the next one)."""
ACCURACY_TIP = "Accuracy on the training / test set after the last epoch"
REGRESSION_TIP = "R² (1 − residual / total sum of squares) of the training / test targets after the last epoch"


class TrainingStatusBar(QStatusBar):
    """Permanent fields on the right; ``showMessage`` for transient notes on the left."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("statusBar")
        self.fields: dict[str, QLabel] = {}
        for name, tip in (
            ("state", "What the training worker is doing"),
            ("epoch", "Epochs trained in this run"),
            ("loss", "Loss over the training / test set after the last epoch"),
            ("accuracy", ACCURACY_TIP),
            ("speed", "Optimizer steps per second in the last epoch"),
            ("elapsed", "Training time of this run"),
        ):
            label = QLabel()
            label.setObjectName(f"{name}Label")
            label.setToolTip(tip)
            label.setContentsMargins(6, 0, 6, 0)
            self.addPermanentWidget(label)
            self.fields[name] = label
        self.set_state(WorkerState.READY)
        self.show_history(History())

    def set_state(self, state: WorkerState) -> None:
        """Show ``state``; while training the epoch field keeps the width of its widest text, so that its progress
        (" · 40 %", shown and gone within an epoch) does not shift the fields around it."""
        self.fields["state"].setText(STATE_TEXT[state])
        epoch = self.fields["epoch"]
        if state == WorkerState.RUNNING:
            margins = epoch.contentsMargins()
            widest = epoch.fontMetrics().horizontalAdvance(WIDEST_EPOCH) + margins.left() + margins.right()
            epoch.setMinimumWidth(widest)
        else:
            epoch.setMinimumWidth(0)

    def show_history(self, history: History, progress: tuple[int, int] = (0, 0)) -> None:
        """The last epoch's numbers; ``progress`` ``(step, steps)`` of a mid-epoch snapshot (``steps`` > 0) adds how
        far the next epoch is: "epoch 12 · 40 %"."""
        f, last = self.fields, history.last
        epoch = last("epoch")
        step, steps = progress
        into = f" · {100 * step // steps} %" if steps > 0 else ""
        f["epoch"].setText(f"epoch {int(epoch) if epoch is not None else 0}{into}")
        f["loss"].setText(f"loss train {number(last('train_loss'))} · test {number(last('test_loss'))}")
        r2 = last("train_r2")
        if r2 is not None and math.isfinite(r2):  # a regression: no accuracy, its fit's R²
            f["accuracy"].setText(f"R² train {number(r2, '.4f')} · test {number(last('test_r2'), '.4f')}")
            f["accuracy"].setToolTip(REGRESSION_TIP)
        else:
            f["accuracy"].setText(
                f"accuracy train {percent(last('train_accuracy'))} · test {percent(last('test_accuracy'))}"
            )
            f["accuracy"].setToolTip(ACCURACY_TIP)
        f["speed"].setText(f"{number(last('steps_per_second'), ',.0f')} steps/s")
        f["elapsed"].setText(duration(last("elapsed")))
