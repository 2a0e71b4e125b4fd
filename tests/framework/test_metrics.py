"""Metrics: labels, accuracy and confusion matrix for one output and for k; RMSE, MAE and R² for a regression."""

from __future__ import annotations

import math

import pytest
import torch

from minidl.training import (
    Measurement,
    accuracy,
    confusion_matrix,
    mean_absolute_error,
    predict_labels,
    r2_score,
    rmse,
)

Pair = tuple[torch.Tensor, torch.Tensor]


@pytest.fixture
def scored() -> Pair:
    """Six outputs and their targets, in the test's default dtype."""
    output = torch.tensor([[0.9], [0.2], [0.6], [0.4], [0.5], [-3.0]])
    return output, torch.tensor([[1.0], [0.0], [0.0], [1.0], [1.0], [0.0]])


def test_labels_are_one_strictly_above_the_threshold(scored: Pair) -> None:
    output, _ = scored
    assert predict_labels(output).view(-1).tolist() == [1, 0, 1, 0, 0, 0]
    assert predict_labels(output, threshold=0.0).view(-1).tolist() == [1, 1, 1, 1, 1, 0]
    assert predict_labels(output.double()).dtype == torch.float64


def test_accuracy_is_the_fraction_of_right_labels(scored: Pair) -> None:
    output, target = scored
    # Exact: a count of right labels over the count of points.
    assert accuracy(output, target) == 0.5
    assert accuracy(output, target, threshold=0.0) == pytest.approx(4 / 6, rel=1e-7)
    assert accuracy(torch.zeros(0, 1), torch.zeros(0, 1)) == 0.0


def test_confusion_matrix_counts_true_rows_against_predicted_columns(scored: Pair) -> None:
    output, target = scored
    matrix = confusion_matrix(output, target)
    # true 0: predicted 0 twice (0.2, −3), 1 once (0.6); true 1: predicted 0 twice (0.4, 0.5), 1 once (0.9).
    assert matrix.tolist() == [[2, 1], [2, 1]]
    assert matrix.dtype == torch.int64 and int(matrix.sum()) == len(target)
    assert int(matrix.trace()) / len(target) == pytest.approx(accuracy(output, target), rel=1e-7)


def test_accuracy_is_the_exact_fraction_in_every_dtype(scored: Pair) -> None:
    # A float64 run reports 4/6, not the float32-rounded 0.6666666865...; the count is exact in any dtype.
    output, target = scored
    for dtype in (torch.float32, torch.float64):
        assert accuracy(output.to(dtype), target.to(dtype), threshold=0.0) == 4 / 6


# -- k classes ------------------------------------------------------------------------------------------------
@pytest.fixture
def three_classes() -> Pair:
    """Logits of six points over three classes (arg-max 0, 1, 2, 2, 1, 0) and their true classes."""
    logits = torch.tensor(
        [[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.0, 0.0, 5.0], [1.0, 0.0, 4.0], [0.0, 2.0, -1.0], [9.0, 0.0, 0.0]]
    )
    return logits, torch.tensor([[0.0], [1.0], [2.0], [0.0], [2.0], [0.0]])


def test_k_columns_are_labelled_by_their_arg_max(three_classes: Pair) -> None:
    logits, _ = three_classes
    labels = predict_labels(logits)
    assert labels.shape == (6, 1) and labels.dtype == logits.dtype
    assert labels.view(-1).tolist() == [0, 1, 2, 2, 1, 0]
    assert predict_labels(logits, threshold=100.0).view(-1).tolist() == [0, 1, 2, 2, 1, 0]  # no threshold


def test_k_class_accuracy_takes_float_columns_and_integer_indices(three_classes: Pair) -> None:
    logits, target = three_classes
    assert accuracy(logits, target) == 4 / 6  # wrong: point 3 (true 0, said 2) and point 4 (true 2, said 1)
    assert accuracy(logits, target.view(-1).long()) == 4 / 6
    assert accuracy(logits.double(), target.double()) == 4 / 6


def test_k_class_confusion_matrix_is_counted_by_hand(three_classes: Pair) -> None:
    logits, target = three_classes
    matrix = confusion_matrix(logits, target)
    assert matrix.tolist() == [[2, 0, 1], [0, 1, 0], [0, 1, 1]]
    assert matrix.dtype == torch.int64 and int(matrix.sum()) == len(target)
    assert int(matrix.trace()) / len(target) == accuracy(logits, target)
    assert confusion_matrix(logits, target.view(-1).long()).tolist() == matrix.tolist()
    assert confusion_matrix(logits, target, classes=4).shape == (4, 4)
    with pytest.raises(ValueError, match=r"outside 0\.\.2: give confusion_matrix the number of classes"):
        confusion_matrix(logits, torch.tensor([[3.0]] * 6))


def test_a_random_confusion_matrix_sums_to_the_count_and_its_rows_to_each_class() -> None:
    g = torch.Generator().manual_seed(0)
    logits, target = torch.randn(200, 5, generator=g), torch.randint(5, (200,), generator=g)
    matrix = confusion_matrix(logits, target)
    assert int(matrix.sum()) == 200
    assert matrix.sum(1).tolist() == torch.bincount(target, minlength=5).tolist()
    assert matrix.sum(0).tolist() == torch.bincount(logits.argmax(1), minlength=5).tolist()


# -- regression ---------------------------------------------------------------------------------------------
def test_regression_metrics_by_hand() -> None:
    output = torch.tensor([[1.0], [2.0], [3.0], [5.0]], dtype=torch.float64)
    target = torch.tensor([[1.0], [3.0], [3.0], [3.0]], dtype=torch.float64)
    # errors 0, −1, 0, 2: SS_res = 5; mean target 2.5, SS_tot = 2.25 + 0.25 + 0.25 + 0.25 = 3.
    assert rmse(output, target) == pytest.approx(math.sqrt(5 / 4), rel=1e-15)
    assert mean_absolute_error(output, target) == pytest.approx(3 / 4, rel=1e-15)
    assert r2_score(output, target) == pytest.approx(1 - 5 / 3, rel=1e-15)
    assert r2_score(target, target) == 1.0 and rmse(target, target) == 0.0
    assert all(isinstance(f(output, target), float) for f in (rmse, mean_absolute_error, r2_score))


def test_r2_of_constant_targets_is_one_for_an_exact_fit_else_zero() -> None:
    target = torch.full((3, 1), 0.5)
    assert r2_score(target.clone(), target) == 1.0
    assert r2_score(target + 0.1, target) == 0.0


def test_regression_metrics_of_no_points_are_nan_and_shapes_must_match() -> None:
    empty = torch.zeros(0, 1)
    assert all(math.isnan(f(empty, empty)) for f in (rmse, mean_absolute_error, r2_score))
    with pytest.raises(ValueError, match=r"output shape \(2, 1\) and target shape \(2,\) differ"):
        rmse(torch.zeros(2, 1), torch.zeros(2))


def test_a_measurement_holds_what_applies() -> None:
    assert Measurement(0.5, accuracy=0.75) == Measurement(0.5, 0.75, None, None)
    assert Measurement(0.1, rmse=0.2, r2=0.9).accuracy is None
