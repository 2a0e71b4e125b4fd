"""`Sequential` as a list, as `torch.nn.Sequential` is: slicing, append, extend, insert, pop, del, setitem.

Each edit is made to a minidl model and to its torch twin; both must then print, compute and train alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch import Tensor, nn

import minidl
from minidl._flat import flat_span
from minidl.module import Module
from tests.framework.torch_oracle import F64, assert_params_match, make_batches, torch_module, train_minidl, train_torch


def net() -> minidl.Sequential:
    """The report's 2-25-25-25-1 ReLU net in float64: Linear, ReLU, Linear, ReLU, Linear, ReLU, Linear."""
    return minidl.mlp(seed=0, dtype=F64)


def check_like_torch(model: minidl.Sequential, twin: nn.Sequential, in_features: int = 2) -> None:
    """Same repr, names, output and gradients (w.r.t. the input and every parameter) as the torch twin."""
    assert repr(model) == repr(twin)
    assert [n for n, _ in model.named_parameters()] == [n for n, _ in twin.named_parameters()]
    x = torch.rand(6, in_features, dtype=F64)
    x_torch = x.clone().requires_grad_(True)
    output = twin(x_torch)
    torch.testing.assert_close(model(x), output.detach())
    model.zero_grad()
    twin.zero_grad()
    grad_input = model.backward(torch.ones_like(output))
    output.backward(torch.ones_like(output))
    torch.testing.assert_close(grad_input, x_torch.grad)
    theirs = dict(twin.named_parameters())
    for name, grad in model.named_gradients():
        torch.testing.assert_close(grad, theirs[name].grad, msg=lambda m, n=name: f"{n}: {m}")


# -- slicing --------------------------------------------------------------------------------------
@pytest.mark.parametrize("index", [slice(2, 5), slice(None, 3), slice(-3, None), slice(None, None, 2), slice(1, 1)])
def test_a_slice_is_a_sequential_of_the_same_modules_named_as_in_torch(index: slice) -> None:
    model = net()
    twin = torch_module(model)
    part = model[index]
    assert type(part) is minidl.Sequential
    assert list(part) == list(model)[index] and all(a is b for a, b in zip(part, list(model)[index], strict=True))
    assert repr(part) == repr(twin[index])
    assert list(part.state_dict()) == list(twin[index].state_dict())


def test_negative_indices_and_out_of_range_as_torch() -> None:
    model = net()
    assert model[-1] is list(model)[-1] and model[-7] is model[0]
    for index in (7, -8):
        with pytest.raises(IndexError, match=f"index {index} is out of range"):
            model[index]
    with pytest.raises(IndexError):
        torch_module(model)[7]


def test_a_slice_neither_copies_nor_repacks_and_training_it_trains_the_model() -> None:
    model = net()
    flat = flat_span(model.parameters())
    pointers = [p.data_ptr() for p in model.parameters()]
    part = model[2:5]
    assert [p.data_ptr() for p in model.parameters()] == pointers, "no parameter moved to a new buffer"
    assert flat_span(model.parameters()) is flat
    assert flat_span(part.parameters()) is None  # a part of the buffer: optimizers go tensor by tensor

    twin = torch_module(model)
    batches = make_batches(10, 4, 25, 25)
    train_minidl(part, minidl.Adam(part.param(), lr=0.01), batches)
    train_torch(twin[2:5], torch.optim.Adam(twin[2:5].parameters(), lr=0.01), batches)
    assert_params_match(model, twin)
    assert flat_span(model.parameters()) is flat, "the model's own optimizer still has one buffer"


def test_slicing_leaves_separate_parameters_of_the_model_alone() -> None:
    model = net().append(minidl.Linear(1, 2, dtype=F64))
    optimizer = minidl.SGD(model.param(), lr=0.1)
    appended = model[-1].weight
    pointer = appended.data_ptr()
    _ = model[-2:]
    assert model[-1].weight is appended and appended.data_ptr() == pointer
    assert optimizer._params[-2] is appended


