"""Marching squares in numpy: the segments of a grid's level curve (the decision boundary at 0.5).

For each cell of the grid (four neighbouring samples) the corners above ``level`` pick one of 16
cases; each case cuts the cell with 0, 1 or 2 segments whose ends lie on the cell's edges, where the
level is found by linear interpolation between the edge's two samples,
``t = (level - f_a) / (f_b - f_a)``. The two saddle cases (opposite corners above) are resolved by
the mean of the four corners, the cell centre's estimate. An edge's crossing point is computed once
and shared by the two cells on either side, so the segments of a closed curve meet exactly: each
end of an inner segment is the end of exactly one other segment.
"""

from __future__ import annotations

import numpy as np

# Corners of cell (i, j): c0 = (i, j), c1 = (i+1, j), c2 = (i+1, j+1), c3 = (i, j+1), bit k set when
# corner ck is above the level. Edges: e0 = c0–c1, e1 = c1–c2, e2 = c3–c2, e3 = c0–c3.
_NONE = (-1, -1)
_CASES: dict[int, tuple[tuple[int, int], tuple[int, int]]] = {
    0: (_NONE, _NONE),
    1: ((3, 0), _NONE),
    2: ((0, 1), _NONE),
    3: ((3, 1), _NONE),
    4: ((1, 2), _NONE),
    5: ((3, 0), (1, 2)),  # c0, c2 above, centre below: cut off c0 and c2
    6: ((0, 2), _NONE),
    7: ((3, 2), _NONE),
    8: ((2, 3), _NONE),
    9: ((0, 2), _NONE),
    10: ((0, 1), (2, 3)),  # c1, c3 above, centre below: cut off c1 and c3
    11: ((1, 2), _NONE),
    12: ((3, 1), _NONE),
    13: ((0, 1), _NONE),
    14: ((3, 0), _NONE),
    15: (_NONE, _NONE),
    16: ((0, 1), (2, 3)),  # case 5 with the centre above: c0 and c2 joined, cut off c1 and c3
    17: ((3, 0), (1, 2)),  # case 10 with the centre above: c1 and c3 joined, cut off c0 and c2
}
_TABLE = np.array([_CASES[case] for case in range(len(_CASES))])
"""``_TABLE[case, segment] = (edge_a, edge_b)``, -1 for no segment."""


def cell_centres(extent: tuple[float, float, float, float], shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The centres ``(xs, ys)`` of a ``shape`` grid of equal cells covering ``extent`` ``(x0, x1, y0, y1)``."""
    x0, x1, y0, y1 = extent
    nx, ny = shape
    return x0 + (np.arange(nx) + 0.5) * (x1 - x0) / nx, y0 + (np.arange(ny) + 0.5) * (y1 - y0) / ny


def _crossings(low: np.ndarray, high: np.ndarray, a: np.ndarray, b: np.ndarray, level: float) -> np.ndarray:
    """Where ``level`` lies between samples ``a`` at ``low`` and ``b`` at ``high`` (NaN where both are on one side)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (level - a) / (b - a)
    return low + t * (high - low)


def contour_segments(grid: np.ndarray, level: float, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The level curve ``grid == level`` as segments: an ``(2 m, 2)`` array of points, rows ``2k`` and
    ``2k + 1`` the ends of segment ``k`` (what ``connect="pairs"`` draws).

    ``grid[i, j]`` is the value at ``(xs[i], ys[j])``; cells with a non-finite corner are skipped.
    """
    grid = np.asarray(grid, dtype=float)
    if grid.ndim != 2 or grid.shape != (len(xs), len(ys)):
        raise ValueError(f"grid of shape {grid.shape} does not match {len(xs)} x values and {len(ys)} y values")
    if min(grid.shape) < 2:
        return np.zeros((0, 2))
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    above = grid > level
    c0, c1, c2, c3 = grid[:-1, :-1], grid[1:, :-1], grid[1:, 1:], grid[:-1, 1:]
    case = (
        above[:-1, :-1].astype(np.int8)
        | above[1:, :-1].astype(np.int8) << 1
        | above[1:, 1:].astype(np.int8) << 2
        | above[:-1, 1:].astype(np.int8) << 3
    )
    centre_above = (c0 + c1 + c2 + c3) / 4 > level
    case[(case == 5) & centre_above] = 16
    case[(case == 10) & centre_above] = 17
    finite = np.isfinite(c0) & np.isfinite(c1) & np.isfinite(c2) & np.isfinite(c3)
    case[~finite] = 0
    cells = np.nonzero((case != 0) & (case != 15))
    if not len(cells[0]):
        return np.zeros((0, 2))
    i, j = cells
    # Crossings on the horizontal edges (i, j)–(i+1, j) and the vertical ones (i, j)–(i, j+1).
    horizontal_x = _crossings(xs[:-1, None], xs[1:, None], grid[:-1, :], grid[1:, :], level)
    vertical_y = _crossings(ys[None, :-1], ys[None, 1:], grid[:, :-1], grid[:, 1:], level)
    edges = np.empty((len(i), 4, 2))
    edges[:, 0] = np.column_stack([horizontal_x[i, j], ys[j]])
    edges[:, 1] = np.column_stack([xs[i + 1], vertical_y[i + 1, j]])
    edges[:, 2] = np.column_stack([horizontal_x[i, j + 1], ys[j + 1]])
    edges[:, 3] = np.column_stack([xs[i], vertical_y[i, j]])
    pairs = _TABLE[case[cells]]  # (cells, 2 segments, 2 edges)
    has = pairs[:, :, 0] >= 0
    cell_index = np.broadcast_to(np.arange(len(i))[:, None], has.shape)[has]
    ends = pairs[has]  # (segments, 2)
    segments = edges[cell_index[:, None], ends]  # (segments, 2 ends, 2 coordinates)
    return segments.reshape(-1, 2)
