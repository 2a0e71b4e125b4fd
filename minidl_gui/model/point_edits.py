"""Editing the playground's points: pure functions on ``(x, y)`` tensors, and the edits the worker applies.

A data set is ``(x, y)`` as `minidl.data` makes it: ``x`` (n, 2) coordinates, ``y`` (n, 1) float labels: the
class index 0 … k−1 (0 or 1 for two classes) or, for a regression, the target value (`label_misfit` says
whether labels fit a `Problem`). Every function returns new tensors and leaves its inputs alone, so a snapshot
still holding the old arrays stays valid. An edit (`AddPoint`, `DeleteNearest`, `AddNoise`, `ClearPoints`,
`ReplacePoints`) is a small immutable command: the window builds it, the worker calls it on the session's
current training and test sets (and the session's problem) between two epochs, so the data has one owner and
no edit can race another.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

import torch
from torch import Tensor

from minidl.data import CLASS_CHOICE, dataset_problem, infer_problem, train_test_split
from minidl.problem import Problem
from minidl_gui.model.config import Config, DataConfig, fitted_changes

Data = tuple[Tensor, Tensor]
BINARY = Problem()
NOISE_STD = 0.02
"""The default standard deviation of "Add noise", in data units."""


def empty_points() -> Data:
    """No points: ``x`` (0, 2) and ``y`` (0, 1)."""
    return torch.zeros(0, 2), torch.zeros(0, 1)


def label_misfit(problem: Problem, labels: Tensor | list[float]) -> str | None:
    """Why ``labels`` do not fit ``problem`` (its first label that does not), or None when they all do: a
    classification takes the class indices 0 … k−1, a regression any finite number."""
    values = torch.as_tensor(labels, dtype=torch.float64).reshape(-1)
    if problem.is_classification:
        bad = ~((values == values.round()) & (values >= 0) & (values < problem.classes))
        allowed = "0 or 1" if problem.kind == "binary" else f"a class index 0..{problem.classes - 1}"
    else:
        bad = ~torch.isfinite(values)
        allowed = "a finite number"
    if not bad.any():
        return None
    label = values[bad][0].item()
    return f"a point's label must be {allowed} for a {problem.adjective} problem, got {label:g}"


def add_point(data: Data, point: tuple[float, float], label: float, problem: Problem = BINARY) -> Data:
    """``data`` with one more point at ``point`` labelled ``label`` (a class index of ``problem``, or its target
    value for a regression), appended last; ValueError if the label does not fit ``problem``."""
    misfit = label_misfit(problem, [label])
    if misfit is not None:
        raise ValueError(misfit)
    x, y = data
    return (
        torch.cat([x, torch.tensor([point], dtype=x.dtype)]),
        torch.cat([y, torch.tensor([[float(label)]], dtype=y.dtype)]),
    )


def nearest(x: Tensor, point: tuple[float, float]) -> tuple[int, float] | None:
    """``(index, distance)`` of the row of ``x`` nearest to ``point`` (Euclidean), None when ``x`` is empty."""
    if len(x) == 0:
        return None
    distances = (x - torch.tensor(point, dtype=x.dtype)).norm(dim=1)
    index = int(distances.argmin())
    return index, float(distances[index])


def remove_point(data: Data, index: int) -> Data:
    """``data`` without its row ``index``."""
    x, y = data
    keep = torch.ones(len(x), dtype=torch.bool)
    keep[index] = False
    return x[keep], y[keep]


def add_noise(data: Data, std: float, seed: int) -> Data:
    """Jitter every point: ``x + ε`` with ``ε ~ N(0, std²)`` per coordinate, drawn from ``seed``; labels kept."""
    if not std >= 0.0:
        raise ValueError(f"the noise's standard deviation must be >= 0, got {std}")
    x, y = data
    generator = torch.Generator().manual_seed(seed)
    return x + std * torch.randn(x.shape, generator=generator, dtype=x.dtype), y


def split_points(x: Tensor, y: Tensor, test_fraction: float, seed: int) -> tuple[Data, Data]:
    """Shuffle ``(x, y)`` with ``seed`` and keep ``round(n · test_fraction)`` points for testing (as the CLI)."""
    x_train, y_train, x_test, y_test = train_test_split(x, y, test_fraction, seed=seed)
    return (x_train, y_train), (x_test, y_test)


@dataclass(frozen=True, eq=False)
class Edited:
    """What an edit did: the new training and test sets (None: nothing changed) and a sentence saying it.

    ``refit`` asks for the plotted domain to be fitted to the new points (after an import).
    """

    message: str
    train: Data | None = None
    test: Data | None = None
    refit: bool = False


class PointsEdit(Protocol):
    """An edit: called on the current ``(train, test)`` sets and the session's ``problem``, it says what they
    become."""

    def __call__(self, train: Data, test: Data, problem: Problem = BINARY) -> Edited: ...


@dataclass(frozen=True)
class AddPoint:
    """Add a training point at ``(x1, x2)`` labelled ``label``: a class index, or a regression's target value.
    A label that does not fit the problem changes nothing (the message says why)."""

    x1: float
    x2: float
    label: float

    def __call__(self, train: Data, test: Data, problem: Problem = BINARY) -> Edited:
        where = f"({self.x1:.3g}, {self.x2:.3g})"
        misfit = label_misfit(problem, [self.label])
        if misfit is not None:
            return Edited(f"No point added at {where}: {misfit}.")
        new = add_point(train, (self.x1, self.x2), self.label, problem)
        what = f"a class-{self.label:g} point" if problem.is_classification else f"a point of target {self.label:.3g}"
        return Edited(f"Added {what} at {where}: {len(new[0])} training points.", new, test)


@dataclass(frozen=True)
class DeleteNearest:
    """Delete the training (or, with ``include_test``, test) point nearest to ``(x1, x2)`` within ``radius``."""

    x1: float
    x2: float
    radius: float
    include_test: bool = True

    def __call__(self, train: Data, test: Data, problem: Problem = BINARY) -> Edited:
        point = (self.x1, self.x2)
        found = [(hit[1], hit[0], name) for name, data in self._sets(train, test) if (hit := nearest(data[0], point))]
        distance, index, name = min(found, default=(float("inf"), -1, ""))
        if distance > self.radius:
            return Edited(f"No point near ({self.x1:.3g}, {self.x2:.3g}): nothing deleted.")
        if name == "training":
            return Edited(f"Deleted a training point: {len(train[0]) - 1} left.", remove_point(train, index), test)
        return Edited(f"Deleted a test point: {len(test[0]) - 1} left.", train, remove_point(test, index))

    def _sets(self, train: Data, test: Data) -> list[tuple[str, Data]]:
        return [("training", train), ("test", test)] if self.include_test else [("training", train)]


@dataclass(frozen=True)
class AddNoise:
    """Jitter the training points by Gaussian noise of standard deviation ``std`` (see `add_noise`)."""

    std: float = NOISE_STD
    seed: int = 0

    def __call__(self, train: Data, test: Data, problem: Problem = BINARY) -> Edited:
        if len(train[0]) == 0:
            return Edited("No training points to add noise to.")
        noisy = add_noise(train, self.std, self.seed)
        return Edited(f"Jittered {len(train[0])} training points by noise of std {self.std:g}.", noisy, test)


@dataclass(frozen=True)
class ClearPoints:
    """Remove every point, training and test (undo brings them back)."""

    def __call__(self, train: Data, test: Data, problem: Problem = BINARY) -> Edited:
        count = len(train[0]) + len(test[0])
        if count == 0:
            return Edited("No points to clear.")
        how = (
            "Click to draw class 1, Shift+click class 0."
            if problem.kind == "binary"
            else "Click to draw a point of the chosen class."
            if problem.is_classification
            else "Click to draw a point of the chosen target value."
        )
        return Edited(f"Cleared {count} points (Ctrl+Z brings them back). {how}", empty_points(), empty_points())


@dataclass(frozen=True, eq=False)
class ReplacePoints:
    """Use ``train`` and ``test`` instead of the current points (an import); ``source`` names where they came from.

    ``problem`` is the points' own (None: inferred from their labels, `minidl.data.infer_problem`). When it is
    not the session's, the session first switches its data configuration to one of that problem (`adopted`)
    and builds a new model; the edit itself refuses labels that do not fit the problem it is called with.
    """

    train: Data
    test: Data
    source: str
    problem: Problem | None = None

    @property
    def points_problem(self) -> Problem:
        """The problem of the imported points: ``problem``, or the one their labels imply."""
        if self.problem is not None:
            return self.problem
        labels = torch.cat([self.train[1], self.test[1]])
        return infer_problem(labels) if len(labels) else BINARY

    def adopted(self, config: Config) -> tuple[Config, str]:
        """The configuration a session of ``config`` trains these points with, and a sentence saying what
        changed ("" when nothing did): ``config`` itself when the points' problem is its data's; else its
        data switched to a set of that problem (`switched_data`) and the loss and output fitted to it."""
        problem = self.points_problem
        if problem == config.data.problem:
            return config, ""
        data = switched_data(config.data, problem)
        adopted, changes = fitted_changes(data, config.network, config.training)
        if data.dataset != config.data.dataset:
            changes.insert(0, f"data set {config.data.dataset} → {data.dataset}")
        said = f": {', '.join(changes)}" if changes else ""
        return adopted, f"They are a {problem.adjective} problem{said}; a new model was built."

    def __call__(self, train: Data, test: Data, problem: Problem = BINARY) -> Edited:
        misfit = label_misfit(problem, torch.cat([self.train[1], self.test[1]]))
        if misfit is not None:
            return Edited(f"Nothing imported from {self.source}: {misfit}.")
        n_train, n_test = len(self.train[0]), len(self.test[0])
        message = (
            f"Imported {n_train + n_test} points from {self.source}: {n_train} for training, {n_test} for testing."
        )
        return Edited(message, self.train, self.test, refit=True)


def switched_data(data: DataConfig, problem: Problem) -> DataConfig:
    """``data`` moved to a data set of ``problem``: its own set when that set can be that problem (a spiral of k
    arms), else blobs with k classes, plane for a regression, disc for two classes; sizes, noise, seed kept."""
    classes = problem.classes if problem.is_classification and data.dataset in CLASS_CHOICE else None
    try:
        if dataset_problem(data.dataset, classes) == problem:
            return replace(data, classes=classes)
    except ValueError:  # a set that cannot have that many classes
        pass
    classes = problem.classes if problem.kind == "multiclass" else None
    dataset = "plane" if not problem.is_classification else "disc" if problem.kind == "binary" else "blobs"
    return replace(data, dataset=dataset, classes=classes)
