"""Softmax forward and backward against torch.softmax and autograd in float64: k = 2..6, batch 1 and larger."""

from __future__ import annotations

import pytest
import torch

import minidl
from minidl.activations import ACTIVATIONS, Softmax
from tests.framework.torch_oracle import F64


@pytest.mark.parametrize("classes", [2, 3, 4, 5, 6])
@pytest.mark.parametrize("batch", [1, 16])
def test_forward_and_backward_match_torch(batch: int, classes: int) -> None:
    g = torch.Generator().manual_seed(classes)
    x = torch.randn(batch, classes, generator=g, dtype=F64) * 3
    upstream = torch.randn(batch, classes, generator=g, dtype=F64)
    leaf = x.clone().requires_grad_(True)
    expected = torch.nn.functional.softmax(leaf, dim=1)
    (expected_grad,) = torch.autograd.grad(expected, leaf, upstream)

    softmax = Softmax()
    y = softmax.forward(x)
    torch.testing.assert_close(y, expected.detach(), rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(softmax.backward(upstream), expected_grad, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(y.sum(1), torch.ones(batch, dtype=F64))


def test_another_dim_matches_torch() -> None:
    x = torch.randn(4, 3, dtype=F64)
    upstream = torch.randn(4, 3, dtype=F64)
    leaf = x.clone().requires_grad_(True)
    (expected_grad,) = torch.autograd.grad(torch.softmax(leaf, 0), leaf, upstream)
    softmax = Softmax(dim=0)
    torch.testing.assert_close(softmax.forward(x), torch.softmax(x, 0))
    torch.testing.assert_close(softmax.backward(upstream), expected_grad)


def test_extreme_inputs_stay_finite() -> None:
    x = torch.tensor([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]], dtype=F64)
    softmax = Softmax()
    y = softmax.forward(x)
    assert torch.isfinite(y).all() and torch.isfinite(softmax.backward(torch.ones_like(x))).all()
    torch.testing.assert_close(y, torch.tensor([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]], dtype=F64))


def test_it_is_a_module_but_no_mlp_activation() -> None:
    assert minidl.Softmax is Softmax and "softmax" not in ACTIVATIONS and Softmax not in ACTIVATIONS.values()
    assert repr(Softmax()) == "Softmax(dim=1)" and Softmax().param() == []
    with pytest.raises(RuntimeError, match=r"backward\(\) called before forward\(\)"):
        Softmax().backward(torch.ones(1, 2))
