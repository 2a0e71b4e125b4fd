"""`Sequential`: the chain rule through whole nets, against autograd and against finite differences."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import Tensor

import minidl
from minidl.activations import ACTIVATIONS
from tests.framework.torch_oracle import F64, torch_module


def check_net(model: minidl.Sequential, batch: int, seed: int = 0) -> None:
    """Output, ∂L/∂x and every ∂L/∂θ of L = MSE(model(x), y) equal autograd's on the torch twin."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(batch, model[0].in_features, dtype=F64, generator=g)
    out_features = [m for m in model if isinstance(m, minidl.Linear)][-1].out_features
    y = torch.rand(batch, out_features, dtype=F64, generator=g)
    twin = torch_module(model)
    x_torch = x.clone().requires_grad_(True)
    y_torch = twin(x_torch)
    torch.nn.functional.mse_loss(y_torch, y).backward()

    criterion = minidl.MSELoss()
    torch.testing.assert_close(model.forward(x), y_torch.detach())
    criterion.forward(model.forward(x), y)
    grad_input = model.backward(criterion.backward())

    torch.testing.assert_close(grad_input, x_torch.grad)
    theirs = dict(twin.named_parameters())
    for name, grad in model.named_gradients():
        torch.testing.assert_close(grad, theirs[name].grad, msg=lambda m, n=name: f"{n}: {m}")


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("batch", [1, 16])
def test_report_net_matches_autograd_for_every_activation(activation: str, batch: int) -> None:
    check_net(minidl.mlp(activation=activation, seed=batch, dtype=F64), batch)


def test_net_with_sigmoid_output_and_bias_free_layers_matches_autograd() -> None:
    model = minidl.Sequential(
        minidl.Linear(3, 6, bias=False, dtype=F64),
        minidl.LeakyReLU(0.1),
        minidl.Linear(6, 4, dtype=F64),
        minidl.ELU(0.7),
        minidl.Linear(4, 2, bias=False, dtype=F64),
        minidl.Sigmoid(),
    )
    check_net(model, 5)


def parameter_loss(model: minidl.Sequential, x: Tensor, y: Tensor) -> float:
    return minidl.MSELoss().forward(model.forward(x), y).item()


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_report_net_gradient_matches_central_finite_differences(activation: str) -> None:
    """∂L/∂θᵢ ≈ (L(θ + h eᵢ) − L(θ − h eᵢ)) / 2h for every one of the 2-25-25-25-1 net's 1401 parameters."""
    model = minidl.mlp(activation=activation, seed=3, dtype=F64)
    g = torch.Generator().manual_seed(4)
    x, y = torch.rand(8, 2, dtype=F64, generator=g), torch.rand(8, 1, dtype=F64, generator=g)
    criterion = minidl.MSELoss()
    criterion.forward(model.forward(x), y)
    model.backward(criterion.backward())

    h = 1e-6
    for (name, parameter), (_, grad) in zip(model.named_parameters(), model.named_gradients(), strict=True):
        flat = parameter.view(-1)
        numeric = torch.empty_like(flat)
        for i in range(flat.numel()):
            original = flat[i].item()
            flat[i] = original + h
            above = parameter_loss(model, x, y)
            flat[i] = original - h
            below = parameter_loss(model, x, y)
            flat[i] = original
            numeric[i] = (above - below) / (2 * h)
        torch.testing.assert_close(grad.view(-1), numeric, rtol=1e-5, atol=1e-8, msg=lambda m, n=name: f"{n}: {m}")
    assert sum(p.numel() for p in model.parameters()) == 2 * 25 + 25 + 2 * (25 * 25 + 25) + 25 + 1


def test_two_backward_passes_accumulate_and_zero_grad_clears() -> None:
    model = minidl.mlp(seed=0, dtype=F64)
    x, y = torch.rand(4, 2, dtype=F64), torch.rand(4, 1, dtype=F64)
    criterion = minidl.MSELoss()
    criterion.forward(model.forward(x), y)
    model.backward(criterion.backward())
    once = [g.clone() for _, g in model.param()]
    criterion.forward(model.forward(x), y)
    model.backward(criterion.backward())
    for (_, twice), single in zip(model.param(), once, strict=True):
        torch.testing.assert_close(twice, 2 * single)
    model.zero_grad()
    assert all(torch.count_nonzero(g) == 0 for _, g in model.param())


def test_forward_runs_in_order_and_leaves_the_input_untouched() -> None:
    first, second = minidl.Linear(2, 3, dtype=F64), minidl.Linear(3, 1, dtype=F64)
    model = minidl.Sequential(first, minidl.Tanh(), second)
    x = torch.rand(5, 2, dtype=F64)
    before = x.clone()
    expected = second.forward(torch.tanh(first.forward(x)))
    torch.testing.assert_close(model.forward(x), expected)
    torch.testing.assert_close(model(x), expected)
    assert torch.equal(x, before)


