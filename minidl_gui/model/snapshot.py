"""`Snapshot`: what the worker sends the window after some epochs — new history rows and the model's view."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from minidl.problem import Problem
from minidl_gui.model.curves_frame import CurvesFrame
from minidl_gui.model.decision_frame import DecisionFrame
from minidl_gui.model.network_frame import NetworkFrame


@dataclass(frozen=True)
class Points:
    """One data set's points as numpy arrays: ``x`` (n, 2), ``y`` (n,) float labels: class indices 0 … k−1
    (0 or 1 for two classes) or, for a regression, target values."""

    x: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class Snapshot:
    """The state of a session at one moment, detached from the worker's tensors.

    ``results`` are the epoch records from history row ``start`` on (the rows not sent before;
    ``start`` is 0 after a reset), so the window's `History` stays a complete copy.
    ``problem`` is what the model learns (the configuration's data's `Problem`). ``grid[i, j]`` is the model's view
    at ``(xs[i], ys[j])``, cell centres of ``extent`` ``(x_min, x_max, y_min, y_max)``: its output for two classes
    and for a regression (shape (n, n)); for k classes the softmax probabilities, ``grid[i, j, c]`` that of class
    ``c`` (shape (n, n, k)). ``data_version`` changes whenever the points change;
    ``custom_points`` says they were drawn, edited or imported (not the configuration's generated ones).
    ``weights`` holds a copy of every parameter under its state-dict name ("0.weight", …).
    ``neuron`` is the ``(layer, index)`` the window selected (layer 0 the inputs, then each `Linear`
    block's output) and ``neuron_field[i, j]`` that neuron's output at ``(xs[i], ys[j])``, or None.
    ``train_wrong`` / ``test_wrong`` flag the misclassified points (all False for a regression);
    ``train_confusion`` / ``test_confusion`` are k×k int64 confusion matrices, ``[true, predicted]`` counts
    summing to the number of points (None for a regression).
    ``step`` / ``steps``: a snapshot taken in the middle of an epoch (small batches: the plots move while it trains)
    has ``step`` of the ``steps`` optimizer steps of epoch ``epoch + 1`` done; at an epoch's end both are 0. A mid-epoch
    snapshot brings no history rows (``results`` is empty): an epoch is recorded only when it ends.
    ``decision``, ``curves``, ``network``: what the decision plot, the curves (and gradient norms) and the network
    diagram draw, prepared on the worker thread (`minidl_gui.model.snapshot_frames`); None in a snapshot built
    without them (the views then prepare it themselves).
    """

    epoch: int
    start: int
    results: tuple[Any, ...]
    grid: np.ndarray
    extent: tuple[float, float, float, float]
    data_version: int
    custom_points: bool
    train: Points
    test: Points
    train_wrong: np.ndarray
    test_wrong: np.ndarray
    weights: dict[str, np.ndarray] = field(default_factory=dict)
    neuron: tuple[int, int] | None = None
    neuron_field: np.ndarray | None = None
    problem: Problem = field(default_factory=Problem)
    train_confusion: np.ndarray | None = None
    test_confusion: np.ndarray | None = None
    step: int = 0
    steps: int = 0
    decision: DecisionFrame | None = None
    curves: CurvesFrame | None = None
    network: NetworkFrame | None = None
