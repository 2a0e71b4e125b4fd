"""`Adam` trajectories against torch.optim.Adam: the same net twice, the same batches, every parameter compared."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch

import minidl
from minidl.module import Module
from tests.framework.torch_oracle import (
    assert_params_match,
    make_batches,
    set_hyperparameters,
    torch_module,
    train_minidl,
    train_torch,
    train_twins,
)

STEPS = 25

CASES: dict[str, dict[str, Any]] = {
    "default": {},
    "lr_betas_eps": {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6},
    "large_eps": {"lr": 0.05, "betas": (0.5, 0.9), "eps": 0.1},
    "beta1_zero": {"lr": 0.01, "betas": (0.0, 0.5)},
    "weight_decay": {"lr": 0.01, "weight_decay": 0.1},
    "everything": {"lr": 0.003, "betas": (0.95, 0.9999), "eps": 1e-10, "weight_decay": 0.01},
    "lr_10": {"lr": 10.0},
}


def run_pair(build_model: Callable[[], Module], **kwargs: Any) -> tuple[Module, torch.nn.Module]:
    return train_twins(build_model, (minidl.Adam, torch.optim.Adam), STEPS, **kwargs)


@pytest.mark.parametrize("case", list(CASES))
def test_adam_matches_torch_over_25_steps(build_model: Callable[[], Module], case: str) -> None:
    model, twin = run_pair(build_model, **CASES[case])
    assert_params_match(model, twin)
    assert all(torch.isfinite(p).all() for p in model.parameters())


@pytest.mark.parametrize("batch_size", [1, 7])
def test_adam_matches_torch_for_batch_sizes(build_model: Callable[[], Module], batch_size: int) -> None:
    assert_params_match(*run_pair(build_model, batch_size=batch_size, lr=0.01))


@pytest.mark.parametrize("case", ["default", "weight_decay"])
def test_adam_l1_matches_torch_with_the_penalty_in_the_loss(build_model: Callable[[], Module], case: str) -> None:
    assert_params_match(*run_pair(build_model, l1=0.01, **CASES[case]))


def test_adam_hyperparameters_changed_between_steps_take_effect(build_model: Callable[[], Module]) -> None:
    def change(step: int, optimizer: Any) -> None:
        if step == 10:
            set_hyperparameters(optimizer, {"lr": 0.002, "betas": (0.5, 0.9), "eps": 1e-4, "weight_decay": 0.1})

    assert_params_match(*run_pair(build_model, before_step=change, lr=0.02))


def test_adam_on_a_subset_of_a_packed_model_updates_only_that_subset() -> None:
    model = minidl.mlp(3, (4,), 2, seed=0, dtype=torch.float64)
    twin = torch_module(model)
    batches = make_batches(STEPS, 4, 3, 2)
    train_minidl(model, minidl.Adam(model[0].param(), lr=0.01), batches)
    train_torch(twin, torch.optim.Adam(twin[0].parameters(), lr=0.01), batches)
    assert_params_match(model, twin)
    assert torch.equal(model[2].weight, minidl.mlp(3, (4,), 2, seed=0, dtype=torch.float64)[2].weight)


def test_two_adams_on_two_halves_of_a_packed_model_equal_one_torch_adam() -> None:
    model = minidl.mlp(3, (4,), 2, seed=0, dtype=torch.float64)
    twin = torch_module(model)
    batches = make_batches(STEPS, 4, 3, 2)
    first, second = minidl.Adam(model[0].param(), lr=0.01), minidl.Adam(model[2].param(), lr=0.01)

    def also_step_second(step: int, optimizer: Any) -> None:
        if step:
            second.step()
        second.zero_grad()

    train_minidl(model, first, batches, before_step=also_step_second)
    second.step()
    train_torch(twin, torch.optim.Adam(twin.parameters(), lr=0.01), batches)
    assert_params_match(model, twin)


def test_adam_zero_grad_clears_every_gradient(build_model: Callable[[], Module]) -> None:
    model = build_model()
    optimizer = minidl.Adam(model.param())
    for _, grad in model.param():
        grad.fill_(1.0)
    optimizer.zero_grad()
    assert all(torch.count_nonzero(g) == 0 for _, g in model.param())


def test_adam_leaves_the_gradients_as_they_were(build_model: Callable[[], Module]) -> None:
    # Weight decay and L1 are added to a copy: the model's gradients stay ∂L/∂θ (the app plots them).
    model = build_model()
    optimizer = minidl.Adam(model.param(), lr=0.01, weight_decay=0.1, l1=0.1)
    for _, grad in model.param():
        grad.fill_(0.5)
    optimizer.step()
    assert all(torch.equal(g, torch.full_like(g, 0.5)) for _, g in model.param())
