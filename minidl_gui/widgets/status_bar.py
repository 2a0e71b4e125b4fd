"""`TrainingStatusBar`: epoch, losses, accuracies (a regression's R² instead), steps/s and elapsed time of the
current run.

While training its fields keep a fixed size (`FieldLabel`): a label's new text otherwise asks for a relayout of the
status bar, which asks for one of the whole window (~1-2 ms of the UI thread, four times a second); fixed, only a
text whose natural size differs resizes its field (and lays the bar out, as before). Halted, they size freely."""

from __future__ import annotations

import math

from PySide6.QtCore import QSize
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
UNBOUNDED = 16_777_215  # QWIDGETSIZE_MAX: a widget's default maximum width and height


class FieldLabel(QLabel):
    """A status field. ``set_steady(True, least_width)``: its size is fixed — its text's natural width (at least
    ``least_width``), the height the bar gives it — and fixed again only when a new text's width differs: Qt lays out
    the parent of a widget whose text changed unless its size is fixed (minimum = maximum). ``set_steady(False)``:
    free again (no minimum, no maximum). The natural width is measured on a twin label (same font, same margins): a
    QLabel's own size hint never goes below its minimum size."""

    def __init__(self) -> None:
        super().__init__()
        self._steady = False
        self._least_width = 0
        self._twin = QLabel()

    def set_steady(self, steady: bool, least_width: int = 0) -> None:
        self._steady, self._least_width = steady, least_width
        if steady:
            self._fix()
        else:
            self.setMinimumSize(0, 0)
            self.setMaximumSize(UNBOUNDED, UNBOUNDED)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        super().setText(text)
        if self._steady:
            self._fix()

    def natural_size(self) -> QSize:
        """The size hint this label has with its text and no minimum size."""
        twin = self._twin
        twin.setFont(self.font())
        twin.setContentsMargins(self.contentsMargins())
        twin.setText(self.text())
        return twin.sizeHint()

    def _fix(self) -> None:
        natural = self.natural_size()
        height = max(natural.height(), self.height()) if self.isVisible() else natural.height()
        size = QSize(max(natural.width(), self._least_width), height)
        if self.minimumSize() != size or self.maximumSize() != size:
            self.setFixedSize(size)


class TrainingStatusBar(QStatusBar):
    """Permanent fields on the right; ``showMessage`` for transient notes on the left."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("statusBar")
        self.fields: dict[str, FieldLabel] = {}
        for name, tip in (
            ("state", "What the training worker is doing"),
            ("epoch", "Epochs trained in this run"),
            ("loss", "Loss over the training / test set after the last epoch"),
            ("accuracy", ACCURACY_TIP),
            ("speed", "Optimizer steps per second in the last epoch"),
            ("elapsed", "Training time of this run"),
        ):
            label = FieldLabel()
            label.setObjectName(f"{name}Label")
            label.setToolTip(tip)
            label.setContentsMargins(6, 0, 6, 0)
            self.addPermanentWidget(label)
            self.fields[name] = label
        self.set_state(WorkerState.READY)
        self.show_history(History())

    def set_state(self, state: WorkerState) -> None:
        """Show ``state``; while training the fields keep their size (`FieldLabel`), the epoch field at least the
        width of its widest text, so that its progress (" · 40 %", shown and gone within an epoch) does not shift the
        fields around it."""
        self.fields["state"].setText(STATE_TEXT[state])
        running = state == WorkerState.RUNNING
        epoch = self.fields["epoch"]
        margins = epoch.contentsMargins()
        widest = epoch.fontMetrics().horizontalAdvance(WIDEST_EPOCH) + margins.left() + margins.right()
        for name, label in self.fields.items():
            label.set_steady(running, widest if name == "epoch" else 0)

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