def test_packing_keeps_every_weight_and_shares_one_buffer() -> None:
    layers = [minidl.Linear(2, 3, dtype=F64), minidl.ReLU(), minidl.Linear(3, 1, dtype=F64)]
    before = [p.clone() for layer in layers for p, _ in layer.param()]
    model = minidl.Sequential(*layers)
    after = [p for p, _ in model.param()]
    assert all(torch.equal(a, b) for a, b in zip(after, before, strict=True))
    storages = {p.untyped_storage().data_ptr() for p in after}
    assert len(storages) == 1, "Sequential should pack its parameters into one buffer"
    assert len({g.untyped_storage().data_ptr() for _, g in model.param()}) == 1
    # The layers themselves see the packed tensors: training through them trains the model.
    assert layers[0].weight is model.param()[0][0]


def test_sequential_with_no_parameters_is_fine() -> None:
    model = minidl.Sequential(minidl.ReLU(), minidl.Tanh())
    assert model.param() == []
    x = torch.linspace(-1, 1, 6, dtype=F64).view(3, 2)
    torch.testing.assert_close(model.forward(x), torch.tanh(torch.relu(x)))
    torch.testing.assert_close(model.backward(torch.ones_like(x)), (x > 0) * (1 - torch.tanh(torch.relu(x)) ** 2))


def test_sequential_skips_the_input_gradient_when_not_needed() -> None:
    model = minidl.mlp(seed=0, dtype=F64)
    reference = minidl.mlp(seed=0, dtype=F64)
    model.needs_input_grad = False
    x, y = torch.rand(4, 2, dtype=F64), torch.rand(4, 1, dtype=F64)
    for net in (model, reference):
        criterion = minidl.MSELoss()
        criterion.forward(net.forward(x), y)
        result = net.backward(criterion.backward())
    assert result is not None
    model_result = model.backward(torch.zeros(4, 1, dtype=F64))
    assert model_result is None
    for (_, a), (_, b) in zip(model.param(), reference.param(), strict=True):
        torch.testing.assert_close(a, b)


def test_indexing_len_and_iteration() -> None:
    layers = [minidl.Linear(2, 3), minidl.ReLU(), minidl.Linear(3, 1)]
    model = minidl.Sequential(*layers)
    assert len(model) == 3
    assert list(model) == layers
    assert model[0] is layers[0] and model[-1] is layers[2]
    with pytest.raises(IndexError):
        model[3]


def test_sequential_refuses_what_is_not_a_module() -> None:
    with pytest.raises(TypeError, match="Sequential argument 1 is a str, not a minidl Module"):
        minidl.Sequential(minidl.ReLU(), "relu")
    with pytest.raises(TypeError, match="not a minidl Module"):
        minidl.Sequential(torch.nn.ReLU())


class _Opaque(minidl.Module):
    """A child with parameters that knows nothing of ``accumulate_grad``: it always accumulates."""

    def __init__(self) -> None:
        super().__init__()
        self.layer = minidl.Linear(3, 3, dtype=F64)

    def children(self):  # noqa: ANN201
        return iter([("layer", self.layer)])

    def forward(self, x: Tensor) -> Tensor:
        return self.layer.forward(x)

    def backward(self, grad: Tensor) -> Tensor:
        saved, self.layer.accumulate_grad = getattr(self.layer, "accumulate_grad", True), True
        try:
            return self.layer.backward(grad)
        finally:
            self.layer.accumulate_grad = saved


def test_backward_overwrites_the_gradients_when_accumulation_is_off() -> None:
    # Training switches accumulation off to skip zero_grad; one backward must then give one gradient.
    model = minidl.Sequential(minidl.Linear(2, 3, dtype=F64), minidl.Tanh(), _Opaque(), minidl.Linear(3, 1, dtype=F64))
    reference = copy.deepcopy(model)
    x, y = torch.rand(4, 2, dtype=F64), torch.rand(4, 1, dtype=F64)
    criterion = minidl.MSELoss()
    criterion.forward(reference.forward(x), y)
    reference.backward(criterion.backward())

    model.accumulate_grad = False
    for _ in range(3):
        criterion.forward(model.forward(x), y)
        model.backward(criterion.backward())
    for (name, grad), (_, expected) in zip(model.named_gradients(), reference.named_gradients(), strict=True):
        torch.testing.assert_close(grad, expected, msg=lambda m, n=name: f"{n}: {m}")

    model.accumulate_grad = True
    criterion.forward(model.forward(x), y)
    model.backward(criterion.backward())
    for (_, grad), (_, expected) in zip(model.named_gradients(), reference.named_gradients(), strict=True):
        torch.testing.assert_close(grad, 2 * expected)
