"""`SnapshotBudget`: the worker's interval between snapshots from their preparation times, fed numbers."""

from __future__ import annotations

import math

import pytest

from minidl_gui.model.snapshot_budget import SMOOTHING, WORKER_SHARE, SnapshotBudget


def test_before_any_snapshot_the_requested_interval_stands():
    assert SnapshotBudget().interval(0.04) == 0.04 and SnapshotBudget().preparation is None


def test_the_interval_is_the_request_or_the_preparation_over_the_share_whichever_is_longer():
    assert WORKER_SHARE == 0.05
    budget = SnapshotBudget()
    budget.record(0.001)  # 1 ms: 20 ms would do, the window's 40 ms stand
    assert budget.interval(0.04) == 0.04
    budget = SnapshotBudget()
    budget.record(0.004)  # 4 ms: 80 ms keep it at 5 %
    assert budget.interval(0.04) == pytest.approx(0.08)
    assert budget.interval(0.5) == 0.5


def test_the_preparation_is_a_moving_average_so_one_slow_snapshot_does_not_dominate():
    budget = SnapshotBudget()
    budget.record(0.002)
    budget.record(0.042)  # a garbage collection
    assert budget.preparation == pytest.approx(0.002 + SMOOTHING * 0.040) == pytest.approx(0.012)
    for _ in range(40):
        budget.record(0.002)
    assert budget.preparation == pytest.approx(0.002, rel=1e-4)
    assert budget.interval(0.01) == pytest.approx(0.04, rel=1e-4)


def test_a_requested_zero_asks_for_every_snapshot_whatever_they_cost():
    budget = SnapshotBudget()
    budget.record(1.0)
    assert budget.interval(0.0) == 0.0 and budget.interval(0.001) == pytest.approx(20.0)


def test_meaningless_times_are_ignored():
    budget = SnapshotBudget()
    for seconds in (-1.0, math.nan, math.inf):
        budget.record(seconds)
    assert budget.preparation is None
    budget.record(0.01)
    budget.record(math.nan)
    assert budget.preparation == 0.01


def test_other_shares_and_smoothings_and_their_limits():
    budget = SnapshotBudget(share=0.1, smoothing=1.0)
    budget.record(0.01)
    budget.record(0.03)
    assert budget.preparation == 0.03 and budget.interval(0.0001) == pytest.approx(0.3)
    for share, smoothing in ((0.0, 0.5), (1.5, 0.5), (0.05, 0.0), (0.05, 1.1)):
        with pytest.raises(ValueError):
            SnapshotBudget(share=share, smoothing=smoothing)
