"""Marching squares: the decision boundary's segments lie on the level curve and close into loops."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from minidl_gui.model.contour import cell_centres, contour_segments

EXTENT = (-6.0, 6.0, -6.0, 6.0)


def grid_of(function, n: int = 60) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys = cell_centres(EXTENT, (n, n))
    return function(xs[:, None], ys[None, :]), xs, ys


def ends_count(points: np.ndarray) -> Counter:
    return Counter(map(tuple, points))


def loops(points: np.ndarray) -> int:
    """How many connected pieces the segments form."""
    ends = [tuple(p) for p in points]
    parent = {end: end for end in ends}

    def root(end):
        while parent[end] != end:
            end = parent[end]
        return end

    for a, b in zip(ends[::2], ends[1::2], strict=True):
        parent[root(a)] = root(b)
    return len({root(end) for end in ends})


def test_a_circle_gives_a_closed_loop_on_the_circle():
    radius = 3.7
    grid, xs, ys = grid_of(lambda x, y: np.hypot(x, y))
    points = contour_segments(grid, radius, xs, ys)
    cell = xs[1] - xs[0]
    assert len(points) > 2 * 40 and len(points) % 2 == 0
    np.testing.assert_allclose(np.hypot(*points.T), radius, atol=cell)
    # A closed curve: every end is shared by exactly two segments (an open one would have two single ends).
    assert set(ends_count(points).values()) == {2}
    assert loops(points) == 1
    # and it goes all the way round.
    angles = np.sort(np.arctan2(points[:, 1], points[:, 0]))
    assert np.diff(np.concatenate([angles, angles[:1] + 2 * np.pi])).max() < 2 * cell / radius


def test_two_blobs_give_two_closed_loops_of_proper_segments():
    grid, xs, ys = grid_of(lambda x, y: np.minimum(np.hypot(x - 3, y), np.hypot(x + 3, y)))
    points = contour_segments(grid, 1.5, xs, ys)
    assert set(ends_count(points).values()) == {2}
    assert loops(points) == 2
    assert np.any(points[::2] != points[1::2], axis=1).all()  # no segment of zero length
    assert (points[:, 0] > 0).sum() == (points[:, 0] < 0).sum()  # symmetric: as many ends right as left


def test_a_plane_gives_a_straight_line_crossing_the_domain():
    grid, xs, ys = grid_of(lambda x, y: 0.5 + 0.1 * (x - 2 * y))
    points = contour_segments(grid, 0.5, xs, ys)
    np.testing.assert_allclose(points[:, 0] - 2 * points[:, 1], 0, atol=1e-12)  # linear: interpolation is exact
    # An open curve: its two ends lie on the border of the sampled domain, once each.
    singles = [point for point, count in ends_count(points).items() if count == 1]
    assert len(singles) == 2
    for x, y in singles:
        assert np.isclose(abs(x), xs[-1]) or np.isclose(abs(y), ys[-1])


def test_saddle_cells_resolved_by_the_centre():
    # f = x * y above 0 in two opposite quadrants; level slightly above 0 keeps them apart.
    grid = np.array([[1.0, 0.0], [0.0, 1.0]])
    xs = ys = np.array([0.0, 1.0])
    apart = contour_segments(grid, 0.6, xs, ys)  # centre 0.5 below: c0 and c2 cut off
    joined = contour_segments(grid, 0.4, xs, ys)  # centre 0.5 above: c1 and c3 cut off
    assert len(apart) == len(joined) == 4
    assert {tuple(np.round(p, 3)) for p in apart} == {(0.4, 0.0), (0.0, 0.4), (1.0, 0.6), (0.6, 1.0)}
    assert {tuple(np.round(p, 3)) for p in joined} == {(0.6, 0.0), (1.0, 0.4), (0.0, 0.6), (0.4, 1.0)}


def test_no_crossing_or_non_finite_values_give_no_segments():
    grid, xs, ys = grid_of(lambda x, y: x * 0 + y * 0 + 0.9)
    assert contour_segments(grid, 0.5, xs, ys).shape == (0, 2)
    grid[:, :] = np.nan
    assert contour_segments(grid, 0.5, xs, ys).shape == (0, 2)


def test_a_grid_not_matching_its_axes_is_refused():
    with pytest.raises(ValueError, match="does not match"):
        contour_segments(np.zeros((3, 4)), 0.5, np.arange(4), np.arange(4))
