"""Weight initialisations of `Linear`: their ranges and spreads, and seeding through a generator."""

from __future__ import annotations

import math

import pytest
import torch

import minidl
from minidl.init import INIT_NAMES


def make(init: str, in_features: int = 400, out_features: int = 300, seed: int = 0, **kwargs) -> minidl.Linear:
    return minidl.Linear(in_features, out_features, init=init, generator=torch.Generator().manual_seed(seed), **kwargs)


def test_torch_default_is_uniform_within_one_over_sqrt_fan_in() -> None:
    layer = make("torch")
    bound = 1 / math.sqrt(400)
    for tensor in (layer.weight, layer.bias):
        assert tensor.abs().max() <= bound
        assert tensor.abs().max() > 0.95 * bound
    # Uniform on ±a has standard deviation a/√3.
    assert layer.weight.std().item() == pytest.approx(bound / math.sqrt(3), rel=0.02)


def test_torch_default_draws_what_torch_nn_linear_draws_from_the_same_generator() -> None:
    # Drawn in float32 (as nn.Linear's default), then cast: the float64 layer holds exactly that draw.
    layer = make("torch", 7, 5, seed=3, dtype=torch.float64)
    g = torch.Generator().manual_seed(3)
    weight = torch.empty(5, 7, dtype=torch.float32)
    torch.nn.init.kaiming_uniform_(weight, a=math.sqrt(5), generator=g)
    bias = torch.empty(5, dtype=torch.float32).uniform_(-1 / math.sqrt(7), 1 / math.sqrt(7), generator=g)
    assert layer.weight.dtype == torch.float64
    assert torch.equal(layer.weight, weight.double())
    assert torch.equal(layer.bias, bias.double())


def test_normal_init_is_the_reports_normal_with_the_given_std() -> None:
    layer = make("normal", init_std=0.5)
    assert layer.weight.mean().item() == pytest.approx(0.0, abs=0.01)
    assert layer.weight.std().item() == pytest.approx(0.5, rel=0.02)
    assert layer.bias.std().item() == pytest.approx(0.5, rel=0.15)


def test_xavier_init_is_uniform_within_glorots_bound_with_zero_bias() -> None:
    layer = make("xavier")
    bound = math.sqrt(6 / (400 + 300))
    assert bound * 0.95 < layer.weight.abs().max() <= bound
    assert torch.count_nonzero(layer.bias) == 0


def test_kaiming_init_is_normal_with_variance_two_over_fan_in_and_zero_bias() -> None:
    layer = make("kaiming")
    assert layer.weight.std().item() == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    assert torch.count_nonzero(layer.bias) == 0


@pytest.mark.parametrize("init", INIT_NAMES)
def test_every_init_is_reproducible_by_generator_seed(init: str) -> None:
    a, b, c = make(init, 5, 4, seed=1), make(init, 5, 4, seed=1), make(init, 5, 4, seed=2)
    assert torch.equal(a.weight, b.weight) and torch.equal(a.bias, b.bias)
    assert not torch.equal(a.weight, c.weight)


def test_a_callable_init_receives_weight_bias_and_generator() -> None:
    seen = []

    def fill(weight: torch.Tensor, bias: torch.Tensor | None, generator: torch.Generator | None) -> None:
        seen.append(generator)
        weight.fill_(2.0)
        bias.fill_(-1.0)

    generator = torch.Generator()
    layer = minidl.Linear(3, 2, init=fill, generator=generator)
    assert seen == [generator]
    assert torch.equal(layer.weight, torch.full((2, 3), 2.0)) and torch.equal(layer.bias, torch.full((2,), -1.0))


def test_unknown_init_names_the_choices() -> None:
    with pytest.raises(ValueError, match="Unknown init 'glorot'.*torch, normal, xavier, kaiming"):
        minidl.Linear(2, 3, init="glorot")
