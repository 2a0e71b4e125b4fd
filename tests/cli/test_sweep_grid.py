"""``minidl sweep``'s configurations: the grid of the varied values, a seeded random sample, each run's flags."""

from __future__ import annotations

import pytest

from minidl.cli.sweep_grid import (
    Configuration,
    PlannedRun,
    Variation,
    configuration_at,
    grid,
    grid_size,
    plan,
    random_sample,
)

LR = Variation("--lr", ("0.1", "0.01"))
HIDDEN = Variation("--hidden", ("4", "8", "4,4"))
NESTEROV = Variation("--nesterov", ("on", "off"), switch=True)


def test_the_grid_is_every_combination_the_last_flag_fastest() -> None:
    labels = [configuration.label for configuration in grid([LR, HIDDEN])]
    assert labels == [
        "lr=0.1 hidden=4",
        "lr=0.1 hidden=8",
        "lr=0.1 hidden=4,4",
        "lr=0.01 hidden=4",
        "lr=0.01 hidden=8",
        "lr=0.01 hidden=4,4",
    ]
    assert grid_size([LR, HIDDEN]) == 6


def test_no_variation_is_one_configuration_labelled_dash() -> None:
    assert [c.label for c in grid([])] == ["-"] and grid_size([]) == 1
    assert Configuration(()).argv() == []


def test_configuration_at_reads_the_grid_without_walking_it() -> None:
    variations = [LR, HIDDEN, NESTEROV]
    assert [configuration_at(variations, i) for i in range(grid_size(variations))] == list(grid(variations))


def test_a_configuration_gives_its_values_and_train_flags_a_switch_only_when_on() -> None:
    on, off = Configuration(((LR, "0.1"), (NESTEROV, "on"))), Configuration(((LR, "0.1"), (NESTEROV, "off")))
    assert on.argv() == ["--lr", "0.1", "--nesterov"]
    assert off.argv() == ["--lr", "0.1"]
    assert on.values == {"--lr": "0.1", "--nesterov": "on"}


def test_a_random_sample_is_distinct_configurations_of_the_grid_in_grid_order() -> None:
    variations = [LR, HIDDEN, NESTEROV, Variation("--batch-size", ("1", "2", "4", "8", "16"))]
    everything = list(grid(variations))
    sample = random_sample(variations, 7, seed=3)
    assert len(sample) == len(set(sample)) == 7
    assert all(configuration in everything for configuration in sample)
    assert [everything.index(c) for c in sample] == sorted(everything.index(c) for c in sample)


def test_the_same_sample_seed_draws_the_same_sample_another_seed_another() -> None:
    variations = [LR, HIDDEN, Variation("--epochs", tuple(map(str, range(1, 21))))]
    assert random_sample(variations, 5, seed=1) == random_sample(variations, 5, seed=1)
    assert random_sample(variations, 5, seed=1) != random_sample(variations, 5, seed=2)


@pytest.mark.parametrize("count", [6, 100])
def test_a_sample_as_large_as_the_grid_is_the_whole_grid(count: int) -> None:
    assert random_sample([LR, HIDDEN], count, seed=0) == list(grid([LR, HIDDEN]))


def test_a_sample_of_a_huge_grid_is_drawn_without_building_it() -> None:
    variations = [Variation(f"--flag{i}", tuple(map(str, range(10)))) for i in range(12)]  # 10**12 configurations
    sample = random_sample(variations, 3, seed=0)
    assert len({c.label for c in sample}) == 3


def test_the_plan_runs_every_configuration_seed_by_seed_with_the_sweeps_flags() -> None:
    configurations = list(grid([LR]))
    runs = plan(configurations, [5, 7], ["--epochs", "3"])
    assert [run.key for run in runs] == [("lr=0.1", 5), ("lr=0.01", 5), ("lr=0.1", 7), ("lr=0.01", 7)]
    assert runs[0].argv() == ["--epochs", "3", "--lr", "0.1", "--seed", "5", "--json", "--quiet"]
    assert isinstance(runs[0], PlannedRun)
