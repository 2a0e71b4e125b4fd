"""`minidl.formatting`: the one place numbers and durations are written for users (CLI and app)."""

from __future__ import annotations

import doctest
import math
import subprocess
import sys

import pytest

import minidl.formatting
from minidl.formatting import DASH, duration, number, percent, short_number


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(minidl.formatting).failed == 0


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.0, "0.0 s"), (4.25, "4.2 s"), (42.0, "42.0 s"), (59.94, "59.9 s"), (185, "3 min 05 s"), (3661, "61 min 01 s")],
)
def test_a_duration_shows_tenths_under_a_minute_and_whole_seconds_above(seconds: float, text: str) -> None:
    assert duration(seconds) == text


@pytest.mark.parametrize("seconds", [59.95, 59.96, 59.999])
def test_a_duration_that_rounds_to_a_minute_reads_one_minute(seconds: float) -> None:
    """It used to read ``60.0 s``: the minute was decided before rounding to tenths."""
    assert duration(seconds) == "1 min 00 s"


@pytest.mark.parametrize("missing", [None, math.nan])
def test_nothing_timed_yet_is_no_time(missing: float | None) -> None:
    assert duration(missing) == "0.0 s"


def test_a_percentage_has_one_decimal_and_a_spaced_sign() -> None:
    assert [percent(v) for v in (0.0, 0.5, 0.9734, 0.97749, 1.0)] == ["0.0 %", "50.0 %", "97.3 %", "97.7 %", "100.0 %"]


@pytest.mark.parametrize("missing", [None, math.nan])
def test_a_missing_number_is_a_dash_or_what_the_caller_asks(missing: float | None) -> None:
    assert percent(missing) == number(missing) == DASH == "–"
    assert percent(missing, missing="-") == number(missing, missing="-") == "-"


def test_a_number_has_four_significant_digits_unless_told() -> None:
    assert [number(v) for v in (0.0123456, 1.234e-5, 2.0, 12345.6)] == ["0.01235", "1.234e-05", "2", "1.235e+04"]
    assert number(0.0, ".4f") == "0.0000" and number(12345.6, ",.0f") == "12,346"


def test_a_short_number_is_plain_near_one_and_unpadded_scientific_beyond() -> None:
    values = (0.1, 0.05, 0.01, 5e-3, 1e-4, 1.5e-4, 999.0, 2500.0, 0.0, -0.5, -2e-5)
    assert [short_number(v) for v in values] == [
        "0.1", "0.05", "0.01", "5e-3", "1e-4", "1.5e-4", "999", "2.5e3", "0", "-0.5", "-2e-5"
    ]  # fmt: skip


def test_it_loads_without_torch() -> None:
    """The command line formats before torch loads; the module must not pull it in."""
    program = "import sys, minidl.formatting; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "False", result.stderr
