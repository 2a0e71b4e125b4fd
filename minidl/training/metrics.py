"""Metrics of a model's output against the targets, as Python floats (the confusion matrix as a tensor).

Classification: the output is one column (a binary classifier, thresholded) or k columns (k classes, the
arg-max); targets are class indices, as a (N, 1) float tensor (the data sets' ``y``) or a (N,) integer one
(what `minidl.losses.CrossEntropyLoss` takes). Regression: output and target are (N, 1) numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass(frozen=True)
class Measurement:
    """What `Trainer.measure` found on a set: the loss, and the accuracy of a classification or the RMSE and
    R² of a regression (None where they do not apply)."""

    loss: float
    accuracy: float | None = None
    rmse: float | None = None
    r2: float | None = None


def predict_labels(output: Tensor, threshold: float = 0.5) -> Tensor:
    """The predicted class of each row as a (N, 1) tensor in ``output``'s dtype: for one column 1.0 where the
    output is above ``threshold``, else 0.0; for k > 1 columns the index of the largest (the first of ties)."""
    if output.dim() == 2 and output.shape[1] > 1:
        return output.argmax(1, keepdim=True).to(output.dtype)
    return (output > threshold).to(output.dtype)


def _labels(target: Tensor) -> Tensor:
    """The class indices of ``target`` ((N, 1) float or (N,) integer) as a (N,) int64 tensor."""
    return target.reshape(-1).long()


def accuracy(output: Tensor, target: Tensor, threshold: float = 0.5) -> float:
    """The fraction of points whose predicted class (`predict_labels`) is the target's (0.0 for no points): the
    count of right labels over the count of points, exact in any dtype (a float32 mean would round a float64
    run's)."""
    if target.numel() == 0:
        return 0.0
    predicted = predict_labels(output, threshold).reshape(-1)
    return int((predicted == target.reshape(-1).to(predicted.dtype)).sum()) / target.numel()


def confusion_matrix(output: Tensor, target: Tensor, threshold: float = 0.5, classes: int | None = None) -> Tensor:
    """Counts ``[true class i, predicted class j]`` as a k×k int64 tensor (rows: the true class); its sum is N.

    k is ``classes``, else the output's width for k > 1 columns, else 2. For two classes it reads
    ``[[true 0 → predicted 0, true 0 → 1], [true 1 → 0, true 1 → 1]]``. ValueError for a class outside 0..k−1.
    """
    k = classes if classes is not None else (output.shape[1] if output.dim() == 2 and output.shape[1] > 1 else 2)
    predicted = _labels(predict_labels(output, threshold))
    actual = _labels(target)
    if actual.numel() and bool(((actual < 0) | (actual >= k) | (predicted >= k)).any()):
        raise ValueError(f"a class index lies outside 0..{k - 1}: give confusion_matrix the number of classes")
    return torch.bincount(actual * k + predicted, minlength=k * k).view(k, k)


def _errors(output: Tensor, target: Tensor) -> Tensor:
    if output.shape != target.shape:
        raise ValueError(f"output shape {tuple(output.shape)} and target shape {tuple(target.shape)} differ")
    return (output - target).reshape(-1)


def rmse(output: Tensor, target: Tensor) -> float:
    """Root mean squared error √(mean((ŷ − y)²)); NaN for no points."""
    errors = _errors(output, target)
    return math.sqrt(float(torch.dot(errors, errors)) / errors.numel()) if errors.numel() else math.nan


def mean_absolute_error(output: Tensor, target: Tensor) -> float:
    """mean(|ŷ − y|); NaN for no points."""
    errors = _errors(output, target)
    return float(errors.abs().mean()) if errors.numel() else math.nan


def r2_score(output: Tensor, target: Tensor) -> float:
    """The coefficient of determination 1 − SS_res / SS_tot, SS_res = Σ(y − ŷ)², SS_tot = Σ(y − ȳ)²; for constant
    targets (SS_tot = 0) 1.0 if the fit is exact, else 0.0. NaN for no points."""
    errors = _errors(output, target)
    if not errors.numel():
        return math.nan
    deviations = target.reshape(-1) - target.mean()
    ss_res, ss_tot = float(torch.dot(errors, errors)), float(torch.dot(deviations, deviations))
    if ss_tot == 0.0:
        return 1.0 if ss_res == 0.0 else 0.0
    return 1.0 - ss_res / ss_tot
