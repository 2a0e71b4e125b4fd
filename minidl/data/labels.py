"""The labels a points file may hold, and the problem they pose: the one place that says which labels are allowed.

A label is ``true``/``false`` in any case (pandas writes ``True``/``False`` for boolean columns: 1 and 0), or any
finite number that stays finite in float32, written as usual (``1``, ``1.0``, ``1.000e+00``, ``-0.25``): a class
index 0 … `MAX_CLASSES` − 1 for a classification, a target value for a regression. Given a `Problem`, a label
must fit it: 0 or 1 for a binary problem, 0 … k − 1 for k classes, any finite number for a regression.
"""

from __future__ import annotations

import math

from torch import Tensor

from minidl.data.csv_numbers import parse_number, show
from minidl.float32 import FLOAT32_MAX
from minidl.problem import MAX_CLASSES, Problem

LABEL_WORDS = {"false": 0.0, "true": 1.0}


def parse_label(text: str, decimal_comma: bool = False, problem: Problem | None = None) -> float:
    """The label written as ``text``, as a float (see the module); raises `ValueError` with a reason.

    With ``problem`` the label must fit it (the error says what is allowed and what to do).
    """
    word = LABEL_WORDS.get(text.strip().lower())
    value = word if word is not None else parse_number(text, decimal_comma)
    if problem is not None:
        check_label(value, problem, text)
    if not math.isfinite(value):
        raise ValueError(f"labels must be finite numbers (a class, true/false or a target value), got {show(text)}")
    if abs(value) > FLOAT32_MAX:
        raise ValueError(f"label {show(text)} is too large: the limit is ±{FLOAT32_MAX:.3g} (float32)")
    return value + 0.0  # -0.0 becomes 0.0


def is_class(value: float, classes: int = MAX_CLASSES) -> bool:
    """Whether ``value`` is a class index 0 … ``classes`` − 1."""
    return math.isfinite(value) and value.is_integer() and 0 <= value < classes


def check_label(value: float, problem: Problem, text: str) -> None:
    """ValueError unless ``value`` (written as ``text``) is a label of ``problem``: what is allowed, what to do."""
    if not problem.is_classification or is_class(value, problem.classes):
        return
    allowed = "0 or 1 (or true/false)" if problem.classes == 2 else f"a class 0..{problem.classes - 1}"
    if is_class(value):
        remedy = f", or choose {int(value) + 1} classes (or more)"
    elif math.isfinite(value):
        remedy = ", or choose a regression (any number)"
    else:
        remedy = ""
    raise ValueError(f"label must be {allowed}, got {show(text)}: fix the row{remedy}")


def infer_problem(y: Tensor) -> Problem:
    """The problem labels ``y`` (any shape) pose: when every one is an integer in 0 … `MAX_CLASSES` − 1, a
    classification with max(2, largest + 1) classes (no labels: binary); otherwise a regression."""
    values = y.detach().reshape(-1)
    if values.numel() == 0:
        return Problem.classification(2)
    if bool(((values == values.round()) & (values >= 0) & (values < MAX_CLASSES)).all()):
        return Problem.classification(max(2, int(values.max().item()) + 1))
    return Problem.regression()
