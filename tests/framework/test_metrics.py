"""Classification metrics: thresholded labels, accuracy and the confusion matrix."""

from __future__ import annotations

import pytest
import torch

from minidl.training import accuracy, confusion_matrix, predict_labels

OUTPUT = torch.tensor([[0.9], [0.2], [0.6], [0.4], [0.5], [-3.0]])
TARGET = torch.tensor([[1.0], [0.0], [0.0], [1.0], [1.0], [0.0]])


def test_labels_are_one_strictly_above_the_threshold() -> None:
    assert predict_labels(OUTPUT).view(-1).tolist() == [1, 0, 1, 0, 0, 0]
    assert predict_labels(OUTPUT, threshold=0.0).view(-1).tolist() == [1, 1, 1, 1, 1, 0]
    assert predict_labels(OUTPUT.double()).dtype == torch.float64


def test_accuracy_is_the_fraction_of_right_labels() -> None:
    # A float32 mean: exact to float32 precision only.
    assert accuracy(OUTPUT, TARGET) == 0.5
    assert accuracy(OUTPUT, TARGET, threshold=0.0) == pytest.approx(4 / 6, rel=1e-7)
    assert accuracy(torch.zeros(0, 1), torch.zeros(0, 1)) == 0.0


def test_confusion_matrix_counts_true_rows_against_predicted_columns() -> None:
    matrix = confusion_matrix(OUTPUT, TARGET)
    # true 0: predicted 0 twice (0.2, −3), 1 once (0.6); true 1: predicted 0 twice (0.4, 0.5), 1 once (0.9).
    assert matrix.tolist() == [[2, 1], [2, 1]]
    assert matrix.dtype == torch.int64 and int(matrix.sum()) == len(TARGET)
    assert int(matrix.trace()) / len(TARGET) == pytest.approx(accuracy(OUTPUT, TARGET), rel=1e-7)
