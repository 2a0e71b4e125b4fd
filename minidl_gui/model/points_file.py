"""Points CSV files in the playground: importing (read, count, split) and exporting (every point).

Importing: the split is the Data group's: ``n_test / (n_train + n_test)`` of the points, shuffled with the
test-point seed of ``seed``, are kept for testing — as ``minidl train --data`` splits a CSV. The points keep
their own problem (`minidl.data.infer_problem`: labels 0 … k−1 are k classes, other numbers a regression): a
session of another problem switches its data set to fit them (`ReplacePoints.adopted`). Exporting writes every
point shown, training then test, in the format importing reads, labelled as the problem's (class indices, or
targets under an ``x1,x2,target`` header). Pure model code, no Qt: the window runs `read_points` off its UI thread.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch

from minidl.data import infer_problem, load_points, save_points
from minidl.problem import Problem
from minidl.seeds import RunSeeds
from minidl_gui.model.config import MAX_POINTS, DataConfig
from minidl_gui.model.point_edits import ReplacePoints, split_points
from minidl_gui.model.snapshot import Points

MAX_IMPORTED = 2 * MAX_POINTS
"""The most points a file may hold: as many as the largest training and test sets together."""


class PointsCountError(ValueError):
    """A readable points file with no points, or with more than `MAX_IMPORTED`; no points to export.
    The message says which."""


def read_points(path: str | os.PathLike[str], data: DataConfig) -> ReplacePoints:
    """The edit that replaces the points with those of CSV file ``path``, split as ``data`` says, with the
    problem their labels imply (``edit.problem``; `ReplacePoints.adopted` says how a configuration follows it).

    Raises what `minidl.data.load_points` raises (OSError, CSVFormatError: a bad line, a label that is no
    finite number) and `PointsCountError`.
    """
    x, y = load_points(path)
    if not 0 < len(x) <= MAX_IMPORTED:
        found = "no points" if len(x) == 0 else f"{len(x)} points (at most {MAX_IMPORTED})"
        raise PointsCountError(f"{path} has {found}")
    fraction = data.n_test / (data.n_train + data.n_test)
    train, test = split_points(x, y, fraction, RunSeeds.from_seed(data.seed).test_points)
    return ReplacePoints(train, test, Path(path).name, problem=infer_problem(y))


def write_points(path: str | os.PathLike[str], train: Points, test: Points, problem: Problem | None = None) -> int:
    """Write every point, ``train``'s then ``test``'s, to CSV file ``path`` as ``x1,x2,label`` rows, labelled as
    ``problem``'s (None: as the labels imply) — the format `read_points` reads, written atomically by
    `minidl.data.save_points`; returns how many.

    Raises `PointsCountError` when there are none (nothing is written), OSError when writing fails.
    """
    count = len(train.x) + len(test.x)
    if count == 0:
        raise PointsCountError("no points to export")
    x = torch.from_numpy(np.concatenate([train.x, test.x]))
    y = torch.from_numpy(np.concatenate([train.y, test.y])).view(-1, 1)
    save_points(path, x, y, problem=problem)
    return count
