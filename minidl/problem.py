"""`Problem`: what a data set asks a model to learn — two classes, k classes, or a number (regression).

Every data set's targets ``y`` have shape (n, 1) and a float dtype: the class index 0 … k−1 for a classification
(0.0 or 1.0 for two classes), the target value for a regression. The problem says how a model fits them: its
output width (`out_features`), the losses that make sense (`losses`) and the metrics that measure it.

- binary: one output; MSE, MAE, BCE (a sigmoid output) or BCE on logits; accuracy after a threshold;
- k classes (3 … `MAX_CLASSES`): k outputs, the logits; cross-entropy; accuracy of the arg-max;
- regression: one output; MSE or MAE; RMSE, MAE and R².
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MIN_CLASSES = 2
MAX_CLASSES = 6
Kind = Literal["binary", "multiclass", "regression"]
KINDS: tuple[Kind, ...] = ("binary", "multiclass", "regression")
_LOSSES: dict[Kind, tuple[str, ...]] = {
    "binary": ("mse", "mae", "bce", "bce_logits"),
    "multiclass": ("cross_entropy",),
    "regression": ("mse", "mae"),
}
_WHY_NOT: dict[Kind, str] = {
    "binary": "two classes are learnt from one output: use mse, mae, bce or bce_logits",
    "multiclass": "k classes are learnt from k logits: use cross_entropy",
    "regression": "a regression fits a number: use mse or mae",
}


@dataclass(frozen=True)
class Problem:
    """The kind of problem and its class count: 2 for ``binary``, k for ``multiclass``, 0 for ``regression``.

    Build one with `classification` (k classes) or `regression`; ``str(problem)`` and `parse` round-trip
    (``"binary"``, ``"3 classes"``, ``"regression"``).
    """

    kind: Kind = "binary"
    classes: int = 2

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown problem kind {self.kind!r}: choose one of {', '.join(KINDS)}")
        low, high, allowed = {
            "binary": (2, 2, "2"),
            "multiclass": (3, MAX_CLASSES, f"3..{MAX_CLASSES}"),
            "regression": (0, 0, "0"),
        }[self.kind]
        if not low <= self.classes <= high:
            raise ValueError(f"a {self.kind} problem has {allowed} classes, got {self.classes}")

    @classmethod
    def classification(cls, classes: int = 2) -> Problem:
        """``classes`` classes (2 … `MAX_CLASSES`): binary for 2, else multiclass."""
        if not MIN_CLASSES <= classes <= MAX_CLASSES:
            raise ValueError(f"the number of classes must be in {MIN_CLASSES}..{MAX_CLASSES}, got {classes}")
        return cls("binary", 2) if classes == 2 else cls("multiclass", classes)

    @classmethod
    def regression(cls) -> Problem:
        return cls("regression", 0)

    @classmethod
    def parse(cls, text: str) -> Problem:
        """The problem ``str(problem)`` wrote: ``"binary"``, ``"k classes"`` or ``"regression"``."""
        words = text.strip().split()
        if words == ["binary"]:
            return cls.classification(2)
        if words == ["regression"]:
            return cls.regression()
        if len(words) == 2 and words[1] == "classes" and words[0].isdigit():
            return cls.classification(int(words[0]))
        raise ValueError(f"Unknown problem {text!r}: write binary, regression or 'k classes' (k in 2..{MAX_CLASSES})")

    def __str__(self) -> str:
        return f"{self.classes} classes" if self.kind == "multiclass" else self.kind

    @property
    def is_classification(self) -> bool:
        return self.kind != "regression"

    @property
    def adjective(self) -> str:
        """``"binary"``, ``"3-class"``, ``"regression"``: the problem before a noun."""
        return f"{self.classes}-class" if self.kind == "multiclass" else self.kind

    @property
    def out_features(self) -> int:
        """The model's output width: k logits for k classes, else one output."""
        return self.classes if self.kind == "multiclass" else 1

    @property
    def losses(self) -> tuple[str, ...]:
        """The keys of `minidl.losses.LOSSES` that fit this problem, the default first."""
        return _LOSSES[self.kind]

    @property
    def default_loss(self) -> str:
        return self.losses[0]

    def check_loss(self, loss: str) -> None:
        """ValueError, one line saying what to use instead, when ``loss`` does not fit this problem."""
        if loss not in self.losses:
            raise ValueError(f"the {loss} loss does not fit a {self.adjective} problem: {_WHY_NOT[self.kind]}")

    def why_not(self, loss: str) -> str | None:
        """Why ``loss`` does not fit (a tooltip for a disabled choice), or None when it does."""
        try:
            self.check_loss(loss)
        except ValueError as error:
            return str(error)
        return None
