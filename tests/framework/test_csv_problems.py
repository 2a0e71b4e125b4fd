"""CSV points for every problem: k classes and regression targets read, checked against a problem, inferred,
and written back (integer classes under ``x1,x2,label``, round-tripping targets under ``x1,x2,target``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch

from minidl.data import (
    CSVFormatError,
    format_points,
    infer_problem,
    load_points,
    make_blobs,
    make_disc,
    make_multi_gauss,
    make_plane,
    parse_points,
    save_points,
)
from minidl.problem import Problem

BINARY, REGRESSION = Problem.classification(2), Problem.regression()


# -- reading labels ----------------------------------------------------------------------------------------------
def test_class_indices_and_targets_are_read_as_written() -> None:
    x, y = parse_points("x1,x2,label\n0.5,0.5,5\n0.1,0.2,0\n0.3,0.4,3.0\n", dtype=torch.float64)
    assert y.view(-1).tolist() == [5.0, 0.0, 3.0]
    _, y = parse_points("x1,x2,target\n0.5,0.5,-0.25\n0.1,0.2,1e-3\n0.3,0.4,12.5\n", dtype=torch.float64)
    assert y.view(-1).tolist() == [-0.25, 0.001, 12.5]


@pytest.mark.parametrize("target", ["nan", "NaN", "inf", "-inf", "-Infinity"])
def test_a_nan_or_infinite_target_is_refused_with_its_line(target: str) -> None:
    text = f"x1,x2,target\n0.5,0.5,0.25\n\n0.1,0.2,{target}\n"
    what = f"labels must be finite numbers (a class, true/false or a target value), got {target!r}"
    with pytest.raises(CSVFormatError, match=rf"^pts\.csv, line 4: {re.escape(what)}, in row"):
        parse_points(text, source="pts.csv")
    with pytest.raises(CSVFormatError, match=r"^pts\.csv, line 4: labels must be finite"):
        parse_points(text, source="pts.csv", problem=REGRESSION)


def test_a_target_beyond_float32_is_refused_with_its_line() -> None:
    with pytest.raises(CSVFormatError, match=r"line 3: label '-1e39' is too large: the limit is ±3\.4e\+38"):
        parse_points("x1,x2,target\n0.5,0.5,0.25\n0.1,0.2,-1e39\n")


@pytest.mark.parametrize(
    ("problem", "label", "what"),
    [
        (BINARY, "2", "label must be 0 or 1 (or true/false), got '2': fix the row, or choose 3 classes (or more)"),
        (BINARY, "0.5", "label must be 0 or 1 (or true/false), got '0.5': fix the row, or choose a regression"),
        (BINARY, "nan", "label must be 0 or 1 (or true/false), got 'nan': fix the row"),
        (Problem.classification(3), "3", "label must be a class 0..2, got '3': fix the row, or choose 4 classes"),
        (Problem.classification(3), "-1", "label must be a class 0..2, got '-1': fix the row, or choose a regression"),
        (Problem.classification(6), "6", "label must be a class 0..5, got '6': fix the row, or choose a regression"),
        (Problem.classification(4), "2.5", "label must be a class 0..3, got '2.5': fix the row, or choose a regr"),
    ],
)
def test_a_label_that_does_not_fit_the_problem_names_its_line_what_is_allowed_and_what_to_do(
    tmp_path: Path, problem: Problem, label: str, what: str
) -> None:
    path = tmp_path / "points.csv"
    path.write_text(f"x1,x2,label\n0.5,0.5,1\n0.1,0.2,0\n# a note\n0.3,0.4,{label}\n")
    with pytest.raises(CSVFormatError, match=rf"points\.csv, line 5: {re.escape(what)}"):
        load_points(path, problem=problem)
    if label != "nan":  # without a problem any finite label is read
        assert load_points(path)[1].view(-1).tolist() == [1.0, 0.0, float(label)]


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (BINARY, "x1,x2,label\n0.5,0.5,True\n0.1,0.2,0\n"),
        (Problem.classification(3), "x1,x2,label\n0.5,0.5,2\n0.1,0.2,0.0\n0.1,0.2,true\n"),
        (Problem.classification(6), "x1;x2;label\n0,5;0,5;5\n0,1;0,2;0\n"),
        (REGRESSION, "x1,x2,target\n0.5,0.5,-0.75\n0.1,0.2,3\n0.1,0.2,1e30\n"),
    ],
)
def test_labels_that_fit_the_problem_are_read(problem: Problem, text: str) -> None:
    assert parse_points(text, problem=problem)[1].shape[1] == 1


# -- inferring the problem ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("labels", "problem"),
    [
        ([], BINARY),
        ([0.0], BINARY),
        ([1.0, 0.0, 1.0], BINARY),
        ([0.0, 2.0, 1.0], Problem.classification(3)),
        ([2.0], Problem.classification(3)),
        ([5.0, 0.0], Problem.classification(6)),
        ([6.0, 0.0], REGRESSION),
        ([-1.0, 0.0, 1.0], REGRESSION),
        ([0.0, 0.5], REGRESSION),
        ([-0.0, 1.0], BINARY),
    ],
)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_infer_problem_reads_integer_labels_0_to_5_as_classes_and_anything_else_as_a_regression(
    labels: list[float], problem: Problem, dtype: torch.dtype
) -> None:
    y = torch.tensor(labels, dtype=dtype).view(-1, 1)
    assert infer_problem(y) == problem and infer_problem(y.view(-1)) == problem


# -- writing -----------------------------------------------------------------------------------------------------
def test_k_classes_are_written_as_integer_labels_and_read_back_exactly(tmp_path: Path) -> None:
    x, y = make_blobs(300, 5, seed=0, dtype=torch.float32)
    text = format_points(x, y)
    assert text.splitlines()[0] == "x1,x2,label" and {line.rsplit(",", 1)[1] for line in text.splitlines()[1:]} == {
        "0",
        "1",
        "2",
        "3",
        "4",
    }
    save_points(tmp_path / "blobs.csv", x, y, Problem.classification(5))
    loaded = load_points(tmp_path / "blobs.csv", problem=Problem.classification(5), dtype=torch.float32)
    assert torch.equal(loaded[0], x) and torch.equal(loaded[1], y)
    assert format_points(x, y, Problem.classification(6)) == text  # a wider problem writes the same


@pytest.mark.parametrize("make", [make_plane, make_multi_gauss])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_regression_targets_are_written_under_target_and_round_trip_exactly(
    tmp_path: Path, make: object, dtype: torch.dtype
) -> None:
    x, y = make(500, seed=1, noise=0.2, dtype=dtype)  # type: ignore[operator]
    path = tmp_path / "targets.csv"
    save_points(path, x, y)
    assert path.read_text().splitlines()[0] == "x1,x2,target"
    loaded = load_points(path, problem=REGRESSION, dtype=dtype)
    assert torch.equal(loaded[0], x) and torch.equal(loaded[1], y)
    assert infer_problem(loaded[1]) == REGRESSION


def test_a_regression_of_round_numbers_is_written_as_targets_when_asked() -> None:
    points, labels = [[0.5, 0.25], [0.1, 0.2]], [[1.0], [0.0]]
    x, y = torch.tensor(points, dtype=torch.float32), torch.tensor(labels, dtype=torch.float32)
    assert format_points(x, y, REGRESSION) == "x1,x2,target\n0.5,0.25,1\n0.100000001,0.200000003,0\n"
    x64, y64 = torch.tensor(points, dtype=torch.float64), torch.tensor(labels, dtype=torch.float64)
    assert format_points(x64, y64, REGRESSION).splitlines()[1:] == ["0.5,0.25,1.0", "0.1,0.2,0.0"]
    assert format_points(x, y) == "x1,x2,label\n0.5,0.25,1\n0.100000001,0.200000003,0\n"  # inferred: binary


def test_binary_points_are_written_as_before() -> None:
    x, y = make_disc(50, seed=2, dtype=torch.float32)
    expected = "x1,x2,label\n" + "".join(
        f"{a:.9g},{b:.9g},{int(c)}\n" for (a, b), c in zip(x.tolist(), y.view(-1).tolist(), strict=True)
    )
    assert format_points(x, y) == format_points(x, y, BINARY) == expected


@pytest.mark.parametrize(("problem", "bad"), [(BINARY, "2.0"), (Problem.classification(3), "0.5")])
def test_writing_labels_that_are_not_classes_of_the_problem_is_refused(problem: Problem, bad: str) -> None:
    x, y = torch.zeros(2, 2), torch.tensor([[0.0], [float(bad)]])
    with pytest.raises(ValueError, match=f"label {bad} is not a class of a {problem.adjective} problem"):
        format_points(x, y, problem)


def test_a_long_number_cut_for_an_error_keeps_its_exponent() -> None:
    """numpy's ``savetxt`` writes ``3.671749735575839946e-01``: cut to 20 characters it read '3.6717497355758399…',
    ten times the label written."""
    text = "x1,x2,label\n5e-01,5e-01,3.671749735575839946e-01\n"
    with pytest.raises(CSVFormatError) as caught:
        parse_points(text, problem=Problem.classification(3))
    assert "got '3.6717497355758…e-01': fix the row, or choose a regression" in str(caught.value)
    with pytest.raises(CSVFormatError) as caught:
        parse_points("x1,x2,label\n5.000000000000000000e+39,0.5,1\n")
    assert "'5.0000000000000…e+39'" in str(caught.value)
