"""Classification metrics for one-output binary classifiers."""

from __future__ import annotations

import torch
from torch import Tensor


def predict_labels(output: Tensor, threshold: float = 0.5) -> Tensor:
    """1.0 where the model's output is above ``threshold``, else 0.0."""
    return (output > threshold).to(output.dtype)


def accuracy(output: Tensor, target: Tensor, threshold: float = 0.5) -> float:
    """The fraction of points whose thresholded output equals the label (0.0 for no points): the count of
    right labels over the count of points, exact in any dtype (a float32 mean would round a float64 run's)."""
    if target.numel() == 0:
        return 0.0
    return int((predict_labels(output, threshold) == target).sum()) / target.numel()


def confusion_matrix(output: Tensor, target: Tensor, threshold: float = 0.5) -> Tensor:
    """Counts ``[[true 0 → predicted 0, true 0 → 1], [true 1 → 0, true 1 → 1]]`` as a 2×2 int64 tensor."""
    predicted = predict_labels(output, threshold).view(-1).long()
    actual = target.view(-1).long()
    return torch.bincount(actual * 2 + predicted, minlength=4).view(2, 2)
