"""The ``history`` and ``gradient_norms`` sections of a session file, checked value by value.

A history holds the app's columns (`COLUMNS`; a regression's RMSE and R² only in a regression's file), one value
per epoch: ``epoch`` counts 1, 2, 3…; the other columns hold numbers within their own range, or null (or NaN, as
the app writes them) where a value is unknown (a regression's accuracy). ``gradient_norms`` holds one row per
epoch of one norm per `Linear` layer.
"""

from __future__ import annotations

import math
from typing import Any

from minidl_gui.model.config import MAX_EPOCHS, MAX_LR
from minidl_gui.model.history import COLUMNS
from minidl_gui.model.json_document import SessionFileError, describe_kind
from minidl_gui.model.json_values import bounds, check_history, is_number

_LIMITS: dict[str, tuple[float, float, bool]] = {  # column → (low, high, infinity allowed)
    "train_loss": (0.0, math.inf, True),  # a test loss can overflow while training goes on
    "test_loss": (0.0, math.inf, True),
    "train_accuracy": (0.0, 1.0, False),
    "test_accuracy": (0.0, 1.0, False),
    "lr": (0.0, MAX_LR, False),
    "elapsed": (0.0, math.inf, False),
    "steps_per_second": (0.0, math.inf, True),
    "train_rmse": (0.0, math.inf, True),  # a regression's: RMSE can overflow like the loss
    "test_rmse": (0.0, math.inf, True),
    "train_r2": (-math.inf, 1.0, True),  # R² = 1 − SS_res/SS_tot: at most 1, unbounded below
    "test_r2": (-math.inf, 1.0, True),
}


def decode_history(value: Any) -> dict[str, list[float | int | None]]:
    """The history in ``value``: SessionFileError naming the first bad column."""
    columns = check_history(value)
    epochs = len(next(iter(columns.values()), []))
    if epochs > MAX_EPOCHS:
        raise SessionFileError(f"field 'history' has {epochs} epochs; the app allows at most {MAX_EPOCHS}")
    for name, column in columns.items():
        if name not in COLUMNS:
            raise SessionFileError(f"column {name!r} of 'history' is not one of {', '.join(COLUMNS)}")
        if name == "epoch":
            if any(v != row for row, v in enumerate(column, start=1)):
                raise SessionFileError("column 'epoch' of 'history' should count the epochs 1, 2, 3...")
            continue
        low, high, infinite = _LIMITS[name]
        if not all(v is None or math.isnan(v) or (low <= v <= high and (infinite or math.isfinite(v))) for v in column):
            kind = "numbers" if infinite else "finite numbers"
            raise SessionFileError(f"column {name!r} of 'history' should hold {kind}{bounds(low, high)} (or null)")
    return columns


def decode_gradient_norms(value: Any, epochs: int, layers: int) -> list[list[float | None]]:
    """``epochs`` rows of ``layers`` finite norms (>= 0) or null: SessionFileError naming the first bad row."""
    if not (isinstance(value, list) and all(isinstance(row, list) for row in value)):
        raise SessionFileError(f"field 'gradient_norms' should be a list of rows (lists), not {describe_kind(value)}")
    if len(value) != epochs:
        raise SessionFileError(f"field 'gradient_norms' has {len(value)} rows but the history has {epochs} epochs")
    for index, row in enumerate(value):
        if len(row) != layers:
            raise SessionFileError(
                f"row {index} of 'gradient_norms' has {len(row)} values but the model has {layers} Linear layers"
            )
        if not all(v is None or (is_number(v) and math.isfinite(v) and v >= 0) for v in row):
            raise SessionFileError(f"row {index} of 'gradient_norms' should hold finite numbers >= 0 (or null)")
    return [[None if v is None else float(v) for v in row] for row in value]
