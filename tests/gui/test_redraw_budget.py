"""`RedrawBudget`: the interval between snapshots that keeps the frames' share at most `FRAME_SHARE`; `SideBudget`: what
the side views get of `UI_SHARE` when the rest of the UI thread's work is counted (numbers only)."""

from __future__ import annotations

import math

import pytest

from minidl_gui.model.redraw_budget import (
    FRAME_SHARE,
    MAX_INTERVAL,
    MIN_INTERVAL,
    SIDE_SHARE,
    UI_SHARE,
    RedrawBudget,
    SideBudget,
)


def test_before_any_frame_the_interval_is_the_shortest() -> None:
    assert RedrawBudget().interval == MIN_INTERVAL


def test_the_ui_share_target_is_at_most_a_fifth_of_a_core() -> None:
    assert 0 < UI_SHARE <= 0.2


def test_the_frames_leave_the_side_views_their_least_share_of_the_ui_thread() -> None:
    assert 0 < SIDE_SHARE < UI_SHARE
    assert math.isclose(FRAME_SHARE + SIDE_SHARE, UI_SHARE)
    budget = RedrawBudget()
    budget.frame(cpu=0.017, wall=0.1)
    assert budget.interval == pytest.approx(0.017 / FRAME_SHARE)


def test_a_frame_costing_cpu_seconds_gets_cpu_over_share_seconds() -> None:
    budget = RedrawBudget(share=0.2)
    assert budget.frame(cpu=0.03, wall=0.05) == pytest.approx(0.15)
    assert budget.busy == pytest.approx(0.6)
    budget.frame(cpu=0.03, wall=0.15)  # at that interval the UI thread is busy 20 % of the time
    assert budget.busy == pytest.approx(0.2)
    assert budget.interval == pytest.approx(0.15)


def test_the_interval_is_clamped_both_ways() -> None:
    cheap, dear = RedrawBudget(), RedrawBudget()
    cheap.frame(cpu=0.0001, wall=0.04)
    dear.frame(cpu=5.0, wall=6.0)
    assert cheap.interval == MIN_INTERVAL
    assert dear.interval == MAX_INTERVAL


def test_the_cost_is_smoothed_one_dear_frame_moves_it_only_part_way() -> None:
    budget = RedrawBudget(share=0.1, smoothing=0.5)
    for _ in range(20):
        budget.frame(cpu=0.005, wall=0.05)
    assert budget.interval == pytest.approx(0.05)
    budget.frame(cpu=0.05, wall=0.05)  # one frame ten times dearer
    weight = 1 - math.exp(-0.05 / 0.5)
    assert budget.cost == pytest.approx(0.005 + weight * 0.045)
    assert 0.05 < budget.interval < 0.1


def test_a_long_frame_weighs_more_than_a_short_one() -> None:
    short, long = RedrawBudget(smoothing=0.5), RedrawBudget(smoothing=0.5)
    for budget in (short, long):
        budget.frame(cpu=0.01, wall=0.1)
    short.frame(cpu=0.02, wall=0.05)
    long.frame(cpu=0.02, wall=2.0)
    assert short.cost < long.cost
    assert long.cost == pytest.approx(0.02, rel=0.02)  # four time constants: nearly all the new frame


def test_a_steady_load_converges_to_the_interval_that_holds_the_share() -> None:
    """Frames of 8 ms plus background work at 5 % of a core: following the interval it asks, the UI thread
    ends up busy exactly `share` of the time."""
    budget = RedrawBudget(share=0.15)
    interval = budget.interval
    for _ in range(200):
        interval = budget.frame(cpu=0.008 + 0.05 * interval, wall=interval)
    assert interval == pytest.approx(0.008 / (0.15 - 0.05), rel=1e-3)
    assert budget.busy == pytest.approx(0.15, rel=1e-3)


@pytest.mark.parametrize(("cpu", "wall"), [(math.nan, 0.1), (0.01, math.inf), (-0.01, 0.1), (0.01, 0.0)])
def test_a_broken_sample_is_ignored(cpu: float, wall: float) -> None:
    budget = RedrawBudget(share=0.2)
    budget.frame(cpu=0.02, wall=0.1)
    assert budget.frame(cpu=cpu, wall=wall) == pytest.approx(0.1)


def test_reset_forgets_the_cost() -> None:
    budget = RedrawBudget()
    budget.frame(cpu=0.5, wall=1.0)
    budget.reset()
    assert budget.interval == MIN_INTERVAL and budget.cost is None


@pytest.mark.parametrize("kwargs", [{"share": 0}, {"share": 1.5}, {"min_interval": 0}, {"max_interval": 0.01}])
def test_nonsense_settings_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        RedrawBudget(**kwargs)


def test_the_side_views_get_what_the_other_work_leaves_of_the_ui_share() -> None:
    budget = SideBudget(total=0.2, least=0.03)
    assert budget.share == pytest.approx(0.2)  # nothing else measured yet
    budget.record(cpu=0.012, wall=0.1)  # frames and the rest: 12 % of a core
    assert budget.other == pytest.approx(0.12)
    assert budget.share == pytest.approx(0.08)
    assert budget.period(0.02) == pytest.approx(0.25)  # 20 ms of side views every 0.25 s: 8 % of a core


def test_the_side_views_keep_their_least_share_however_busy_the_ui_thread_is() -> None:
    budget = SideBudget(total=0.2, least=0.03)
    budget.record(cpu=0.5, wall=1.0)
    assert budget.share == pytest.approx(0.03)
    assert budget.period(0.03) == pytest.approx(1.0)


def test_the_other_work_is_a_time_weighted_moving_average() -> None:
    budget = SideBudget(total=0.2, least=0.03, smoothing=0.5)
    budget.record(cpu=0.01, wall=0.1)  # 10 %
    budget.record(cpu=0.015, wall=0.05)  # 30 % for a short while
    weight = 1 - math.exp(-0.05 / 0.5)
    assert budget.other == pytest.approx(0.1 + weight * 0.2)
    budget.record(cpu=0.2, wall=4.0)  # 5 % for eight time constants: nearly all of it
    assert budget.other == pytest.approx(0.05, abs=1e-3)


@pytest.mark.parametrize(("cpu", "wall"), [(math.nan, 0.1), (0.01, math.inf), (-0.01, 0.1), (0.01, 0.0)])
def test_a_broken_sample_of_the_other_work_is_ignored(cpu: float, wall: float) -> None:
    budget = SideBudget(total=0.2, least=0.03)
    budget.record(cpu=0.01, wall=0.1)
    budget.record(cpu=cpu, wall=wall)
    assert budget.other == pytest.approx(0.1)


@pytest.mark.parametrize(("total", "least"), [(0.2, 0.0), (0.2, 0.3), (1.5, 0.1)])
def test_a_side_budget_needs_a_least_share_within_the_total(total: float, least: float) -> None:
    with pytest.raises(ValueError, match="least"):
        SideBudget(total=total, least=least)
