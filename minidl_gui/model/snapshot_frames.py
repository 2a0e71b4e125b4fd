"""`FrameMaker`: a session's render frames (`decision_frame`, `curves_frame`, `network_frame`) for each snapshot,
made on the worker thread, reusing what did not change.

A frame part whose inputs are those of the last snapshot is that snapshot's object again — the same image,
segments, curves, link groups — so it costs the worker nothing, and the views, which compare by identity, do
not set an item whose data did not change: the points' colours are made again only for new data
(``data_version``), the diagram's geometry only for a new architecture or new features.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from minidl.problem import Problem
from minidl_gui.model.curves_frame import CurvesFrame, curves_frame
from minidl_gui.model.decision_frame import (
    DecisionFrame,
    Picture,
    PointColours,
    decision_picture,
    point_colours,
    problem_value_range,
    wrong_positions,
)
from minidl_gui.model.history import History
from minidl_gui.model.network_frame import NetworkFrame, network_frame
from minidl_gui.model.network_layout import MAX_NEURONS
from minidl_gui.model.snapshot import Points
from minidl_gui.model.view_options import ViewOptions


class FrameMaker:
    """Makes the frames of one session's snapshots, remembering the last inputs and outputs of each."""

    def __init__(self, max_neurons: int = MAX_NEURONS) -> None:
        self.max_neurons = max_neurons
        self._points: tuple[tuple[int, Problem], tuple[float, float], PointColours] | None = None
        self._picture: tuple[np.ndarray, tuple, Picture | None] | None = None
        self._curves: CurvesFrame | None = None
        self._network: NetworkFrame | None = None

    def decision(
        self,
        grid: np.ndarray,
        extent: tuple[float, float, float, float],
        problem: Problem,
        data_version: int,
        points: tuple[Points, Points],
        wrong: tuple[np.ndarray, np.ndarray],
        options: ViewOptions,
    ) -> DecisionFrame:
        """The decision plot's frame; the picture is the last one for the same grid, extent, problem and options,
        the points' colours the last ones for the same data and problem."""
        train, test = points
        key = (data_version, problem)
        if self._points is None or self._points[0] != key:
            scale = problem_value_range(problem, train.y, test.y)
            self._points = (key, scale, point_colours(problem, train.y, test.y, scale))
        _, scale, colours = self._points
        picture_key = (tuple(extent), problem, scale, options.discretize)
        last = self._picture
        if last is None or last[1] != picture_key or not _same(last[0], grid):
            self._picture = (grid, picture_key, decision_picture(grid, extent, problem, scale, options.discretize))
        return DecisionFrame(
            picture=self._picture[2],
            value_range=scale,
            train_wrong=wrong_positions(train.x, wrong[0]),
            test_wrong=wrong_positions(test.x, wrong[1]),
            points=colours,
        )

    def curves(self, history: History, problem: Problem) -> CurvesFrame:
        """The curves' frame of ``history`` (the last one while the history did not change)."""
        regression = problem.kind == "regression"
        if self._curves is None or self._curves.regression != regression or not self._curves.matches(history):
            self._curves = curves_frame(history, regression)
        return self._curves

    def network(self, weights: dict[str, np.ndarray], features: Sequence[str]) -> NetworkFrame | None:
        """The diagram's frame; its layout, link groups and shades are the last ones where they did not change."""
        last = self._network
        frame = network_frame(weights, features, self.max_neurons, None if last is None else last.layout)
        if frame is None:
            return None
        if last is not None and last.layout is frame.layout:
            if np.array_equal(last.groups, frame.groups):  # the usual case: no link changed its group
                links, groups = last.links, last.groups
            else:
                links = {key: _kept(last.links[key], ends) for key, ends in frame.links.items()}
                groups = frame.groups
            frame = NetworkFrame(frame.layout, links, _kept(last.shades, frame.shades), groups)
        self._network = frame
        return frame


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal arrays, NaN equal to NaN (a grid the same as the last one)."""
    return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=True))


def _kept(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """``old`` if it equals ``new`` (the view then sees the same object and sets nothing), else ``new``."""
    return old if _same(old, new) else new
