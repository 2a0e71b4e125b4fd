"""`Snapshot`: what the worker sends the window after some epochs — new history rows and the model's view."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Points:
    """One data set's points as numpy arrays: ``x`` (n, 2), ``y`` (n,) labels in {0, 1}."""

    x: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class Snapshot:
    """The state of a session at one moment, detached from the worker's tensors.

    ``results`` are the epoch records from history row ``start`` on (the rows not sent before;
    ``start`` is 0 after a reset), so the window's `History` stays a complete copy.
    ``grid[i, j]`` is the model's output at ``(xs[i], ys[j])``, cell centres of ``extent``
    ``(x_min, x_max, y_min, y_max)``. ``data_version`` changes whenever the points change.
    ``weights`` holds a copy of every parameter under its state-dict name ("0.weight", …).
    ``neuron`` is the ``(layer, index)`` the window selected (layer 0 the inputs, then each `Linear`
    block's output) and ``neuron_field[i, j]`` that neuron's output at ``(xs[i], ys[j])``, or None.
    """

    epoch: int
    start: int
    results: tuple[Any, ...]
    grid: np.ndarray
    extent: tuple[float, float, float, float]
    data_version: int
    train: Points
    test: Points
    train_wrong: np.ndarray
    test_wrong: np.ndarray
    weights: dict[str, np.ndarray] = field(default_factory=dict)
    neuron: tuple[int, int] | None = None
    neuron_field: np.ndarray | None = None
