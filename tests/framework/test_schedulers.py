"""Learning-rate schedulers against torch.optim.lr_scheduler over 30 epochs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch

import minidl

EPOCHS = 30

CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "step": ("StepLR", {"step_size": 7, "gamma": 0.5}),
    "step_every_epoch": ("StepLR", {"step_size": 1}),
    "exponential": ("ExponentialLR", {"gamma": 0.9}),
    "cosine": ("CosineAnnealingLR", {"T_max": 30}),
    "cosine_restarting_with_floor": ("CosineAnnealingLR", {"T_max": 8, "eta_min": 0.001}),
}


def lrs(make_optimizer: Callable[[float], Any], scheduler_class: type, lr: float, **kwargs: Any) -> list[float]:
    """The learning rate of the optimizer before each of ``EPOCHS`` epochs (``scheduler.step()`` after each)."""
    optimizer = make_optimizer(lr)
    scheduler = scheduler_class(optimizer, **kwargs)
    read = (
        (lambda: optimizer.param_groups[0]["lr"])
        if isinstance(optimizer, torch.optim.Optimizer)
        else (lambda: optimizer.lr)
    )
    values = []
    for _ in range(EPOCHS):
        values.append(read())
        optimizer.step()
        scheduler.step()
    return values


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_scheduler_matches_torch_over_30_epochs(case: str, optimizer: str) -> None:
    name, kwargs = CASES[case]
    layer = minidl.Linear(2, 1)
    ours = lrs(lambda lr: getattr(minidl, optimizer)(layer.param(), lr=lr), getattr(minidl, name), 0.1, **kwargs)
    weight = torch.zeros(1, requires_grad=True)
    theirs = lrs(
        lambda lr: getattr(torch.optim, optimizer)([weight], lr=lr),
        getattr(torch.optim.lr_scheduler, name),
        0.1,
        **kwargs,
    )
    torch.testing.assert_close(
        torch.tensor(ours, dtype=torch.float64), torch.tensor(theirs, dtype=torch.float64), rtol=1e-12, atol=1e-15
    )
    assert len(set(ours)) > 1


def test_cosine_annealing_reaches_eta_min_at_t_max_and_comes_back() -> None:
    optimizer = minidl.SGD(minidl.Linear(2, 1).param(), lr=1.0)
    scheduler = minidl.CosineAnnealingLR(optimizer, T_max=4, eta_min=0.1)
    seen = []
    for _ in range(8):
        scheduler.step()
        seen.append(optimizer.lr)
    assert seen[3] == pytest.approx(0.1) and seen[7] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [("StepLR", {"step_size": 0}, "Invalid step_size: 0"), ("CosineAnnealingLR", {"T_max": 0}, "Invalid T_max: 0")],
)
def test_bad_scheduler_arguments_are_refused(name: str, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        getattr(minidl, name)(minidl.SGD(minidl.Linear(2, 1).param(), lr=0.1), **kwargs)
