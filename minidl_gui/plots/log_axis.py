"""`LogAxis`: a loss axis read at a glance on a log scale: ``10⁻³``, ``3·10⁻³``, ``0.1``, ``1``, ``20``.

pyqtgraph's axes scale their values by an SI prefix (and say "(x0.001)" in the label) when the
numbers are small, which on a log axis turns 0.003 into "3" and 0.3 into "3·10²". This axis never
scales, and writes each tick as a power of ten (with its mantissa for the minor ticks) — or plainly
between 0.1 and 99, where that is as short.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyqtgraph as pg

SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
PLAIN_EXPONENTS = range(-1, 2)
"""Powers of ten written plainly (0.1 to 99); the others as ``m·10ⁿ``."""


class LogAxis(pg.AxisItem):
    """An `AxisItem` without SI-prefix scaling whose log-mode ticks read as powers of ten."""

    def __init__(self, orientation: str, **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def logTickStrings(self, values: Sequence[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        return [power_of_ten_text(10.0 ** float(value) * scale) for value in values]


def power_of_ten_text(x: float) -> str:
    """``10⁻³``, ``3·10⁻³``, ``0.3``, ``1``, ``20``, ``5·10²`` (one significant digit, as the ticks)."""
    if not math.isfinite(x) or x <= 0:
        return f"{x:g}"
    mantissa_text, exponent_text = f"{x:.0e}".split("e")
    exponent = int(exponent_text)
    if exponent in PLAIN_EXPONENTS:
        return f"{float(f'{x:.0e}'):g}"
    head = "" if mantissa_text == "1" else f"{mantissa_text}·"
    return f"{head}10{str(exponent).translate(SUPERSCRIPTS)}"
