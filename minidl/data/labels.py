"""The class labels a points file may hold: the one place that says which labels are allowed.

Two classes today: ``0`` or ``1``, written as numbers (``1``, ``1.0``, ``1.000e+00``) or as
``true``/``false`` in any case (pandas writes ``True``/``False`` for boolean columns).
"""

from __future__ import annotations

from minidl.data.csv_numbers import parse_number, show

ALLOWED_LABELS = (0.0, 1.0)
LABEL_WORDS = {"false": 0.0, "true": 1.0}


def parse_label(text: str, decimal_comma: bool = False) -> float:
    """The label written as ``text``, as a float in `ALLOWED_LABELS`; raises `ValueError` with a reason."""
    word = LABEL_WORDS.get(text.strip().lower())
    if word is not None:
        return word
    value = parse_number(text, decimal_comma)
    if value not in ALLOWED_LABELS:
        raise ValueError(f"label must be 0 or 1 (or true/false), got {show(text)}")
    return value + 0.0  # -0.0 becomes 0.0