# -- growing -------------------------------------------------------------------------------------
EDITS: dict[str, Callable[[Any, Any], Any]] = {
    "append": lambda seq, lib: seq.append(lib.Linear(1, 3, dtype=F64)),
    "extend": lambda seq, lib: seq.extend([lib.Tanh(), lib.Linear(1, 2, dtype=F64)]),
    "extend by a sequential": lambda seq, lib: seq.extend(lib.Sequential(lib.Sigmoid())),
    "insert at 0": lambda seq, lib: seq.insert(0, lib.Linear(2, 2, dtype=F64)),
    "insert after the first layer": lambda seq, lib: seq.insert(1, lib.Tanh()),
    "insert from the end": lambda seq, lib: seq.insert(-1, lib.Linear(25, 25, dtype=F64)),
    "insert at the end": lambda seq, lib: seq.insert(7, lib.Sigmoid()),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_growing_edits_return_self_and_act_as_torchs(edit: str) -> None:
    model = net()
    twin = torch_module(model)
    originals = list(model)
    theirs = EDITS[edit](twin, nn)
    ours = EDITS[edit](model, minidl)
    assert theirs is twin and ours is model
    assert len(model) == len(twin)
    for child in originals:
        assert child in list(model)
    for new_child in [c for c in model if all(c is not o for o in originals)]:
        new_child.load_state_dict(dict(twin.named_children())[_name_of(model, new_child)].state_dict())
    check_like_torch(model, twin)


def _name_of(model: minidl.Sequential, child: Module) -> str:
    return next(name for name, c in model.children() if c is child)


def test_insert_out_of_range_is_torchs_index_error() -> None:
    for container in (net(), torch_module(net())):
        with pytest.raises(IndexError, match="Index out of range: 8"):
            container.insert(8, type(container[1])())
        with pytest.raises(IndexError, match="Index out of range: -8"):
            container.insert(-8, type(container[1])())


@pytest.mark.parametrize("edit", ["append", "insert", "extend", "setitem"])
def test_only_minidl_modules_go_in(edit: str) -> None:
    model = net()
    calls = {
        "append": lambda: model.append(torch.nn.ReLU()),
        "insert": lambda: model.insert(0, "relu"),
        "extend": lambda: model.extend([minidl.ReLU(), 3]),
        "setitem": lambda: model.__setitem__(0, None),
    }
    with pytest.raises(TypeError, match="not a minidl Module"):
        calls[edit]()
    assert len(model) == 7


def test_appended_parameters_stay_separate_and_the_whole_trains_as_torch() -> None:
    model = net()
    twin = torch_module(model)
    model.append(minidl.Tanh()).append(minidl.Linear(1, 2, dtype=F64))
    twin.append(nn.Tanh()).append(nn.Linear(1, 2, dtype=F64))
    twin[-1].load_state_dict(model[-1].state_dict())
    assert flat_span(model.parameters()) is None
    assert "(8): Linear(in_features=1, out_features=2, bias=True)" in repr(model)
    batches = make_batches(25, 4, 2, 2)
    train_minidl(model, minidl.SGD(model.param(), lr=0.05, momentum=0.9), batches)
    train_torch(twin, torch.optim.SGD(twin.parameters(), lr=0.05, momentum=0.9), batches)
    assert_params_match(model, twin)


# -- shrinking and replacing ---------------------------------------------------------------------
@pytest.mark.parametrize("index", [0, -1, 3, slice(0, 2), slice(-2, None), slice(None, None, 3)])
def test_del_and_pop_renumber_as_torch(index: int | slice) -> None:
    model, twin = net(), torch_module(net())
    del model[index]
    del twin[index]
    check_like_torch(model, twin, in_features=model[0].in_features if isinstance(model[0], minidl.Linear) else 25)


def test_pop_returns_the_module_and_removes_it() -> None:
    model = net()
    last = model[-1]
    assert model.pop(-1) is last and len(model) == 6 and last not in list(model)
    twin = torch_module(net())
    twin.pop(-1)
    check_like_torch(model, twin)


def test_setitem_replaces_in_place_keeping_the_name() -> None:
    model, twin = net(), torch_module(net())
    model[1] = minidl.Tanh()
    twin[1] = nn.Tanh()
    check_like_torch(model, twin)
    part, twin_part = model[2:], twin[2:]
    part[0] = minidl.Linear(25, 25, dtype=F64)
    twin_part[0] = nn.Linear(25, 25, dtype=F64)
    part[0].load_state_dict(twin_part[0].state_dict())
    assert repr(part) == repr(twin_part)


# -- the fast paths stay right after edits -------------------------------------------------------
def test_an_edit_rebinds_the_in_place_activation_after_linear() -> None:
    # ReLU computes in place on the output of the Linear before it; with a Tanh put in between it
    # must not any more (it would overwrite the Tanh's saved output and break its backward).
    model, twin = net(), torch_module(net())
    model.insert(1, minidl.Tanh())
    twin.insert(1, nn.Tanh())
    check_like_torch(model, twin)
    del model[1]
    del twin[1]
    check_like_torch(model, twin)


def test_edits_pass_the_containers_switches_to_new_modules() -> None:
    model = net()
    model.needs_input_grad = False
    model.accumulate_grad = False
    first = model[0]
    model.insert(0, minidl.Linear(2, 2, dtype=F64)).append(minidl.Linear(1, 1, dtype=F64))
    assert model[0].needs_input_grad is False and first.needs_input_grad is True
    assert all(m.accumulate_grad is False for m in model if isinstance(m, minidl.Linear))
    x, y = torch.rand(3, 2, dtype=F64), torch.rand(3, 1, dtype=F64)
    twin = torch_module(model)
    criterion = minidl.MSELoss()
    for _ in range(2):  # accumulation off: the second backward gives the same gradients, not twice them
        criterion.forward(model(x), y)
        assert model.backward(criterion.backward()) is None
    torch.nn.functional.mse_loss(twin(x), y).backward()
    theirs = dict(twin.named_parameters())
    for name, grad in model.named_gradients():
        torch.testing.assert_close(grad, theirs[name].grad, msg=lambda m, n=name: f"{n}: {m}")


def test_a_slice_starts_with_the_plain_forward_of_its_first_module() -> None:
    model = net()
    x = torch.randn(4, 25, dtype=F64)
    before = x.clone()
    torch.testing.assert_close(model[1:3](x), torch_module(model)[1:3](x).detach())
    assert torch.equal(x, before), "the slice's ReLU must not compute in place on the caller's tensor"


def test_iteration_and_len_follow_edits() -> None:
    model = minidl.Sequential()
    assert len(model) == 0 and list(model) == [] and model.param() == []
    layers: list[Module] = [minidl.Linear(2, 3, dtype=F64), minidl.ReLU()]
    for layer in layers:
        model.append(layer)
    assert len(model) == 2 and list(model) == layers
    x: Tensor = torch.rand(2, 2, dtype=F64)
    torch.testing.assert_close(model(x), torch.relu(layers[0](x)))
