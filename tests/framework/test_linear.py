"""`Linear`: forward and backward against torch.nn.Linear and autograd in float64."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minidl
from tests.framework.torch_oracle import F64, torch_module


def make_linear(in_features: int, out_features: int, bias: bool, seed: int = 0) -> minidl.Linear:
    return minidl.Linear(in_features, out_features, bias, generator=torch.Generator().manual_seed(seed), dtype=F64)


def check_linear(layer: minidl.Linear, batch: int, seed: int = 0) -> None:
    """Output, ∂L/∂x, ∂L/∂W and ∂L/∂b equal autograd's for L = Σ G ⊙ y with a random G."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, layer.in_features, dtype=F64, generator=g)
    grad_output = torch.randn(batch, layer.out_features, dtype=F64, generator=g)
    twin = torch_module(layer)
    x_torch = x.clone().requires_grad_(True)
    y_torch = twin(x_torch)
    y_torch.backward(grad_output)

    y = layer.forward(x)
    grad_input = layer.backward(grad_output)

    torch.testing.assert_close(y, y_torch.detach())
    torch.testing.assert_close(grad_input, x_torch.grad)
    torch.testing.assert_close(layer.weight_grad, twin.weight.grad)
    if layer.bias is not None:
        torch.testing.assert_close(layer.bias_grad, twin.bias.grad)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("batch", [1, 32])
def test_linear_matches_autograd(bias: bool, batch: int) -> None:
    check_linear(make_linear(2, 25, bias), batch)


@settings(max_examples=25, deadline=None)
@given(
    in_features=st.integers(1, 9),
    out_features=st.integers(1, 9),
    batch=st.integers(1, 17),
    bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_linear_matches_autograd_for_any_shape(
    in_features: int, out_features: int, batch: int, bias: bool, seed: int
) -> None:
    check_linear(make_linear(in_features, out_features, bias, seed), batch, seed)


def test_linear_computes_x_wt_plus_b_with_weight_of_shape_out_in() -> None:
    layer = make_linear(3, 4, True)
    assert layer.weight.shape == (4, 3) and layer.bias.shape == (4,)
    assert layer.weight_grad.shape == (4, 3) and layer.bias_grad.shape == (4,)
    x = torch.randn(5, 3, dtype=F64)
    torch.testing.assert_close(layer.forward(x), x @ layer.weight.T + layer.bias)


def test_linear_without_bias_has_only_a_weight() -> None:
    layer = make_linear(3, 4, False)
    assert layer.bias is None
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    assert len(layer.param()) == 1


def test_two_backward_passes_accumulate_double_the_gradient() -> None:
    layer = make_linear(3, 2, True)
    x, grad_output = torch.randn(4, 3, dtype=F64), torch.randn(4, 2, dtype=F64)
    layer.forward(x)
    layer.backward(grad_output)
    once = [g.clone() for _, g in layer.param()]
    layer.forward(x)
    layer.backward(grad_output)
    for (_, twice), single in zip(layer.param(), once, strict=True):
        torch.testing.assert_close(twice, 2 * single)
    layer.zero_grad()
    assert all(torch.count_nonzero(g) == 0 for _, g in layer.param())


def test_param_pairs_are_the_live_parameter_and_gradient_tensors() -> None:
    layer = make_linear(3, 2, True)
    (w, w_grad), (b, b_grad) = layer.param()
    assert w is layer.weight and w_grad is layer.weight_grad
    assert b is layer.bias and b_grad is layer.bias_grad
    layer.forward(torch.ones(1, 3, dtype=F64))
    layer.backward(torch.ones(1, 2, dtype=F64))
    assert torch.equal(w_grad, torch.ones(2, 3, dtype=F64))
    assert not w.requires_grad and not w_grad.requires_grad


def test_linear_skips_the_input_gradient_when_not_needed() -> None:
    layer = make_linear(3, 2, True)
    reference = make_linear(3, 2, True)
    layer.needs_input_grad = False
    x, grad_output = torch.randn(4, 3, dtype=F64), torch.randn(4, 2, dtype=F64)
    layer.forward(x)
    reference.forward(x)
    assert layer.backward(grad_output) is None
    reference.backward(grad_output)
    torch.testing.assert_close(layer.weight_grad, reference.weight_grad)
    torch.testing.assert_close(layer.bias_grad, reference.bias_grad)


def test_linear_forward_leaves_its_input_untouched() -> None:
    layer = make_linear(3, 2, True)
    x = torch.randn(4, 3, dtype=F64)
    before = x.clone()
    layer.forward(x)
    layer.backward(torch.ones(4, 2, dtype=F64))
    assert torch.equal(x, before)


def test_linear_backward_before_forward_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match=r"backward\(\) called before forward\(\)"):
        make_linear(3, 2, True).backward(torch.ones(1, 2, dtype=F64))


@pytest.mark.parametrize("sizes", [(0, 3), (3, 0), (-1, 2)])
def test_linear_refuses_non_positive_sizes(sizes: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="positive"):
        minidl.Linear(*sizes)


@pytest.mark.parametrize("bias", [True, False])
def test_linear_repr_is_pytorchs(bias: bool) -> None:
    layer = minidl.Linear(2, 25, bias)
    assert repr(layer) == repr(torch.nn.Linear(2, 25, bias)) == f"Linear(in_features=2, out_features=25, bias={bias})"
