"""`LogAxis`: a loss axis read at a glance on a log scale: ``10⁻³``, ``3·10⁻³``, ``0.1``, ``1``, ``20``.

pyqtgraph's axes scale their values by an SI prefix (and say "(x0.001)" in the label) when the
numbers are small, which on a log axis turns 0.003 into "3" and 0.3 into "3·10²". This axis never
scales, and writes each tick as a power of ten (with its mantissa for the minor ticks) — or plainly
between 0.1 and 99, where that is as short. pyqtgraph marks every minor tick (2·10ⁿ to 9·10ⁿ); this axis
labels only those at 2·10ⁿ and 5·10ⁿ (all of them within one decade, none beyond `LABELLED_DECADES`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyqtgraph as pg

SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
PLAIN_EXPONENTS = range(-1, 2)
"""Powers of ten written plainly (0.1 to 99); the others as ``m·10ⁿ``."""
LABELLED_MANTISSAS = (1, 2, 5)
"""The ticks labelled when the axis spans one to `LABELLED_DECADES` decades (beyond, 1·10ⁿ only)."""
LABELLED_DECADES = 3
"""Beyond this many decades only the powers of ten are labelled."""
MARKS_ONLY = 0.0
"""The spacing given to the level of minor ticks drawn without a label (pyqtgraph hands it back to `tickStrings`)."""


class LogAxis(pg.AxisItem):
    """An `AxisItem` without SI-prefix scaling whose log-mode ticks read as powers of ten."""

    def __init__(self, orientation: str, **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def logTickValues(  # noqa: N802 (pyqtgraph override)
        self,
        minVal: float,
        maxVal: float,
        size: float,
        stdTicks: list,  # noqa: N803
    ) -> list[tuple[float | None, list[float]]]:
        """pyqtgraph's levels, its minor ticks (spacing None, 1·10ⁿ to 9·10ⁿ, those not already major) split
        into the labelled ones and `MARKS_ONLY`."""
        levels = super().logTickValues(minVal, maxVal, size, stdTicks)
        majors = [(spacing, values) for spacing, values in levels if spacing is not None]
        shown = [value for _, values in majors for value in values]
        minors = [
            value
            for spacing, values in levels
            if spacing is None
            for value in values
            if not any(math.isclose(value, major, abs_tol=1e-9) for major in shown)
        ]
        if not minors:
            return majors
        decades = maxVal - minVal
        mantissas = LABELLED_MANTISSAS if decades <= LABELLED_DECADES else (1,)
        labelled = [value for value in minors if decades < 1 or _mantissa(value) in mantissas]
        unlabelled = [value for value in minors if value not in labelled]
        return majors + [(None, labelled)] * bool(labelled) + [(MARKS_ONLY, unlabelled)] * bool(unlabelled)

    def logTickStrings(self, values: Sequence[float], scale: float, spacing: float | None) -> list[str]:  # noqa: N802
        if spacing == MARKS_ONLY:
            return [""] * len(values)
        return [power_of_ten_text(10.0 ** float(value) * scale) for value in values]


def _mantissa(log_value: float) -> int:
    """The leading digit of ``10 ** log_value`` (minor ticks sit at whole mantissas)."""
    return round(10.0 ** (log_value - math.floor(log_value + 1e-9)))


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
