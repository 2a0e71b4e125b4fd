"""What the decision plot draws, prepared as arrays: the heatmap's RGBA pixels, the boundaries as segments,
the misclassified points' positions and the points' colours (`DecisionFrame`).

Pure numpy, built on the worker thread for each snapshot (`snapshot_frames.FrameMaker.decision`); the plot
builds the same frame itself (by the same method) only for a snapshot without one, and the picture alone
(`decision_picture`) after a toggle of "Discretize output" that the worker has not seen yet. The pixels are
`colours.class_image` / `colours.value_image` of the model's grid; the boundaries the 0.5-level curve of a binary
output (`contour_segments`) or, for k classes, `class_boundaries`; a regression has none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from minidl.problem import Problem
from minidl_gui.model.colours import (
    CLASS_COLOURS,
    class_image,
    class_margins,
    value_colours,
    value_image,
    value_range,
)
from minidl_gui.model.contour import cell_centres, contour_segments

BOUNDARY_LEVEL = 0.5
"""A binary model's decision boundary: where its output crosses 0.5."""
BINARY_RANGE = (0.0, 1.0)
"""The colour scale of a binary model's output."""
NO_SEGMENTS = np.zeros((0, 2))


def class_boundaries(probabilities: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The boundaries between k classes as segments (rows 2i, 2i + 1 the ends of segment i): the 0-level
    curves of each class's margin ``p_c − max_other p``, one curve per pair of neighbouring regions."""
    margins = class_margins(probabilities)
    pieces = [contour_segments(margins[..., c], 0.0, xs, ys) for c in range(margins.shape[-1])]
    return np.concatenate(pieces) if pieces else np.zeros((0, 2))


@dataclass(frozen=True, eq=False)
class Picture:
    """The heatmap ``image`` (RGBA bytes, ``image[i, j]`` the cell at ``(xs[i], ys[j])``) and the ``boundary``
    segments ``(2m, 2)`` (none for a regression) of one grid, drawn with ``discretize`` over ``value_range``."""

    image: np.ndarray
    boundary: np.ndarray
    discretize: bool
    value_range: tuple[float, float]


@dataclass(frozen=True, eq=False)
class PointColours:
    """RGBA bytes ``(n, 4)`` of the train and test points: their class's colour, or for a regression their target
    on the full-strength value scale over the frame's value range."""

    train: np.ndarray
    test: np.ndarray


@dataclass(frozen=True, eq=False)
class DecisionFrame:
    """A snapshot's decision plot, ready to draw.

    ``picture`` is None when the grid is not finite (a diverged model: the last picture stays).
    ``value_range`` is the colour scale: [0, 1] for a binary output, `colours.value_range` of the targets for a
    regression (the colour bar's levels). ``train_wrong`` / ``test_wrong`` are the positions ``(m, 2)`` of the
    misclassified points. ``points`` their colours, made again only when the data changes (the same object
    until then)."""

    picture: Picture | None
    value_range: tuple[float, float]
    train_wrong: np.ndarray
    test_wrong: np.ndarray
    points: PointColours


def problem_value_range(problem: Problem, train_y: np.ndarray, test_y: np.ndarray) -> tuple[float, float]:
    """The colour scale of ``problem``'s output: [0, 1], or for a regression `value_range` of all targets."""
    if problem.kind == "regression":
        return value_range(np.concatenate([train_y, test_y]))
    return BINARY_RANGE


def decision_picture(
    grid: np.ndarray,
    extent: tuple[float, float, float, float],
    problem: Problem,
    scale: tuple[float, float],
    discretize: bool,
) -> Picture | None:
    """The heatmap and boundaries of ``grid`` (``(n, n)``, or ``(n, n, k)`` probabilities for k classes) over
    ``extent``; None for a grid of the wrong shape or with a non-finite value."""
    grid = np.asarray(grid)
    kind = problem.kind
    if grid.ndim != (3 if kind == "multiclass" else 2) or not np.all(np.isfinite(grid)):
        return None
    image = class_image(grid, discretize) if kind == "multiclass" else value_image(grid, *scale, discretize)
    if kind == "regression":
        return Picture(image, NO_SEGMENTS, discretize, scale)
    xs, ys = cell_centres(extent, grid.shape[:2])
    if kind == "multiclass":
        boundary = class_boundaries(grid, xs, ys)
    else:
        boundary = contour_segments(grid, BOUNDARY_LEVEL, xs, ys)
    return Picture(image, boundary, discretize, scale)


def point_colours(
    problem: Problem, train_y: np.ndarray, test_y: np.ndarray, scale: tuple[float, float]
) -> PointColours:
    """Each point's colour: its class's (`CLASS_COLOURS`), or for a regression its target's on the value scale."""
    if problem.kind == "regression":
        return PointColours(value_colours(train_y, *scale), value_colours(test_y, *scale))
    palette = np.full((max(problem.classes, 1), 4), 255, dtype=np.uint8)
    palette[:, :3] = np.asarray(CLASS_COLOURS[: len(palette)], dtype=np.uint8)
    return PointColours(*(palette[np.asarray(y, dtype=int).reshape(-1)] for y in (train_y, test_y)))


def wrong_positions(x: np.ndarray, wrong: np.ndarray) -> np.ndarray:
    """The positions ``(m, 2)`` of the points flagged in ``wrong``."""
    return np.asarray(x)[np.asarray(wrong, dtype=bool)]
