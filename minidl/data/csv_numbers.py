"""One CSV cell as a number: stricter than `float` (no ``1_000``), decimal commas on request, float32 range."""

from __future__ import annotations

import math
import re

from minidl.float32 import FLOAT32_MAX

CELL_CHARS = 20


def show(text: str, limit: int = CELL_CHARS) -> str:
    """``text`` for an error message: stripped, quoted, cut to ``limit`` characters with "…" when longer. A cut
    number keeps its exponent (``'3.6717497355758…e-01'``): without it, it would read as another number."""
    text = text.strip()
    if len(text) <= limit:
        return repr(text)
    exponent = re.search(r"[eE][+-]?\d{1,4}$", text)
    tail = exponent.group() if exponent and _is_float(text) else ""
    return repr(text[: limit - 1 - len(tail)] + "…" + tail)


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def parse_number(text: str, decimal_comma: bool = False) -> float:
    """``text`` as a float; ``,`` is the decimal mark when ``decimal_comma``. Raises `ValueError` with a reason.

    Python's `float` also accepts ``1_000``; a points file written by a spreadsheet or by hand never
    means that, so underscores are refused.
    """
    cell = text.strip()
    if not cell:
        raise ValueError("empty cell: fill it in or remove the row")
    if "_" in cell:
        raise ValueError(f"not a number: {show(cell)} (write numbers without '_')")
    try:
        return float(cell.replace(",", ".") if decimal_comma else cell)
    except ValueError:
        raise ValueError(f"not a number: {show(cell)}") from None


def parse_coordinate(text: str, decimal_comma: bool = False) -> float:
    """A finite number that stays finite as float32; raises `ValueError` with a reason otherwise."""
    value = parse_number(text, decimal_comma)
    if not math.isfinite(value):
        raise ValueError(f"coordinates must be finite numbers, got {show(text)}")
    if abs(value) > FLOAT32_MAX:
        raise ValueError(f"coordinate {show(text)} is too large: the limit is ±{FLOAT32_MAX:.3g} (float32)")
    return value
