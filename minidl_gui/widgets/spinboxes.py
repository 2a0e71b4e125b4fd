"""Compact spin boxes: `ScientificSpinBox` for values spanning decades (learning rates, penalties),
`DecimalSpinBox` for fractions."""

from __future__ import annotations

import math

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox, QWidget

_MANTISSAS = (1.0, 2.0, 5.0)


def _ladder_index(value: float) -> float:
    """Position of ``value`` on the 1-2-5 ladder (…, 1e-3, 2e-3, 5e-3, 1e-2, …) as a float."""
    exponent = math.floor(math.log10(value))
    mantissa = value / 10**exponent
    below = max(i for i, m in enumerate(_MANTISSAS) if m <= mantissa * (1 + 1e-9))
    return 3 * exponent + below + (0.5 if mantissa > _MANTISSAS[below] * (1 + 1e-9) else 0.0)


def _ladder_value(index: int) -> float:
    exponent, position = divmod(index, 3)
    return _MANTISSAS[position] * 10.0**exponent


class ScientificSpinBox(QDoubleSpinBox):
    """Shows ``5e-05``-style numbers; the arrows step along 1-2-5 per decade; 0 allowed if ``minimum`` is 0.

    ``smallest`` is the smallest positive value the arrows reach (stepping below it gives ``minimum``).
    """

    def __init__(self, minimum: float, maximum: float, smallest: float | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDecimals(323)  # Qt's maximum: every double is kept exactly (the text shows 3 digits)
        self.setRange(minimum, maximum)
        self._smallest = smallest if smallest is not None else max(minimum, 1e-12)
        compact(self)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        return "0" if value == 0 else f"{value:.3g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, position: int) -> object:
        try:
            value = float(text)
        except ValueError:
            partial = text == "" or text[-1] in "eE+-." or text in ("-",)
            return QValidator.State.Intermediate if partial else QValidator.State.Invalid
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable
        return QValidator.State.Intermediate

    def stepBy(self, steps: int) -> None:  # noqa: N802
        value = self.value()
        if value <= 0:
            if steps > 0:
                self.setValue(max(self._smallest, self.minimum()))
            return
        index = _ladder_index(value)
        target = math.floor(index) + steps if steps > 0 else math.ceil(index) + steps
        new = _ladder_value(int(target))
        if new < self._smallest * (1 - 1e-9):
            new = self.minimum() if self.minimum() == 0 else self._smallest
        self.setValue(min(new, self.maximum()))

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:  # noqa: N802
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.value() < self.maximum():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if self.value() > self.minimum():
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags


class DecimalSpinBox(QDoubleSpinBox):
    """A `QDoubleSpinBox` that drops trailing zeros: ``0.9`` rather than ``0.900000``."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        text = super().textFromValue(value)
        point = self.locale().decimalPoint()
        return text.rstrip("0").rstrip(point) if point in text else text


def compact(spin: QAbstractSpinBox) -> QAbstractSpinBox:
    """Emit only finished values (Enter, focus out, arrows), not every keystroke."""
    spin.setKeyboardTracking(False)
    spin.setAccelerated(True)
    return spin


def _ranged(spin: QSpinBox | QDoubleSpinBox, minimum: float, maximum: float, step: float, name: str, tip: str):
    """``spin`` limited to [minimum, maximum], stepping by ``step``, named and explained, `compact`."""
    spin.setRange(minimum, maximum)
    spin.setSingleStep(step)
    spin.setObjectName(name)
    spin.setToolTip(tip)
    compact(spin)
    return spin


def int_spin(minimum: int, maximum: int, name: str, tip: str, step: int = 1) -> QSpinBox:
    return _ranged(QSpinBox(), minimum, maximum, step, name, tip)


def float_spin(minimum: float, maximum: float, decimals: int, step: float, name: str, tip: str) -> QDoubleSpinBox:
    spin = DecimalSpinBox()
    spin.setDecimals(decimals)  # before the range, which Qt rounds to these decimals
    return _ranged(spin, minimum, maximum, step, name, tip)


def sci_spin(minimum: float, maximum: float, name: str, tip: str, smallest: float | None = None) -> ScientificSpinBox:
    spin = ScientificSpinBox(minimum, maximum, smallest)
    spin.setObjectName(name)
    spin.setToolTip(tip)
    return spin
