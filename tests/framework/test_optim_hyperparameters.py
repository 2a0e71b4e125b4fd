"""Optimizer hyperparameters: bad values refused with torch's messages, live changes validated the same way."""

from __future__ import annotations

from typing import Any

import pytest
import torch

import minidl

BAD_VALUES: list[tuple[str, dict[str, Any]]] = [
    ("SGD", {"lr": -0.1}),
    ("SGD", {"lr": 0.1, "momentum": -0.5}),
    ("SGD", {"lr": 0.1, "weight_decay": -1.0}),
    ("SGD", {"lr": 0.1, "nesterov": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5, "nesterov": True}),
    ("Adam", {"lr": -1.0}),
    ("Adam", {"betas": (1.0, 0.999)}),
    ("Adam", {"betas": (0.9, 1.0)}),
    ("Adam", {"betas": (-0.1, 0.9)}),
    ("Adam", {"eps": -1.0}),
    ("Adam", {"weight_decay": -0.5}),
]


def params() -> list[tuple[torch.Tensor, torch.Tensor]]:
    return minidl.Linear(2, 1).param()


@pytest.mark.parametrize(("name", "kwargs"), BAD_VALUES, ids=lambda v: str(v))
def test_bad_values_are_refused_with_torchs_message(name: str, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as torch_error:
        getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError) as ours:
        getattr(minidl, name)(params(), **kwargs)
    assert str(ours.value).startswith(str(torch_error.value)), (str(ours.value), str(torch_error.value))


# Stricter than torch on purpose: torch accepts these, but they can only wreck a training run.
@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [
        ("SGD", {"lr": float("nan")}, "Invalid learning rate: nan"),
        ("SGD", {"lr": float("inf")}, "Invalid learning rate: inf"),
        ("SGD", {"lr": 0.1, "dampening": -1.0}, "Invalid dampening value: -1.0"),
        ("Adam", {"eps": float("nan")}, "Invalid epsilon value: nan"),
        ("SGD", {"lr": 0.1, "l1": -0.1}, "Invalid l1 value: -0.1"),
        ("Adam", {"l1": -0.1}, "Invalid l1 value: -0.1"),
    ],
)
def test_non_finite_and_negative_values_are_refused(name: str, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        getattr(minidl, name)(params(), **kwargs)


def test_an_empty_parameter_list_is_refused_as_torch_does() -> None:
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        minidl.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        minidl.Adam(minidl.ReLU().param())


def test_something_else_than_param_pairs_is_refused() -> None:
    with pytest.raises(TypeError, match=r"not a \(parameter, gradient\) pair: pass model.param\(\)"):
        minidl.SGD(minidl.Linear(2, 1).parameters(), lr=0.1)


@pytest.mark.parametrize(
    ("optimizer", "attribute", "bad", "message"),
    [
        ("sgd", "lr", -1.0, "Invalid learning rate: -1.0"),
        ("sgd", "momentum", -0.1, "Invalid momentum value: -0.1"),
        ("sgd", "weight_decay", float("nan"), "Invalid weight_decay value: nan"),
        ("sgd", "nesterov", True, "Nesterov momentum requires a momentum and zero dampening"),
        ("adam", "lr", float("inf"), "Invalid learning rate: inf"),
        ("adam", "eps", -1e-8, "Invalid epsilon value: -1e-08"),
        ("adam", "betas", (0.5, 1.0), "Invalid beta parameter at index 1: 1.0"),
        ("adam", "betas", (1.5, 0.9), "Invalid beta parameter at index 0: 1.5"),
    ],
)
def test_a_bad_live_change_is_refused_and_changes_nothing(
    optimizer: str, attribute: str, bad: Any, message: str
) -> None:
    opt = minidl.SGD(params(), lr=0.1) if optimizer == "sgd" else minidl.Adam(params(), lr=0.1)
    before = opt.state_dict()["hyperparameters"]
    with pytest.raises(ValueError, match=message):
        setattr(opt, attribute, bad)
    assert opt.state_dict()["hyperparameters"] == before


def test_hyperparameters_read_back_as_set() -> None:
    sgd = minidl.SGD(params(), lr=0.1, momentum=0.9, dampening=0.0, nesterov=True, weight_decay=0.01, l1=0.001)
    assert (sgd.lr, sgd.momentum, sgd.dampening, sgd.nesterov, sgd.weight_decay, sgd.l1) == (
        0.1,
        0.9,
        0.0,
        True,
        0.01,
        0.001,
    )
    adam = minidl.Adam(params())
    assert (adam.lr, adam.betas, adam.eps, adam.weight_decay, adam.l1) == (1e-3, (0.9, 0.999), 1e-8, 0.0, 0.0)
    adam.lr, adam.betas = 0.5, (0.8, 0.9)
    assert (adam.lr, adam.betas) == (0.5, (0.8, 0.9))


def test_lr_zero_is_allowed_and_freezes_the_parameters() -> None:
    layer = minidl.Linear(2, 1)
    before = layer.weight.clone()
    for optimizer in (
        minidl.SGD(layer.param(), lr=0.0, momentum=0.9, weight_decay=1.0),
        minidl.Adam(layer.param(), lr=0),
    ):
        layer.weight_grad.fill_(1.0)
        optimizer.step()
    assert torch.equal(layer.weight, before)


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_penalties_do_not_change_the_models_gradients(name: str) -> None:
    # Weight decay and L1 go into a copy: the model's gradients stay ∂L/∂θ for whoever reads them next.
    layer = minidl.Linear(3, 2)
    optimizer = getattr(minidl, name)(layer.param(), lr=0.01, weight_decay=0.1, l1=0.1)
    for _, grad in layer.param():
        grad.fill_(0.5)
    optimizer.step()
    optimizer.step()
    assert all(torch.equal(g, torch.full_like(g, 0.5)) for _, g in layer.param())


def test_optimizer_repr_lists_its_hyperparameters() -> None:
    assert repr(minidl.SGD(params(), lr=0.1, momentum=0.9)) == (
        "SGD(lr=0.1, momentum=0.9, dampening=0.0, nesterov=False, weight_decay=0.0, l1=0.0)"
    )
    assert repr(minidl.Adam(params())) == "Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0, l1=0.0)"
