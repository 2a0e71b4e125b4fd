"""`nan_bounds` gives numpy's ``nanmin``/``nanmax``: without NaN, with some, with only NaN (quietly), with inf."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from minidl_gui.plots.data_bounds import nan_bounds


@pytest.mark.parametrize(
    "values",
    [
        np.array([0.5, -2.0, 3.25, 1.0]),
        np.array([0.5, np.nan, -2.0, 3.25]),
        np.array([np.nan, 1.5]),
        np.array([-np.inf, 2.0, np.inf, np.nan]),
        np.array([np.float32(0.1), np.float32(-0.3)], dtype=np.float32),
        np.arange(12.0).reshape(6, 2)[:, 1],  # a strided column
    ],
)
def test_nan_bounds_are_numpys(values) -> None:
    low, high = nan_bounds(values)
    assert (low, high) == (np.nanmin(values), np.nanmax(values))
    assert type(low) is type(np.nanmin(values))


def test_only_nan_gives_nan_quietly() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        low, high = nan_bounds(np.array([np.nan, np.nan]))
    assert np.isnan(low) and np.isnan(high)
