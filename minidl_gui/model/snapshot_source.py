"""`SnapshotSource`: what a `Snapshot` is made from, captured between two training steps; `render_snapshot` makes it.

Capturing is cheap — the weights are copied (``state_dict``), the curves' frame is made from the history (again only
when it grew: a few tenths of a millisecond), everything else is referenced: the points are replaced, never changed in
place, the configuration is frozen, the history rows are a tuple — so the training thread can hand a
capture to another thread and train on while that thread renders it: evaluates the model on the decision grid,
assesses the points, and so on. Rendering a source with any model holding its weights gives the same snapshot as
rendering it with the live model, on any thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import Tensor

from minidl.module import Module
from minidl.sequential import Sequential
from minidl.training.metrics import confusion_matrix, predict_labels
from minidl_gui.model.activations_probe import neuron_field
from minidl_gui.model.config import Config
from minidl_gui.model.contour import cell_centres
from minidl_gui.model.curves_frame import CurvesFrame
from minidl_gui.model.snapshot import Points, Snapshot
from minidl_gui.model.snapshot_frames import FrameMaker
from minidl_gui.model.view_options import ViewOptions

Data = tuple[Tensor, Tensor]
Extent = tuple[float, float, float, float]


@dataclass(frozen=True)
class SnapshotSource:
    """A session's state at one moment, detached from what training changes next (see the module).

    ``start`` / ``results``: the history rows not sent before (`Snapshot`); ``points`` the train and test points as
    numpy arrays, ``train_data`` / ``test_data`` as the tensors the model assesses; ``threshold`` the trainer's label
    threshold; ``device`` / ``dtype`` where the model computes; ``weights`` a copy of its state dict;
    ``selected_neuron`` the neuron whose field to carry; ``progress`` ``(step, steps)`` of an epoch in progress;
    ``view`` the view settings the frames are drawn with; ``curves`` the curves' frame, made at the capture (from the
    history as it was then).
    """

    epoch: int
    start: int
    results: tuple[Any, ...]
    config: Config
    resolution: int
    extent: Extent
    data_version: int
    custom_points: bool
    points: tuple[Points, Points]
    train_data: Data
    test_data: Data
    threshold: float
    device: torch.device
    dtype: torch.dtype
    weights: dict[str, Tensor]
    selected_neuron: tuple[int, int] | None = None
    progress: tuple[int, int] = (0, 0)
    view: ViewOptions = ViewOptions()
    curves: CurvesFrame | None = None


def grid_points(extent: Extent, resolution: int) -> Tensor:
    """The grid's cell centres as rows ``(xs[i], ys[j])``, ``i`` major: reshape outputs to ``(n, n)``."""
    xs, ys = (torch.from_numpy(a).float() for a in cell_centres(extent, (resolution, resolution)))
    return torch.cartesian_prod(xs, ys)


def grid_output(source: SnapshotSource, model: Module, points: Tensor | None = None) -> np.ndarray:
    """``model``'s view of the grid: ``out[i, j] = f(xs[i], ys[j])`` for two classes or a regression; for k classes
    the softmax of its logits, ``out[i, j, c]`` the probability of class ``c`` (shape (n, n, k))."""
    points = _on_device(source, grid_points(source.extent, source.resolution)) if points is None else points
    with torch.no_grad():
        output = model.forward(points)
        if source.config.data.problem.kind == "multiclass":
            output = torch.softmax(output, dim=1)
    n, outputs = source.resolution, output.shape[1]
    return output.view((n, n) if outputs == 1 else (n, n, outputs)).cpu().numpy()


def selected_field(source: SnapshotSource, model: Sequential, points: Tensor | None = None) -> np.ndarray | None:
    """The selected neuron's output on the grid (``field[i, j]`` at ``(xs[i], ys[j])``), or None."""
    if source.selected_neuron is None:
        return None
    points = _on_device(source, grid_points(source.extent, source.resolution)) if points is None else points
    with torch.no_grad():
        values = neuron_field(model, points, *source.selected_neuron)
    return None if values is None else values.reshape(source.resolution, source.resolution).cpu().numpy()


def render_snapshot(source: SnapshotSource, model: Sequential, frames: FrameMaker) -> Snapshot:
    """The `Snapshot` of ``source``, the model's views computed with ``model`` (which holds ``source.weights``), the
    plots' frames made by ``frames`` (one `FrameMaker` per thread that renders: it reuses what did not change)."""
    points = _on_device(source, grid_points(source.extent, source.resolution))
    with torch.no_grad():
        (train_wrong, train_confusion), (test_wrong, test_confusion) = (
            _assess(source, model, data) for data in (source.train_data, source.test_data)
        )
    field = selected_field(source, model, points)
    grid, problem = grid_output(source, model, points), source.config.data.problem
    weights = {name: p.cpu().numpy() for name, p in source.weights.items()}
    wrong = (train_wrong, test_wrong)
    decision = frames.decision(grid, source.extent, problem, source.data_version, source.points, wrong, source.view)
    return Snapshot(
        epoch=source.epoch,
        start=source.start,
        results=source.results,
        grid=grid,
        extent=source.extent,
        data_version=source.data_version,
        custom_points=source.custom_points,
        train=source.points[0],
        test=source.points[1],
        train_wrong=train_wrong,
        test_wrong=test_wrong,
        weights=weights,
        neuron=source.selected_neuron if field is not None else None,
        neuron_field=field,
        problem=problem,
        train_confusion=train_confusion,
        test_confusion=test_confusion,
        step=source.progress[0],
        steps=source.progress[1],
        decision=decision,
        curves=source.curves,
        network=frames.network(weights, source.config.network.features),
    )


def _on_device(source: SnapshotSource, tensor: Tensor) -> Tensor:
    """``tensor`` where the model computes, in its dtype (itself when it is there already)."""
    return tensor.to(device=source.device, dtype=source.dtype)


def _assess(source: SnapshotSource, model: Module, data: Data) -> tuple[np.ndarray, np.ndarray | None]:
    """``(wrong, confusion)`` of the model on ``data``: which points it misclassifies (none for a regression)
    and the k×k confusion matrix, rows the true classes, columns the predicted ones (None for a regression)."""
    x, y = data
    problem = source.config.data.problem
    if not problem.is_classification:
        return np.zeros(len(x), dtype=bool), None
    if len(x) == 0:
        return np.zeros(0, dtype=bool), np.zeros((problem.classes, problem.classes), dtype=np.int64)
    output = model.forward(_on_device(source, x)).cpu()
    labels = predict_labels(output, source.threshold)
    confusion = confusion_matrix(output, y, source.threshold, classes=problem.classes)
    return (labels != y).view(-1).numpy(), np.asarray(confusion, dtype=np.int64)
