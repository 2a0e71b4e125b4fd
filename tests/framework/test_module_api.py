"""The `Module` API as PyTorch users know it: param pairs, dotted names, state dicts, modes, repr."""

from __future__ import annotations

import pytest
import torch
from torch import nn

import minidl
from tests.framework.torch_oracle import F64, assert_params_match, make_batches, torch_module, train_minidl, train_torch


def report_net() -> minidl.Sequential:
    return minidl.mlp(seed=0, dtype=F64)


def torch_report_net() -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(2, 25), nn.ReLU(), nn.Linear(25, 25), nn.ReLU(), nn.Linear(25, 25), nn.ReLU(), nn.Linear(25, 1)
    ).double()


def test_param_is_a_list_of_parameter_gradient_pairs_in_layer_order() -> None:
    model = report_net()
    pairs = model.param()
    assert isinstance(pairs, list) and len(pairs) == 8
    expected = [layer for layer in model if isinstance(layer, minidl.Linear)]
    for index, (parameter, gradient) in enumerate(pairs):
        layer = expected[index // 2]
        assert parameter is (layer.weight if index % 2 == 0 else layer.bias)
        assert gradient is (layer.weight_grad if index % 2 == 0 else layer.bias_grad)
        assert parameter.shape == gradient.shape
    assert model.parameters() == [p for p, _ in pairs]
    assert minidl.ReLU().param() == [] and minidl.MSELoss().param() == []


def test_named_parameters_and_state_dict_keys_are_pytorchs() -> None:
    model = report_net()
    names = [name for name, _ in model.named_parameters()]
    assert names[:2] == ["0.weight", "0.bias"]
    assert names == [name for name, _ in torch_report_net().named_parameters()]
    assert list(model.state_dict()) == list(torch_report_net().state_dict())


def test_a_torch_state_dict_loads_and_computes_the_same_function() -> None:
    twin = torch_report_net()
    model = report_net().load_state_dict(twin.state_dict())
    x = torch.rand(10, 2, dtype=F64)
    torch.testing.assert_close(model.forward(x), twin(x).detach())


def test_state_dict_is_a_detached_copy() -> None:
    model = report_net()
    state = model.state_dict()
    state["0.weight"].fill_(123.0)
    assert not torch.equal(model[0].weight, state["0.weight"])
    model[0].weight.fill_(-1.0)
    assert (state["0.weight"] == 123.0).all()


def test_load_state_dict_round_trip_copies_in_place() -> None:
    source, target = minidl.mlp(seed=1, dtype=F64), report_net()
    weight = target[0].weight
    assert target.load_state_dict(source.state_dict()) is target
    assert target[0].weight is weight
    for (_, a), (_, b) in zip(source.named_parameters(), target.named_parameters(), strict=True):
        assert torch.equal(a, b)


def test_strict_load_names_missing_and_unexpected_keys_and_changes_nothing() -> None:
    model = report_net()
    before = model.state_dict()
    state = model.state_dict()
    del state["2.bias"]
    state["9.weight"] = torch.zeros(1)
    state["0.weight"] = torch.zeros(25, 2, dtype=F64)
    with pytest.raises(RuntimeError, match=r"missing keys \['2.bias'\], unexpected keys \['9.weight'\]"):
        model.load_state_dict(state)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_non_strict_load_copies_what_matches() -> None:
    model = report_net()
    partial = {"0.weight": torch.ones(25, 2, dtype=F64), "extra": torch.zeros(3)}
    model.load_state_dict(partial, strict=False)
    assert torch.equal(model[0].weight, torch.ones(25, 2, dtype=F64))


def test_shape_mismatch_is_refused_naming_the_key_and_both_shapes_and_changes_nothing() -> None:
    model = report_net()
    before = model.state_dict()
    state = {name: torch.zeros_like(value) for name, value in before.items()}
    state["4.weight"] = torch.zeros(25, 24, dtype=F64)
    with pytest.raises(ValueError, match=r"size mismatch for 4.weight: .*\(25, 24\).*\(25, 25\)"):
        model.load_state_dict(state)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items()), "the earlier layers were copied"


def test_repr_is_pytorchs() -> None:
    model = minidl.Sequential(
        minidl.Linear(2, 25),
        minidl.ReLU(),
        minidl.Linear(25, 3, bias=False),
        minidl.LeakyReLU(0.2),
        minidl.Linear(3, 1),
        minidl.Sigmoid(),
    )
    assert repr(model) == repr(torch_module(model))
    assert repr(model).startswith(
        "Sequential(\n  (0): Linear(in_features=2, out_features=25, bias=True)\n  (1): ReLU()"
    )
    nested = minidl.Sequential(minidl.Sequential(minidl.Linear(2, 2), minidl.Tanh()), minidl.Identity())
    assert repr(nested) == repr(nn.Sequential(nn.Sequential(nn.Linear(2, 2), nn.Tanh()), nn.Identity()))


def test_nested_sequential_has_nested_dotted_names_and_trains_as_one() -> None:
    inner = minidl.Sequential(minidl.Linear(2, 3, dtype=F64), minidl.Tanh())
    model = minidl.Sequential(inner, minidl.Linear(3, 1, dtype=F64))
    assert [n for n, _ in model.named_parameters()] == ["0.0.weight", "0.0.bias", "1.weight", "1.bias"]
    twin = torch_module(model)
    batches = make_batches(5, 4, 2, 1)
    train_minidl(model, minidl.Adam(model.param(), lr=0.1), batches)
    train_torch(twin, torch.optim.Adam(twin.parameters(), lr=0.1), batches)
    assert_params_match(model, twin)
    assert inner[0].weight is model.param()[0][0]


def test_train_and_eval_return_self_and_reach_every_child() -> None:
    model = report_net()
    assert model.training and all(m.training for m in model)
    assert model.eval() is model
    assert not model.training and not any(m.training for m in model)
    assert model.train() is model
    assert model.training and all(m.training for m in model)
    assert model.train(False) is model and not model[0].training


def test_module_zero_grad_clears_gradients_in_place() -> None:
    model = report_net()
    grads = [g for _, g in model.param()]
    for g in grads:
        g.fill_(1.0)
    model.zero_grad()
    assert all(g is h and torch.count_nonzero(g) == 0 for g, (_, h) in zip(grads, model.param(), strict=True))


def test_call_is_forward() -> None:
    model = report_net()
    x = torch.rand(3, 2, dtype=F64)
    assert torch.equal(model(x), model.forward(x))


def test_base_module_methods_say_what_is_missing() -> None:
    class Half(minidl.Module):
        pass

    with pytest.raises(NotImplementedError, match="Half does not implement forward"):
        Half()(torch.ones(1))
    with pytest.raises(NotImplementedError, match="Half does not implement backward"):
        Half().backward(torch.ones(1))
