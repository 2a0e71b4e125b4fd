"""One CSV cell as a number: stricter than `float` (no ``1_000``), decimal commas on request, float32 range."""

from __future__ import annotations

import math

import torch

FLOAT32_MAX = float(torch.finfo(torch.float32).max)


def parse_number(text: str, decimal_comma: bool = False) -> float:
    """``text`` as a float; ``,`` is the decimal mark when ``decimal_comma``. Raises `ValueError` with a reason.

    Python's `float` also accepts ``1_000``; a points file written by a spreadsheet or by hand never
    means that, so underscores are refused.
    """
    cell = text.strip()
    if not cell:
        raise ValueError("empty cell: fill it in or remove the row")
    if "_" in cell:
        raise ValueError(f"not a number: {cell[:20]!r} (write numbers without '_')")
    try:
        return float(cell.replace(",", ".") if decimal_comma else cell)
    except ValueError:
        raise ValueError(f"not a number: {cell[:20]!r}") from None


def parse_coordinate(text: str, decimal_comma: bool = False) -> float:
    """A finite number that stays finite as float32; raises `ValueError` with a reason otherwise."""
    value = parse_number(text, decimal_comma)
    if not math.isfinite(value):
        raise ValueError(f"coordinates must be finite numbers, got {text.strip()[:20]!r}")
    if abs(value) > FLOAT32_MAX:
        raise ValueError(f"coordinate {text.strip()[:20]!r} is too large: the limit is ±{FLOAT32_MAX:.3g} (float32)")
    return value
