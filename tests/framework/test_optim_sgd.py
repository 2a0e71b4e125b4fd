"""`SGD` trajectories against torch.optim.SGD: the same net twice, the same batches, every parameter compared."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch

import minidl
from minidl.module import Module
from tests.framework.torch_oracle import (
    MODEL_BUILDERS,
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
    "plain": {"lr": 0.1},
    "momentum": {"lr": 0.05, "momentum": 0.9},
    "dampening": {"lr": 0.05, "momentum": 0.9, "dampening": 0.5},
    "nesterov": {"lr": 0.05, "momentum": 0.8, "nesterov": True},
    "weight_decay": {"lr": 0.1, "weight_decay": 0.05},
    "momentum_weight_decay": {"lr": 0.05, "momentum": 0.5, "dampening": 0.1, "weight_decay": 0.01},
    "nesterov_weight_decay": {"lr": 0.02, "momentum": 0.95, "nesterov": True, "weight_decay": 0.1},
    "large_lr": {"lr": 3.0, "momentum": 0.3},
}


def run_pair(build_model: Callable[[], Module], **kwargs: Any) -> tuple[Module, torch.nn.Module]:
    return train_twins(build_model, (minidl.SGD, torch.optim.SGD), STEPS, **kwargs)


@pytest.mark.parametrize("case", list(CASES))
def test_sgd_matches_torch_over_25_steps(build_model: Callable[[], Module], case: str) -> None:
    model, twin = run_pair(build_model, **CASES[case])
    assert_params_match(model, twin)
    assert not torch.equal(model.parameters()[0], build_model().parameters()[0]), "the parameters did not move"


@pytest.mark.parametrize("batch_size", [1, 7])
def test_sgd_matches_torch_for_batch_sizes(build_model: Callable[[], Module], batch_size: int) -> None:
    assert_params_match(*run_pair(build_model, batch_size=batch_size, lr=0.1, momentum=0.9))


@pytest.mark.parametrize("case", ["plain", "momentum", "nesterov_weight_decay"])
def test_sgd_l1_matches_torch_with_the_penalty_in_the_loss(build_model: Callable[[], Module], case: str) -> None:
    assert_params_match(*run_pair(build_model, l1=0.01, **CASES[case]))


def test_sgd_hyperparameters_changed_between_steps_take_effect(build_model: Callable[[], Module]) -> None:
    def change(step: int, optimizer: Any) -> None:
        if step == 10:
            set_hyperparameters(optimizer, {"lr": 0.02, "momentum": 0.5, "weight_decay": 0.1})

    assert_params_match(*run_pair(build_model, before_step=change, lr=0.2, momentum=0.9))


def test_sgd_switching_momentum_on_mid_training_matches_torch(build_model: Callable[[], Module]) -> None:
    def change(step: int, optimizer: Any) -> None:
        if step == 10:
            set_hyperparameters(optimizer, {"momentum": 0.9})

    assert_params_match(*run_pair(build_model, before_step=change, lr=0.1))


def test_sgd_on_a_subset_of_a_packed_model_updates_only_that_subset() -> None:
    model = minidl.mlp(3, (4,), 2, seed=0, dtype=torch.float64)
    twin = torch_module(model)
    batches = make_batches(STEPS, 4, 3, 2)
    train_minidl(model, minidl.SGD(model[2].param(), lr=0.1, momentum=0.9), batches)
    train_torch(twin, torch.optim.SGD(twin[2].parameters(), lr=0.1, momentum=0.9), batches)
    assert_params_match(model, twin)
    assert torch.equal(model[0].weight, minidl.mlp(3, (4,), 2, seed=0, dtype=torch.float64)[0].weight)


def test_sgd_zero_grad_clears_every_gradient(build_model: Callable[[], Module]) -> None:
    model = build_model()
    optimizer = minidl.SGD(model.param(), lr=0.1)
    x, y = make_batches(1, 3, 3, 2)[0]
    criterion = minidl.MSELoss()
    criterion.forward(model.forward(x), y)
    model.backward(criterion.backward())
    assert any(torch.count_nonzero(g) > 0 for _, g in model.param())
    optimizer.zero_grad()
    assert all(torch.count_nonzero(g) == 0 for _, g in model.param())


def test_sgd_with_zero_gradient_and_no_penalty_does_not_move(build_model: Callable[[], Module]) -> None:
    model = build_model()
    before = [p.clone() for p in model.parameters()]
    optimizer = minidl.SGD(model.param(), lr=0.1, momentum=0.9, nesterov=True)
    for _ in range(3):
        optimizer.step()
    assert all(torch.equal(p, b) for p, b in zip(model.parameters(), before, strict=True))


def test_the_two_model_builders_cover_both_parameter_layouts() -> None:
    # The optimizer tests run on both: one flat buffer (Sequential) and separate tensors (a bare Linear).
    packed, separate = MODEL_BUILDERS["packed"]().parameters(), MODEL_BUILDERS["separate"]().parameters()
    assert len({p.untyped_storage().data_ptr() for p in packed}) == 1 < len(packed)
    assert len({p.untyped_storage().data_ptr() for p in separate}) == len(separate) == 2
