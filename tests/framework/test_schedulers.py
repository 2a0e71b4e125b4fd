"""Learning-rate schedulers against torch.optim.lr_scheduler over 30 epochs."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch import Tensor

import minidl
from minidl.training import StopRules, Trainer
from tests.framework.torch_oracle import F64

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


# -- the schedule owns the rate: base_lr × factor(epoch), in force from the very next step ------------------
LIVE_CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "exponential": ("ExponentialLR", {"gamma": 0.5}),
    "step": ("StepLR", {"step_size": 2, "gamma": 0.5}),
    "cosine": ("CosineAnnealingLR", {"T_max": 5, "eta_min": 0.001}),
}
CLOSED_FORMS: dict[str, Callable[..., float]] = {
    "ExponentialLR": lambda base, t, gamma: base * gamma**t,
    "StepLR": lambda base, t, step_size, gamma: base * gamma ** (t // step_size),
    "CosineAnnealingLR": lambda base, t, T_max, eta_min: (  # noqa: N803
        eta_min + (base - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2
    ),
}


def torch_closed_form(name: str, kwargs: dict[str, Any], base_lr: float, epoch: int) -> float:
    """torch.optim.lr_scheduler's closed-form rate of the schedule ``name`` at ``epoch`` from ``base_lr``."""
    optimizer = torch.optim.SGD([torch.zeros(1, dtype=torch.float64, requires_grad=True)], lr=base_lr)
    scheduler = getattr(torch.optim.lr_scheduler, name)(optimizer, **kwargs)
    scheduler.last_epoch = epoch
    return scheduler._get_closed_form_lr()[0]


def expected_rates(case: str, bases: list[float]) -> Tensor:
    """The rate of epoch t + 1 (trained after t steps) from the base rate ``bases[t]``: the closed form in float64,
    checked against torch's."""
    name, kwargs = LIVE_CASES[case]
    ours = [CLOSED_FORMS[name](base, t, **kwargs) for t, base in enumerate(bases)]
    theirs = [torch_closed_form(name, kwargs, base, t) for t, base in enumerate(bases)]
    torch.testing.assert_close(torch.tensor(ours, dtype=F64), torch.tensor(theirs, dtype=F64), rtol=1e-12, atol=0.0)
    return torch.tensor(ours, dtype=F64)


def scheduled_trainer(case: str, lr: float = 0.01, epochs: int = 5) -> Trainer:
    name, kwargs = LIVE_CASES[case]
    model = minidl.mlp(2, (4,), 1, seed=0)
    optimizer = minidl.SGD(model.param(), lr=lr)
    scheduler = getattr(minidl, name)(optimizer, **kwargs)
    data = minidl.data.make_disc(20, seed=0)
    return Trainer(
        model, minidl.MSELoss(), optimizer, data, batch_size=5, scheduler=scheduler, stop=StopRules(epochs), seed=0
    )


def assert_rates(found: list[float], expected: Tensor) -> None:
    torch.testing.assert_close(torch.tensor(found, dtype=F64), expected, rtol=1e-12, atol=0.0)


@pytest.mark.parametrize("case", list(LIVE_CASES))
def test_a_new_base_rate_mid_run_is_scheduled_from_the_very_next_epoch(case: str) -> None:
    """The issue's bug: lr 0.01 → 0.02 after epoch 3 of an exponential schedule (gamma 0.5) trained epoch 4 at 0.02,
    undecayed, then dropped to 0.00125. Epoch 4 must train at 0.02 · 0.5³ = 0.0025, epoch 5 at 0.00125."""
    trainer = scheduled_trainer(case)
    epochs = trainer.run()
    first = [next(epochs).lr for _ in range(3)]
    trainer.scheduler.base_lr = 0.02
    expected = expected_rates(case, [0.01] * 3 + [0.02] * 2)
    assert trainer.optimizer.lr == pytest.approx(expected[3].item(), rel=1e-12)  # in force at once
    assert_rates(first + [result.lr for result in epochs], expected)
    if case == "exponential":
        assert expected[3:].tolist() == pytest.approx([0.0025, 0.00125], rel=1e-12)


@pytest.mark.parametrize("case", list(LIVE_CASES))
def test_a_schedule_moved_to_epoch_k_puts_its_rate_in_force_at_once(case: str) -> None:
    """A schedule (re)built mid-run, as the app does when its settings change, starts at the run's epoch k."""
    trainer = scheduled_trainer(case, lr=0.02)
    trainer.epoch = trainer.scheduler.last_epoch = 3
    assert trainer.optimizer.lr == pytest.approx(expected_rates(case, [0.02] * 4)[3].item(), rel=1e-12)
    epochs = [result.lr for result in trainer.run()]
    assert_rates(epochs, expected_rates(case, [0.02] * 5)[3:5])


@pytest.mark.parametrize("case", list(LIVE_CASES))
def test_a_loaded_schedule_puts_its_rate_in_force_at_once(case: str) -> None:
    trained = scheduled_trainer(case)
    epochs = trained.run()
    for _ in range(3):
        next(epochs)
    trained.scheduler.base_lr = 0.02
    saved = trained.scheduler.state_dict()
    fresh = scheduled_trainer(case, lr=0.5)
    fresh.scheduler.load_state_dict(saved)
    assert fresh.optimizer.lr == trained.optimizer.lr
    assert fresh.scheduler.state_dict() == saved
    fresh.epoch = 3
    assert_rates([result.lr for result in fresh.run()], expected_rates(case, [0.02] * 5)[3:5])


@pytest.mark.parametrize(
    ("case", "keys"),
    [
        ("exponential", ["base_lr", "last_epoch", "gamma"]),
        ("step", ["base_lr", "last_epoch", "step_size", "gamma"]),
        ("cosine", ["base_lr", "last_epoch", "T_max", "eta_min"]),
    ],
)
def test_state_dict_keys_are_the_base_rate_the_epoch_and_the_settings(case: str, keys: list[str]) -> None:
    """Session files store these keys: they must not change."""
    state = scheduled_trainer(case).scheduler.state_dict()
    assert list(state) == keys and state["base_lr"] == 0.01 and state["last_epoch"] == 0


def test_a_refused_base_rate_or_state_leaves_the_schedule_and_the_rate_as_they_were() -> None:
    trainer = scheduled_trainer("step")
    scheduler, optimizer = trainer.scheduler, trainer.optimizer
    scheduler.last_epoch = 2
    before = scheduler.state_dict()
    with pytest.raises(ValueError, match="Invalid learning rate: -1.0"):
        scheduler.base_lr = -1.0
    with pytest.raises(ZeroDivisionError):
        scheduler.load_state_dict({**before, "base_lr": 0.3, "step_size": 0})
    assert scheduler.state_dict() == before and optimizer.lr == 0.005
