"""Editing the playground's points: pure functions on ``(x, y)`` tensors, and the edits the worker applies.

A data set is ``(x, y)`` as `minidl.data` makes it: ``x`` (n, 2) coordinates, ``y`` (n, 1) labels in {0, 1}.
Every function returns new tensors and leaves its inputs alone, so a snapshot still holding the old
arrays stays valid. An edit (`AddPoint`, `DeleteNearest`, `AddNoise`, `ClearPoints`, `ReplacePoints`) is a
small immutable command: the window builds it, the worker calls it on the session's current training
and test sets between two epochs, so the data has one owner and no edit can race another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import torch
from torch import Tensor

from minidl.data import train_test_split

Data = tuple[Tensor, Tensor]
NOISE_STD = 0.02
"""The default standard deviation of "Add noise", in data units."""


def empty_points() -> Data:
    """No points: ``x`` (0, 2) and ``y`` (0, 1)."""
    return torch.zeros(0, 2), torch.zeros(0, 1)


def add_point(data: Data, point: tuple[float, float], label: int) -> Data:
    """``data`` with one more point at ``point`` labelled ``label`` (0 or 1), appended last."""
    if label not in (0, 1):
        raise ValueError(f"a point's label must be 0 or 1, got {label!r}")
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
    """An edit: called on the current ``(train, test)`` sets, it says what they become."""

    def __call__(self, train: Data, test: Data) -> Edited: ...


@dataclass(frozen=True)
class AddPoint:
    """Add a training point of class ``label`` at ``(x1, x2)``."""

    x1: float
    x2: float
    label: int

    def __call__(self, train: Data, test: Data) -> Edited:
        new = add_point(train, (self.x1, self.x2), self.label)
        where = f"({self.x1:.3g}, {self.x2:.3g})"
        return Edited(f"Added a class-{self.label} point at {where}: {len(new[0])} training points.", new, test)


@dataclass(frozen=True)
class DeleteNearest:
    """Delete the training (or, with ``include_test``, test) point nearest to ``(x1, x2)`` within ``radius``."""

    x1: float
    x2: float
    radius: float
    include_test: bool = True

    def __call__(self, train: Data, test: Data) -> Edited:
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

    def __call__(self, train: Data, test: Data) -> Edited:
        if len(train[0]) == 0:
            return Edited("No training points to add noise to.")
        noisy = add_noise(train, self.std, self.seed)
        return Edited(f"Jittered {len(train[0])} training points by noise of std {self.std:g}.", noisy, test)


@dataclass(frozen=True)
class ClearPoints:
    """Remove every point, training and test (undo brings them back)."""

    def __call__(self, train: Data, test: Data) -> Edited:
        count = len(train[0]) + len(test[0])
        if count == 0:
            return Edited("No points to clear.")
        message = f"Cleared {count} points (Ctrl+Z brings them back). Click to draw class 1, Shift+click class 0."
        return Edited(message, empty_points(), empty_points())


@dataclass(frozen=True, eq=False)
class ReplacePoints:
    """Use ``train`` and ``test`` instead of the current points (an import); ``source`` names where they came from."""

    train: Data
    test: Data
    source: str

    def __call__(self, train: Data, test: Data) -> Edited:
        n_train, n_test = len(self.train[0]), len(self.test[0])
        message = (
            f"Imported {n_train + n_test} points from {self.source}: {n_train} for training, {n_test} for testing."
        )
        return Edited(message, self.train, self.test, refit=True)
