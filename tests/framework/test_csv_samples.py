"""Points files written by pandas, numpy and Excel's "CSV UTF-8" load to the points they hold."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from minidl.data import load_points

SAMPLES = Path(__file__).parent / "csv_samples"
X = [[0.5, 0.25], [-1.25, 2.5], [3.0, -0.75], [0.1, 0.2]]  # as in csv_samples/make_samples.py
Y = [[1.0], [0.0], [1.0], [0.0]]

SAMPLE_NAMES = [
    "excel_csv_utf8.csv",
    "numpy_savetxt.csv",
    "numpy_savetxt_header.csv",
    "numpy_savetxt_spaces.csv",
    "pandas_bool_labels.csv",
    "pandas_decimal_comma.csv",
    "pandas_default.csv",
    "pandas_float_labels.csv",
    "pandas_no_index.csv",
    "pandas_quote_all.csv",
    "pandas_semicolon.csv",
    "pandas_tab.csv",
]


def test_every_sample_is_tested() -> None:
    assert sorted(path.name for path in SAMPLES.glob("*.csv")) == sorted(SAMPLE_NAMES)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_real_tools_file_loads_to_its_points(name: str, default_dtype: torch.dtype) -> None:
    x, y = load_points(SAMPLES / name)
    assert torch.equal(x, torch.tensor(X)) and torch.equal(y, torch.tensor(Y))  # each number rounded once, as torch
    assert x.dtype == y.dtype == default_dtype and x.shape == (4, 2) and y.shape == (4, 1)


def test_the_excel_sample_really_has_a_bom_and_crlf_line_ends() -> None:
    raw = (SAMPLES / "excel_csv_utf8.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfX1,X2,Label\r\n") and raw.count(b"\r\n") == 5


def test_the_numpy_default_sample_really_is_separated_by_single_spaces() -> None:
    first = (SAMPLES / "numpy_savetxt_spaces.csv").read_text().splitlines()[0]
    assert first == "5.000000000000000000e-01 2.500000000000000000e-01 1.000000000000000000e+00"
