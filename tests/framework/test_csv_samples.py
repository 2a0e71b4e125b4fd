"""Points files written by pandas, numpy and Excel's "CSV UTF-8" load to the points they hold: two classes,
k classes or regression targets (see csv_samples/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from minidl.data import CSVFormatError, infer_problem, load_points
from minidl.problem import Problem

SAMPLES = Path(__file__).parent / "csv_samples"
X = [[0.5, 0.25], [-1.25, 2.5], [3.0, -0.75], [0.1, 0.2]]  # as in csv_samples/make_samples.py
Y = [[1.0], [0.0], [1.0], [0.0]]
CLASSES = [[2.0], [0.0], [3.0], [1.0]]
TARGETS = [[0.1], [-0.75], [1 / 3], [-1e-05]]

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
CLASS_SAMPLES = ["classes_numpy_savetxt.csv", "classes_pandas_float.csv", "classes_pandas_int.csv"]
TARGET_SAMPLES = ["targets_numpy_savetxt.csv", "targets_pandas.csv", "targets_pandas_decimal_comma.csv"]
NAN_SAMPLES = {"targets_pandas_nan.csv": "empty cell", "targets_numpy_nan.csv": "labels must be finite numbers"}


def test_every_sample_is_tested() -> None:
    tested = SAMPLE_NAMES + CLASS_SAMPLES + TARGET_SAMPLES + list(NAN_SAMPLES)
    assert sorted(path.name for path in SAMPLES.glob("*.csv")) == sorted(tested)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_real_tools_file_loads_to_its_points(name: str, default_dtype: torch.dtype) -> None:
    x, y = load_points(SAMPLES / name)
    assert torch.equal(x, torch.tensor(X)) and torch.equal(y, torch.tensor(Y))  # each number rounded once, as torch
    assert x.dtype == y.dtype == default_dtype and x.shape == (4, 2) and y.shape == (4, 1)
    assert infer_problem(y) == Problem.classification(2)


@pytest.mark.parametrize("name", CLASS_SAMPLES)
def test_a_real_tools_four_class_file_loads_to_its_classes(name: str, default_dtype: torch.dtype) -> None:
    x, y = load_points(SAMPLES / name, problem=Problem.classification(4))
    assert torch.equal(x, torch.tensor(X)) and torch.equal(y, torch.tensor(CLASSES)) and y.dtype == default_dtype
    assert infer_problem(y) == Problem.classification(4)
    with pytest.raises(
        CSVFormatError,
        match=r"line \d: label must be 0 or 1 \(or true/false\), got '[23].*: fix the row, or choose [34] classes",
    ):
        load_points(SAMPLES / name, problem=Problem.classification(2))


@pytest.mark.parametrize("name", TARGET_SAMPLES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_a_real_tools_regression_file_loads_to_its_targets(name: str, dtype: torch.dtype) -> None:
    x, y = load_points(SAMPLES / name, problem=Problem.regression(), dtype=dtype)
    assert torch.equal(x, torch.tensor(X, dtype=dtype)) and torch.equal(y, torch.tensor(TARGETS, dtype=dtype))
    assert infer_problem(y) == Problem.regression()
    with pytest.raises(
        CSVFormatError, match=r"line 2: label must be a class 0\.\.2, got .*: fix the row, or choose a regression"
    ):
        load_points(SAMPLES / name, problem=Problem.classification(3))


@pytest.mark.parametrize(("name", "what"), NAN_SAMPLES.items())
def test_a_real_tools_nan_target_is_refused_with_its_line(name: str, what: str) -> None:
    line = 3 if name.startswith("targets_pandas") else 2  # pandas writes a header line, numpy (no header=) none
    with pytest.raises(CSVFormatError, match=rf"{name}, line {line}: {what}"):
        load_points(SAMPLES / name)


def test_the_excel_sample_really_has_a_bom_and_crlf_line_ends() -> None:
    raw = (SAMPLES / "excel_csv_utf8.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfX1,X2,Label\r\n") and raw.count(b"\r\n") == 5


def test_the_numpy_default_sample_really_is_separated_by_single_spaces() -> None:
    first = (SAMPLES / "numpy_savetxt_spaces.csv").read_text().splitlines()[0]
    assert first == "5.000000000000000000e-01 2.500000000000000000e-01 1.000000000000000000e+00"


def test_the_nan_samples_really_hold_what_pandas_and_numpy_write_for_nan() -> None:
    assert (SAMPLES / "targets_pandas_nan.csv").read_text().splitlines()[2] == "-1.25,2.5,"
    assert (SAMPLES / "targets_numpy_nan.csv").read_text().splitlines()[1].endswith(",nan")
