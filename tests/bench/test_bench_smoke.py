"""The benchmark code runs, and what it compares is comparable: same weights, same data, same losses.

No timing is asserted here: speed is measured by ``python -m bench`` only.
"""

from __future__ import annotations

import pytest
import torch

from bench.end_to_end import REPORT_RUNS, format_run_table, time_run
from bench.models import OPTIMIZERS, make_twins, report_data
from bench.step_timing import batches, format_step_table, measure, minidl_step, torch_step
from minidl.experiments import REPORT_INIT, REPORT_INIT_STD


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_twins_start_from_identical_weights_and_follow_the_same_losses(optimizer: str) -> None:
    twins = make_twins(optimizer)
    theirs = twins.net.state_dict()
    for name, ours in twins.model.state_dict().items():
        assert torch.equal(ours, theirs[name]), name
    ours_step, torch_step_ = minidl_step(twins), torch_step(twins)
    for x, y in batches(*report_data(30), batch_size=10):
        torch.testing.assert_close(ours_step(x, y), torch_step_(x, y).detach())


def test_step_timing_runs_in_a_tiny_mode() -> None:
    timing = measure("adam", batch_size=5, rounds=1, steps=2, n=10)
    assert min(timing.torch_us, timing.minidl_us, timing.trainer_us) > 0
    assert "adam" in format_step_table([timing])


def test_end_to_end_runs_in_a_tiny_mode_and_labels_extrapolation() -> None:
    timing = time_run(REPORT_RUNS[1], epochs=2, n=10)
    assert timing.minidl_seconds > 0 and timing.torch_seconds > 0
    assert 0.0 <= timing.minidl_accuracy <= 1.0
    assert "extrapolated" in format_run_table([timing])


def test_twins_start_from_the_reports_init() -> None:
    """N(0, 1) weights and biases (the report's runs), not torch's default uniform init."""
    assert (REPORT_INIT, REPORT_INIT_STD) == ("normal", 1.0)
    values = torch.cat([p.flatten() for p in make_twins("sgd").model.state_dict().values()])
    assert values.abs().max() > 1.5  # torch's default init keeps every weight below 1 / sqrt(fan_in) <= 0.71
    assert 0.8 < values.std().item() < 1.2
