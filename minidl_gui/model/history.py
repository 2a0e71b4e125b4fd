"""Everything a run measured, one row per epoch, never dropped; and a helper to draw long runs lightly."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from minidl.problem import Problem
from minidl_gui.model.gradient_norms import LayerNorms

BASE_COLUMNS = (
    "epoch",
    "train_loss",
    "test_loss",
    "train_accuracy",
    "test_accuracy",
    "lr",
    "elapsed",
    "steps_per_second",
)
"""The columns of every history (the accuracies are None, NaN here, for a regression)."""
REGRESSION_COLUMNS = ("train_rmse", "train_r2", "test_rmse", "test_r2")
"""A regression's metrics (`minidl.training.EpochResult`): RMSE and R² of the training and test points."""
COLUMNS = BASE_COLUMNS + REGRESSION_COLUMNS


def columns_of(problem: Problem) -> tuple[str, ...]:
    """The columns that a history of ``problem`` fills, as session files and CSV exports hold them: the regression
    metrics for a regression only (a classification's files keep the layout they had before those existed)."""
    return BASE_COLUMNS if problem.is_classification else COLUMNS


class History:
    """Per-epoch records in growable float64 columns (``None`` becomes NaN).

    ``append`` takes anything with the `COLUMNS` as attributes (minidl's ``EpochResult``; a missing one is None);
    ``column(name)`` is a read-only view of the recorded values, cheap to call at every redraw;
    ``records`` keeps the appended objects themselves; ``gradient_norms`` their per-layer gradient norms
    (a record's ``gradient_norms`` attribute, NaN when it has none).
    """

    def __init__(self) -> None:
        self._data = np.full((len(COLUMNS), 64), np.nan)
        self._length = 0
        self.records: list[Any] = []
        self.gradient_norms = LayerNorms()

    def __len__(self) -> int:
        return self._length

    def append(self, record: Any) -> None:
        self.extend((record,))

    def extend(self, records: Iterable[Any]) -> None:
        """Append each of ``records`` in order, their values converted in one block (a window takes a snapshot's
        rows, ~100 at a time at small batches, with every redraw)."""
        records = list(records)
        if not records:
            return
        block = np.array([[getattr(record, name, None) for name in COLUMNS] for record in records], dtype=float)
        end = self._length + len(records)
        if end > self._data.shape[1]:
            grown = np.full((len(COLUMNS), max(end, 2 * self._data.shape[1])), np.nan)
            grown[:, : self._length] = self._data[:, : self._length]
            self._data = grown
        self._data[:, self._length : end] = block.T  # None becomes NaN in the conversion
        self._length = end
        self.records.extend(records)
        self.gradient_norms.extend(getattr(record, "gradient_norms", None) for record in records)

    def truncate(self, length: int) -> None:
        """Keep the first ``length`` rows (0 clears the history)."""
        self._length = min(self._length, max(0, length))
        del self.records[self._length :]
        self.gradient_norms.truncate(self._length)

    def clear(self) -> None:
        self.truncate(0)

    def column(self, name: str) -> np.ndarray:
        view = self._data[COLUMNS.index(name), : self._length]
        view.flags.writeable = False
        return view

    def last(self, name: str) -> float | None:
        """The latest value of ``name``, or None before the first epoch."""
        return float(self._data[COLUMNS.index(name), self._length - 1]) if self._length else None


def downsample(x: np.ndarray, y: np.ndarray, max_points: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """At most about ``max_points`` of the curve ``(x, y)`` for drawing, keeping its shape.

    Splits the curve into ``max_points / 2`` buckets and keeps each bucket's minimum and maximum
    (in order), so spikes stay visible; the first and last points are always kept.
    """
    n = len(x)
    if n <= max_points:
        return x, y
    buckets = max(1, max_points // 2)
    edges = np.linspace(0, n, buckets + 1).astype(int)
    starts = edges[:-1][np.diff(edges) > 0]  # the non-empty buckets (all of them when n > max_points)
    finite = np.where(np.isfinite(y), y, np.nan)
    bucket = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, n)))
    keep = [np.array([0, n - 1]), starts[np.isnan(np.fmin.reduceat(finite, starts))]]  # all-NaN: the start
    for extreme in (np.fmin, np.fmax):  # NaN-ignoring minimum and maximum of each bucket
        hits = np.flatnonzero(finite == extreme.reduceat(finite, starts)[bucket])
        keep.append(hits[np.unique(bucket[hits], return_index=True)[1]])  # each bucket's first extreme
    index = np.unique(np.concatenate(keep))
    return x[index], y[index]
