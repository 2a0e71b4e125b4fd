"""Reading JSON values with checks: each helper returns the value it was asked for, or raises
`SessionFileError` naming the field (``'optimizer.step'``) and saying what it should be.

Also the history columns (name → list of numbers or null) that session files and CSV exports share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from minidl_gui.model.json_document import SessionFileError, describe_kind, show_value

MAX_COUNT = 10**12  # bound on epochs, steps, batch sizes and scheduler counters
MAX_EXACT_INT = 2**53  # larger integers are not exact as floats
HistoryColumns = Mapping[str, Any]  # name → sequence, numpy array or tensor of numbers (None or NaN when missing)


def plain_columns(history: HistoryColumns) -> dict[str, list[Any]]:
    """``history`` with every column a list (numpy arrays and tensors become lists of Python numbers)."""
    return {name: values.tolist() if hasattr(values, "tolist") else list(values) for name, values in history.items()}


def check_history(value: Any, where: str = "history") -> dict[str, list[float | int | None]]:
    """A copy of ``value`` if it is a history: named, equal-length columns of numbers or None."""
    columns = as_object(value, where)
    for name, column in columns.items():
        ok = isinstance(column, list) and all(v is None or is_number(v) for v in column)
        if not (isinstance(name, str) and ok):
            raise SessionFileError(f"column {name!r} of '{where}' should be a list of numbers (or null)")
    lengths = {name: len(column) for name, column in columns.items()}
    if len(set(lengths.values())) > 1:
        raise SessionFileError(f"the columns of '{where}' have different lengths: {lengths}")
    return {name: list(column) for name, column in columns.items()}


def field(document: Mapping[str, Any], key: str, prefix: str = "") -> Any:
    """``document[key]``, or SessionFileError "field '<prefix><key>' is missing"."""
    if key not in document:
        raise SessionFileError(f"field '{prefix}{key}' is missing")
    return document[key]


def as_object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SessionFileError(f"field '{where}' should be an object, not {describe_kind(value)}")
    return value


def as_integer(value: Any, where: str, low: int = 0, high: int = MAX_COUNT) -> int:
    if type(value) is not int or not low <= value <= high:
        raise SessionFileError(
            f"field '{where}' should be a whole number from {low} to {high}, not {show_value(value)}"
        )
    return value


def as_number(value: Any, where: str, low: float = -math.inf, high: float = math.inf) -> float:
    """``value`` as a float if it is a finite number from ``low`` to ``high``, else SessionFileError."""
    if not (is_number(value) and math.isfinite(value) and low <= value <= high):
        raise SessionFileError(f"field '{where}' should be a finite number{bounds(low, high)}, not {show_value(value)}")
    return float(value)


def bounds(low: float, high: float) -> str:
    """`` from low to high``, `` >= low``, `` <= high`` or nothing, as error messages say it."""
    if math.isfinite(low) and math.isfinite(high):
        return f" from {low:g} to {high:g}"
    if math.isfinite(low):
        return f" >= {low:g}"
    return f" <= {high:g}" if math.isfinite(high) else ""


def is_number(value: Any) -> bool:
    return type(value) is float or (type(value) is int and -MAX_EXACT_INT <= value <= MAX_EXACT_INT)


def is_count(value: Any, high: int) -> bool:
    return type(value) is int and 0 <= value <= high
