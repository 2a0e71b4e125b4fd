"""Every activation's forward and backward against torch.nn and autograd, in float64."""

from __future__ import annotations

import pytest
import torch
from torch import Tensor

import minidl
from minidl.activations import ACTIVATIONS
from minidl.module import Module
from tests.framework.torch_oracle import F64, torch_module

# Every registered activation with its defaults, plus non-default constructor arguments.
CASES: dict[str, Module] = {name: cls() for name, cls in ACTIVATIONS.items()}
CASES |= {
    "leaky_relu(0.2)": minidl.LeakyReLU(0.2),
    "elu(0.5)": minidl.ELU(0.5),
    "softplus(beta=2, threshold=5)": minidl.Softplus(beta=2.0, threshold=5.0),
}


def check_against_torch(module: Module, x: Tensor) -> None:
    """forward(x) equals torch's output and backward(g) equals autograd's ∂(g·y)/∂x."""
    twin = torch_module(module)
    grad_output = torch.randn(x.shape, dtype=x.dtype, generator=torch.Generator().manual_seed(1))
    x_torch = x.clone().requires_grad_(True)
    y_torch = twin(x_torch)
    (expected_grad,) = torch.autograd.grad(y_torch, x_torch, grad_output)

    y = module.forward(x)
    grad = module.backward(grad_output)

    assert torch.isfinite(y).all() and torch.isfinite(grad).all()
    torch.testing.assert_close(y, y_torch.detach(), rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(grad, expected_grad, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("batch", [1, 16])
def test_activation_matches_autograd(name: str, batch: int) -> None:
    x = torch.randn(batch, 5, dtype=F64, generator=torch.Generator().manual_seed(batch)) * 3
    check_against_torch(CASES[name], x)


@pytest.mark.parametrize("name", list(CASES))
def test_activation_matches_autograd_at_exactly_zero_and_kinks(name: str) -> None:
    # 0 is the kink of ReLU/LeakyReLU/ELU; the softplus threshold is where it switches to y = x.
    module = CASES[name]
    threshold = getattr(module, "threshold", 20.0) / getattr(module, "beta", 1.0)
    x = torch.tensor([[0.0, -0.0, 1e-300, -1e-300, threshold, -threshold, 1.0, -1.0]], dtype=F64)
    check_against_torch(module, x)


def test_relu_gradient_at_exactly_zero_is_zero() -> None:
    relu = minidl.ReLU()
    relu.forward(torch.zeros(3, 2, dtype=F64))
    assert torch.equal(relu.backward(torch.ones(3, 2, dtype=F64)), torch.zeros(3, 2, dtype=F64))


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("dtype", [torch.float32, F64])
def test_activation_is_finite_and_matches_torch_at_large_inputs(name: str, dtype: torch.dtype) -> None:
    x = torch.tensor([[50.0, -50.0, 1000.0, -1000.0, 88.0, -88.0, 1e30, -1e30]], dtype=dtype)
    module = CASES[name]
    twin = torch_module(module)
    x_torch = x.clone().requires_grad_(True)
    y_torch = twin(x_torch)
    grad_output = torch.ones_like(x)
    (expected_grad,) = torch.autograd.grad(y_torch, x_torch, grad_output)

    y = module.forward(x)
    grad = module.backward(grad_output)

    assert torch.isfinite(grad).all(), grad
    assert torch.equal(torch.isfinite(y), torch.isfinite(y_torch)), y
    torch.testing.assert_close(y, y_torch.detach())
    torch.testing.assert_close(grad, expected_grad)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_sigmoid_and_tanh_saturate_cleanly_at_plus_minus_50(name: str) -> None:
    module = ACTIVATIONS[name]()
    y = module.forward(torch.tensor([[50.0, -50.0]], dtype=F64))
    grad = module.backward(torch.ones(1, 2, dtype=F64))
    low = 0.0 if name == "sigmoid" else -1.0
    torch.testing.assert_close(y, torch.tensor([[1.0, low]], dtype=F64))
    assert torch.isfinite(grad).all() and (grad >= 0).all() and (grad < 1e-20).all()


@pytest.mark.parametrize("name", list(CASES))
def test_forward_leaves_its_input_untouched(name: str) -> None:
    x = torch.linspace(-3, 3, 12, dtype=F64).view(4, 3)
    before = x.clone()
    CASES[name].forward(x)
    assert torch.equal(x, before)


@pytest.mark.parametrize("name", list(CASES))
def test_backward_uses_the_latest_forward(name: str) -> None:
    module = CASES[name]
    module.forward(torch.full((2, 3), -2.0, dtype=F64))
    check_against_torch(module, torch.linspace(-2, 2, 6, dtype=F64).view(2, 3))


@pytest.mark.parametrize("name", [n for n in ACTIVATIONS if n != "identity"])
def test_backward_before_forward_is_a_clear_error(name: str) -> None:
    with pytest.raises(RuntimeError, match=r"backward\(\) called before forward\(\)"):
        ACTIVATIONS[name]().backward(torch.ones(1, 1))


@pytest.mark.parametrize("name", list(CASES))
def test_activation_has_no_parameters_and_torch_repr(name: str) -> None:
    module = CASES[name]
    assert module.param() == []
    assert module.state_dict() == {}
    assert repr(module) == repr(torch_module(module))


def test_softplus_refuses_non_positive_beta() -> None:
    with pytest.raises(ValueError, match="beta"):
        minidl.Softplus(beta=0.0)


def test_every_activation_is_registered_and_exported() -> None:
    assert set(ACTIVATIONS) == {"relu", "leaky_relu", "elu", "tanh", "sigmoid", "silu", "softplus", "identity"}
    for cls in ACTIVATIONS.values():
        assert getattr(minidl, cls.__name__) is cls
