"""Classification metrics: thresholded labels, accuracy and the confusion matrix."""

from __future__ import annotations

import pytest
import torch

from minidl.training import accuracy, confusion_matrix, predict_labels

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
