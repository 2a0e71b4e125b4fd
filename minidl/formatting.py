"""Numbers and durations as users read them, written once for the command line and the app.

Torch-free (the command line formats before torch loads, the app's views import no training code).
A missing value — None, or NaN where a history column has no measurement — shows as `DASH`;
the command line passes ``missing="-"`` to stay ASCII.
"""

from __future__ import annotations

import math

DASH = "–"
"""What a missing number shows as (an en dash)."""


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def number(value: float | None, spec: str = ".4g", *, missing: str = DASH) -> str:
    """``value`` in the format ``spec`` (4 significant digits by default, as losses are shown).

    >>> number(0.0123456), number(1.234e-5), number(1234.5, ",.0f"), number(math.nan), number(None, missing="-")
    ('0.01235', '1.234e-05', '1,234', '–', '-')
    """
    return missing if _missing(value) else format(value, spec)


def percent(fraction: float | None, *, missing: str = DASH) -> str:
    """A fraction as a percentage with one decimal: ``100 · fraction`` followed by `` %``.

    >>> percent(0.9734), percent(1.0), percent(None), percent(math.nan, missing="-")
    ('97.3 %', '100.0 %', '–', '-')
    """
    return missing if _missing(fraction) else f"{100 * fraction:.1f} %"


def duration(seconds: float | None) -> str:
    """Tenths of a second under a minute, whole seconds above; None or NaN (nothing timed yet) is 0.

    The minute is decided after rounding, so 59.96 s reads ``1 min 00 s``, never ``60.0 s``.

    >>> duration(4.25), duration(59.96), duration(185), duration(3600), duration(None)
    ('4.2 s', '1 min 00 s', '3 min 05 s', '60 min 00 s', '0.0 s')
    """
    seconds = 0.0 if _missing(seconds) else seconds
    if round(seconds, 1) < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def short_number(value: float) -> str:
    """A learning rate (or another hyperparameter) in its shortest readable form, 3 significant digits:
    plain from 0.01 to 1000 (and 0), else ``mantissa e exponent`` without padding.

    >>> [short_number(v) for v in (0.1, 0.05, 5e-3, 5e-5, 1.5e-4, 2500.0, 0.0)]
    ['0.1', '0.05', '5e-3', '5e-5', '1.5e-4', '2.5e3', '0']
    """
    if value == 0 or 1e-2 <= abs(value) < 1e3:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
