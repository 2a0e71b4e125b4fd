"""The app responsiveness benchmark runs headless in a tiny mode and gives a sane, complete result.

No timing is asserted here: whether the targets are met is for ``python -m bench --app`` to say.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from bench.app_responsiveness import (
    Mark,
    Throughput,
    bench_config,
    cases,
    format_app_table,
    measure,
)

pytestmark = pytest.mark.usefixtures("qapp")


def test_throughput_counts_whole_epochs_between_two_marks() -> None:
    first, last = Mark(time=1.0, epoch=3, loop_seconds=0.5), Mark(time=3.0, epoch=7, loop_seconds=1.5)
    throughput = Throughput.between(first, last, steps_per_epoch=10)
    assert (throughput.epochs, throughput.steps) == (4, 40)
    assert throughput.steps_per_second == 20.0 and throughput.loop_steps_per_second == 40.0
    assert (throughput + throughput).steps_per_second == 20.0
    with pytest.raises(RuntimeError, match="no epoch finished"):
        Throughput.between(first, first, steps_per_epoch=10)


def test_loop_only_speed_counts_the_steps_of_the_epochs_its_loop_seconds_cover() -> None:
    """A mark mid-epoch counts the done share of the epoch in progress, but the loop's seconds only reach the last
    epoch's end: the loop-only speed divides the steps of whole epochs 3 → 5 (20) by their 1.0 loop seconds."""
    first = Mark(time=1.0, epoch=3.2, loop_seconds=0.3, loop_epochs=3)
    last = Mark(time=2.0, epoch=5.9, loop_seconds=1.3, loop_epochs=5)
    throughput = Throughput.between(first, last, steps_per_epoch=10)
    assert math.isclose(throughput.steps, 27.0) and math.isclose(throughput.steps_per_second, 27.0)
    assert math.isclose(throughput.loop_steps_per_second, 20.0)
    assert math.isclose((throughput + throughput).loop_steps_per_second, 20.0)


def test_bench_config_changes_only_the_batch_size_epochs_and_points() -> None:
    config = bench_config(100, n_points=40)
    assert config.training.batch_size == 100 and config.training.max_epochs >= 100_000
    assert (config.data.n_train, config.data.n_test) == (40, 40)
    assert config.training.optimizer == "adam"


def test_the_app_is_measured_while_it_trains_and_the_table_names_every_target() -> None:
    measurement = measure(bench_config(20, n_points=60), seconds=1.0)
    app = measurement.app
    assert app.lateness.ticks > 0 and app.idle.ticks > 0
    for lateness in (app.lateness, app.idle):
        assert lateness.p50 <= lateness.p99 <= lateness.max
        assert lateness.p50 > -5  # an interval is never negative
    assert len(app.slot_ms) == app.redraws and np.all(app.slot_ms >= 0)
    assert app.throughput.epochs >= 1 and app.throughput.steps == 3 * app.throughput.epochs
    assert measurement.headless.epochs >= 1 and measurement.headless.steps == 3 * measurement.headless.epochs
    assert math.isfinite(measurement.ratio) and measurement.ratio > 0
    assert app.ui_cpu >= 0 and app.process_cpu >= 0
    assert app.interval is not None and 0.04 <= app.interval <= 1.0  # the window's redraw budget asked for it
    table = format_app_table([measurement, measurement])
    for text in ("p99", "max", "redraws per second", "app / headless", "<= 8", "<= 16", ">= 20", ">= 80%"):
        assert text in table, text
    assert "UI thread CPU" in table and "<= 0.25" in table
    verdicts = table.count("pass") + table.count("MISS")
    assert verdicts == 2 * 5  # five targets, two columns


def test_the_cases_are_batch_1_batch_100_and_a_wide_deep_network_at_batch_1000() -> None:
    labels, configs = zip(*cases(), strict=True)
    assert [c.training.batch_size for c in configs] == [1, 100, 1000]
    assert [len(c.network.hidden) for c in configs[:2]] == [3, 3]
    assert configs[2].network.hidden == tuple(configs[2].network.hidden[:1]) * 8
    assert configs[2].network.hidden[0].width == 256
    assert len(set(labels)) == 3
