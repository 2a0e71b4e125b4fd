"""What the curves and the gradient-norms plots draw, prepared as arrays (`CurvesFrame`, `curves_frame`).

Every curve is a history column against the epochs, at most about `MAX_DRAWN_POINTS` points of it
(`history.downsample`: each bucket's extremes, so spikes stay); accuracies in percent; a curve with no finite
value is empty. Pure numpy, built on the worker thread from the session's history for each snapshot; the views
build the same frame themselves only when a snapshot brings none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from minidl_gui.model.history import History, downsample

MAX_DRAWN_POINTS = 2000
"""Points drawn per curve; the history keeps every epoch."""
LOSS_KEYS = ("train_loss", "test_loss")
CLASSIFICATION_KEYS = ("train_accuracy", "test_accuracy")
REGRESSION_KEYS = ("train_rmse", "test_rmse", "train_r2", "test_r2")
R2_FLOOR = -1.0
"""The lowest R² the regression plot shows: a bad start (R² of −50) would flatten the curves for the whole run."""

Curve = tuple[np.ndarray, np.ndarray]


def metric_keys(regression: bool) -> tuple[str, ...]:
    """The metric plot's columns: RMSE and R² for a regression, else the accuracies."""
    return REGRESSION_KEYS if regression else CLASSIFICATION_KEYS


@dataclass(frozen=True, eq=False)
class CurvesFrame:
    """The curves of a history of ``length`` epochs (the last record ``last``), ready to draw.

    ``curves[key]`` is ``(epochs, values)`` of each loss and metric column shown (`metric_keys`) — empty
    arrays for a column with no finite value; ``metric_range`` the regression plot's y range (None for a
    classification or without finite values); ``gradient_norms[k]`` layer k's ‖∂L/∂W_k‖ (zeros left out:
    the axis is logarithmic)."""

    length: int
    last: object
    regression: bool
    curves: dict[str, Curve]
    metric_range: tuple[float, float] | None
    gradient_norms: tuple[Curve, ...]

    def matches(self, history: History) -> bool:
        """It was made from ``history`` as it is now (same length, same last record)."""
        last = history.records[-1] if len(history) else None
        return self.length == len(history) and self.last is last


def drawn_curve(epochs: np.ndarray, values: np.ndarray) -> Curve:
    """``(epochs, values)`` downsampled for drawing (copies); empty when no value is finite (NaN only)."""
    if np.all(np.isnan(values)):
        return np.zeros(0), np.zeros(0)
    x, y = downsample(epochs, values, MAX_DRAWN_POINTS)
    return np.array(x, dtype=float), np.array(y, dtype=float)


def regression_range(history: History) -> tuple[float, float] | None:
    """The metric plot's y range for RMSE and R²: from ``min(0, lowest value)`` but not below `R2_FLOOR` to
    ``max(1, highest value)``; None without a finite value."""
    values = np.concatenate([history.column(key) for key in REGRESSION_KEYS])
    values = values[np.isfinite(values)]
    if not values.size:
        return None
    return (max(min(0.0, float(values.min())), R2_FLOOR), max(1.0, float(values.max())))


def gradient_norm_curves(history: History) -> tuple[Curve, ...]:
    """Each layer's gradient norm per epoch, zeros as NaN (no place on a log axis), drawn like the curves."""
    norms = history.gradient_norms.values()
    epochs = history.column("epoch")
    return tuple(
        drawn_curve(epochs, np.where(norms[:, layer] > 0, norms[:, layer], np.nan)) for layer in range(norms.shape[1])
    )


def curves_frame(history: History, regression: bool) -> CurvesFrame:
    """The frame of ``history``: the losses and the metrics of a regression (``regression``) or a
    classification, accuracies in percent, and the gradient norms."""
    epochs = history.column("epoch")
    curves = {}
    for key in (*LOSS_KEYS, *metric_keys(regression)):
        values = history.column(key)
        curves[key] = drawn_curve(epochs, 100 * values if key.endswith("accuracy") else values)
    return CurvesFrame(
        length=len(history),
        last=history.records[-1] if len(history) else None,
        regression=regression,
        curves=curves,
        metric_range=regression_range(history) if regression else None,
        gradient_norms=gradient_norm_curves(history),
    )
