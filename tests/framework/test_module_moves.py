"""`Module.to` and friends as in PyTorch: parameters and gradients move in place, optimizers follow.

This machine may have no GPU: the device plumbing is checked with the "meta" device (tensors with a
shape and dtype but no data), the numbers with dtype moves against torch.nn in float64. The CUDA tests
run only where CUDA is available.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch import Tensor, nn

import minidl
from minidl._flat import flat_span
from minidl.module import Module
from tests.framework.torch_oracle import F64, assert_params_match, make_batches, torch_module, train_minidl, train_torch

F32 = torch.float32
NEEDS_CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")

#: Each minidl optimizer, its torch.optim twin and the hyperparameters both get.
OPTIMIZERS = {
    "sgd-momentum": (minidl.SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9}),
    "adam": (minidl.Adam, torch.optim.Adam, {"lr": 0.01}),
}


def float32_net() -> minidl.Sequential:
    return minidl.mlp(seed=0, dtype=F32)


def float32_linear() -> minidl.Linear:
    return minidl.Linear(2, 3, generator=torch.Generator().manual_seed(0), dtype=F32)


def gradients(model: Module) -> list[Tensor]:
    return [g for _, g in model.named_gradients()]


def everything(model: Module) -> list[Tensor]:
    return model.parameters() + gradients(model)


def one_step(model: Module, optimizer: minidl.Optimizer, x: Tensor, y: Tensor) -> None:
    """zero_grad, forward, loss, backward, step, without reading a number (meta tensors have none)."""
    criterion = minidl.MSELoss()
    optimizer.zero_grad()
    criterion.forward(model.forward(x), y)
    model.backward(criterion.backward())
    optimizer.step()


# -- moving in place --------------------------------------------------------------------------------
def test_to_moves_parameters_and_gradients_in_place_and_keeps_the_flat_buffer() -> None:
    model = float32_net()
    for g in gradients(model):
        g.fill_(0.5)
    tensors, values = everything(model), [t.clone() for t in everything(model)]
    flat_params, flat_grads = flat_span(model.parameters()), flat_span(gradients(model))
    assert flat_params is not None and flat_grads is not None

    assert model.to(F64) is model
    assert all(a is b for a, b in zip(everything(model), tensors, strict=True)), "the tensor objects stay"
    assert all(t.dtype == F64 for t in tensors)
    assert all(torch.equal(t, v.double()) for t, v in zip(tensors, values, strict=True))
    assert flat_span(model.parameters()) is flat_params and flat_params.dtype == F64
    assert flat_span(gradients(model)) is flat_grads and flat_grads.dtype == F64
    # Linear's cached transposed weight followed: the forward pass is the float64 twin's.
    x = torch.rand(5, 2, dtype=F64)
    torch.testing.assert_close(model(x), torch_module(model)(x).detach())


def test_float32_to_float64_and_back_keeps_every_value() -> None:
    model = float32_net()
    before = model.state_dict()
    assert model.double().float() is model
    after = model.state_dict()
    assert all(after[k].dtype == F32 and torch.equal(after[k], v) for k, v in before.items())


def test_the_shorthands_move_to_their_dtype_or_device() -> None:
    model = float32_net()
    for method, dtype in (("double", F64), ("half", torch.float16), ("bfloat16", torch.bfloat16), ("float", F32)):
        assert getattr(model, method)() is model
        assert {t.dtype for t in everything(model)} == {dtype}, method
    assert model.cpu() is model
    assert {t.device.type for t in everything(model)} == {"cpu"}
    assert flat_span(model.parameters()) is not None


def _twins_after(*args: Any, **kwargs: Any) -> tuple[minidl.Linear, nn.Linear]:
    ours, theirs = float32_linear(), nn.Linear(2, 3, dtype=F32)
    assert ours.to(*args, **kwargs) is ours
    assert theirs.to(*args, **kwargs) is theirs
    return ours, theirs


TO_FORMS = {
    "dtype": ((F64,), {}),
    "device": (("cpu",), {}),
    "torch.device": ((torch.device("meta"),), {}),
    "device, dtype": (("meta", F64), {}),
    "dtype, non_blocking": ((F64, True), {}),
    "device, dtype, non_blocking": (("cpu", F64, False), {}),
    "tensor": ((torch.zeros(1, dtype=F64, device="meta"),), {}),
    "tensor, non_blocking": ((torch.zeros(1, dtype=torch.float16), True), {}),
    "dtype=": ((), {"dtype": F64}),
    "device=": ((), {"device": "meta"}),
    "device=, dtype=, non_blocking=": ((), {"device": "meta", "dtype": F64, "non_blocking": True}),
    "device, dtype=": (("meta",), {"dtype": torch.bfloat16}),
    "nothing": ((), {}),
}


@pytest.mark.parametrize("form", list(TO_FORMS))
def test_to_takes_every_form_of_torch_nn_module_to(form: str) -> None:
    args, kwargs = TO_FORMS[form]
    ours, theirs = _twins_after(*args, **kwargs)
    for tensor in everything(ours):
        assert (tensor.device, tensor.dtype) == (theirs.weight.device, theirs.weight.dtype)


BAD_TO = {
    "integer dtype": ((torch.int64,), {}),
    "integer tensor": ((torch.zeros(1, dtype=torch.int32),), {}),
    "bool": ((True,), {}),
    "too many": (("cpu", F64, True, 1), {}),
    "unknown keyword": ((), {"foo": 1}),
    "dtype twice": ((F64,), {"dtype": F32}),
    "non_blocking not a bool": (("cpu",), {"non_blocking": 1}),
}


@pytest.mark.parametrize("case", list(BAD_TO))
def test_to_refuses_what_torch_refuses_with_a_type_error_and_changes_nothing(case: str) -> None:
    args, kwargs = BAD_TO[case]
    with pytest.raises(TypeError):
        nn.Linear(2, 3).to(*args, **kwargs)
    model = float32_net()
    before = model.state_dict()
    with pytest.raises(TypeError):
        model.to(*args, **kwargs)
    assert all(torch.equal(before[k], v) and v.dtype == F32 for k, v in model.state_dict().items())


def test_a_non_floating_dtype_is_named_in_the_error() -> None:
    with pytest.raises(TypeError, match=r"floating-point dtype .*got torch.int64"):
        float32_net().to(torch.int64)


def test_meta_moves_everything_and_the_flat_buffer_still_tiles_it() -> None:
    model = float32_net()
    tensors = everything(model)
    model.to("meta")
    assert all(a is b for a, b in zip(everything(model), tensors, strict=True))
    assert {t.device.type for t in tensors} == {"meta"}
    assert flat_span(model.parameters()) is not None and flat_span(gradients(model)) is not None
    assert model(torch.zeros(4, 2, device="meta")).device.type == "meta"


def test_a_bare_linear_moves_with_its_cached_transposed_weight() -> None:
    layer = float32_linear()
    weight = layer.weight
    layer.double()
    x = torch.rand(4, 2, dtype=F64)
    torch.testing.assert_close(layer(x), x @ weight.t() + layer.bias, rtol=0, atol=0)
    layer.to("meta")  # its tensors are no views of a buffer: each is swapped for its moved self
    assert layer.weight is weight
    assert layer(torch.zeros(4, 2, device="meta", dtype=F64)).device.type == "meta"


def test_a_move_inside_inference_mode_leaves_trainable_tensors() -> None:
    model = float32_net()
    with torch.inference_mode():
        model.double()
    assert not any(t.is_inference() for t in everything(model))
    optimizer = minidl.SGD(model.param(), lr=0.1)
    one_step(model, optimizer, torch.rand(4, 2, dtype=F64), torch.rand(4, 1, dtype=F64))


# -- an optimizer built before the move keeps working ----------------------------------------------
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_a_float32_model_moved_to_float64_trains_in_step_with_torch(optimizer: str) -> None:
    ours, theirs, hyperparameters = OPTIMIZERS[optimizer]
    model = float32_net()
    minidl_optimizer = ours(model.param(), **hyperparameters)  # built before the move
    model.to(torch.float64)
    twin = torch_module(model)
    batches = make_batches(25, 4, 2, 1)
    losses = train_minidl(model, minidl_optimizer, batches)
    expected = train_torch(twin, theirs(twin.parameters(), **hyperparameters), batches)
    torch.testing.assert_close(torch.tensor(losses), torch.tensor(expected), rtol=1e-12, atol=1e-12)
    for name, p in model.named_parameters():
        torch.testing.assert_close(p, dict(twin.named_parameters())[name].detach(), rtol=1e-12, atol=1e-12)
    assert all(t.dtype == F64 for t in minidl_optimizer.params_and_state())


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_a_model_moved_slice_by_slice_trains_in_step_with_torch(optimizer: str) -> None:
    # Moving a part first takes its tensors out of the flat buffer: the optimizer goes per tensor.
    ours, theirs, hyperparameters = OPTIMIZERS[optimizer]
    model = float32_net()
    minidl_optimizer = ours(model.param(), **hyperparameters)
    model[2:4].to(F64)
    assert flat_span(model.parameters()) is None
    assert [p.dtype for p in model.parameters()] == [F32, F32, F64, F64, F32, F32, F32, F32]
    model.to(F64)
    twin = torch_module(model)
    batches = make_batches(25, 4, 2, 1)
    train_minidl(model, minidl_optimizer, batches)
    train_torch(twin, theirs(twin.parameters(), **hyperparameters), batches)
    assert_params_match(model, twin)


def _trained(model: Module, optimizer: minidl.Optimizer, batches: list, dtype: torch.dtype) -> None:
    train_minidl(model, optimizer, [(x.to(dtype), y.to(dtype)) for x, y in batches])


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("build", [float32_net, float32_linear], ids=["packed", "separate"])
def test_optimizer_state_follows_the_move_as_a_saved_and_loaded_one_would(optimizer: str, build: Any) -> None:
    # The same training two ways: moved mid-run, or saved in float32 and loaded into a float64 copy.
    ours, _, hyperparameters = OPTIMIZERS[optimizer]
    in_features, out_features = (2, 1) if build is float32_net else (2, 3)
    first, then = make_batches(10, 4, in_features, out_features), make_batches(15, 4, in_features, out_features, 1)

    moved = build()
    moved_optimizer = ours(moved.param(), **hyperparameters)
    _trained(moved, moved_optimizer, first, F32)
    moved.double()
    _trained(moved, moved_optimizer, then, F64)

    saved = build()
    saved_optimizer = ours(saved.param(), **hyperparameters)
    _trained(saved, saved_optimizer, first, F32)
    loaded = build().double().load_state_dict(saved.state_dict())
    loaded_optimizer = ours(loaded.param(), **hyperparameters)
    loaded_optimizer.load_state_dict(saved_optimizer.state_dict())
    assert all(t.dtype == F64 for t in loaded_optimizer.params_and_state())
    _trained(loaded, loaded_optimizer, then, F64)

    for a, b in zip(moved_optimizer.params_and_state(), loaded_optimizer.params_and_state(), strict=True):
        assert a.dtype == F64 and torch.equal(a, b)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_optimizer_state_follows_a_move_to_meta(optimizer: str) -> None:
    ours, _, hyperparameters = OPTIMIZERS[optimizer]
    model = float32_net()
    minidl_optimizer = ours(model.param(), **hyperparameters)
    one_step(model, minidl_optimizer, torch.rand(4, 2, dtype=F32), torch.rand(4, 1, dtype=F32))
    live = minidl_optimizer.params_and_state()
    assert {t.device.type for t in live} == {"cpu"} and len(live) > 1

    model.to("meta")
    one_step(model, minidl_optimizer, torch.zeros(4, 2, device="meta"), torch.zeros(4, 1, device="meta"))
    live = minidl_optimizer.params_and_state()
    assert {t.device.type for t in live} == {"meta"}
    assert len(live) == 1 + len(minidl_optimizer._state_names), "still one flat buffer per tensor kind"
    assert live[0] is flat_span(model.parameters())
    saved = minidl_optimizer.state_dict()["state"]
    assert {chunk.device.type for chunks in saved.values() for chunk in chunks} == {"meta"}


def test_optimizer_load_state_dict_copies_into_the_parameters_dtype() -> None:
    source = float32_net()
    optimizer = minidl.Adam(source.param(), lr=0.01)
    _trained(source, optimizer, make_batches(3, 4, 2, 1), F32)
    target = float32_net().double()
    target_optimizer = minidl.Adam(target.param(), lr=0.01)
    target_optimizer.load_state_dict(optimizer.state_dict())
    for name, chunks in target_optimizer.state_dict()["state"].items():
        for chunk, expected in zip(chunks, optimizer.state_dict()["state"][name], strict=True):
            assert chunk.dtype == F64 and torch.equal(chunk, expected.double())


# -- load_state_dict keeps the module's own dtype -------------------------------------------------
def test_load_state_dict_copies_into_the_modules_own_dtype_both_ways() -> None:
    wide = minidl.mlp(seed=1, dtype=F64)
    narrow = float32_net()
    weight = narrow[0].weight
    narrow.load_state_dict(wide.state_dict())
    assert narrow[0].weight is weight
    for name, value in narrow.state_dict().items():
        assert value.dtype == F32 and torch.equal(value, wide.state_dict()[name].float())

    wide.load_state_dict(float32_net().state_dict())
    for name, value in wide.state_dict().items():
        assert value.dtype == F64 and torch.equal(value, float32_net().state_dict()[name].double())


# -- flat_span sees through a moved view ------------------------------------------------------------
def test_flat_span_refuses_a_view_whose_data_was_replaced() -> None:
    flat = torch.zeros(6)
    first, second = flat[:2].view(1, 2), flat[2:]
    assert flat_span([first, second]) is flat
    first.data = first.data.clone()  # its _base still says flat, its offset is still 0
    assert first._base is flat
    assert flat_span([first, second]) is None


def test_a_part_moved_alone_keeps_its_values_when_the_whole_model_moves() -> None:
    model = minidl.Sequential(minidl.Linear(2, 3, bias=False, dtype=F32), minidl.Linear(3, 1, bias=False, dtype=F32))
    model[0:1].double()  # model[0]'s weight leaves the flat buffer (no longer the model's alone to move)
    model[0].weight.fill_(0.5)
    model.double()
    assert torch.equal(model[0].weight, torch.full((3, 2), 0.5, dtype=F64))


# -- CUDA (only where there is one) ---------------------------------------------------------------
@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error of a machine without CUDA")
def test_cuda_without_cuda_raises_torchs_error_and_leaves_the_model_usable() -> None:
    with pytest.raises(Exception) as theirs:  # noqa: PT011 - the type is torch's, checked below
        nn.Linear(2, 3).cuda()
    model = float32_net()
    with pytest.raises(type(theirs.value)):
        model.cuda()
    assert {t.device.type for t in everything(model)} == {"cpu"}
    assert flat_span(model.parameters()) is not None
    assert model(torch.zeros(1, 2, dtype=F32)).shape == (1, 1)


@pytest.mark.cuda
@NEEDS_CUDA
def test_seeded_mlp_on_cuda_holds_the_cpu_weights() -> None:
    on_cuda, on_cpu = minidl.mlp(seed=0, device="cuda"), minidl.mlp(seed=0, device="cpu")
    for (name, a), (_, b) in zip(on_cuda.named_parameters(), on_cpu.named_parameters(), strict=True):
        assert a.device.type == "cuda" and torch.equal(a.cpu(), b), name


@pytest.mark.cuda
@NEEDS_CUDA
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_a_cpu_model_trains_on_cuda_and_comes_back(optimizer: str) -> None:
    ours, theirs, hyperparameters = OPTIMIZERS[optimizer]
    model = minidl.mlp(seed=0, dtype=F64)
    twin = torch_module(model)
    minidl_optimizer = ours(model.param(), **hyperparameters)
    batches = make_batches(25, 4, 2, 1)
    train_minidl(model, minidl_optimizer, batches[:5])
    assert model.cuda() is model
    assert {t.device.type for t in everything(model)} == {"cuda"}
    assert flat_span(model.parameters()) is not None
    train_minidl(model, minidl_optimizer, [(x.cuda(), y.cuda()) for x, y in batches[5:20]])
    assert {t.device.type for t in minidl_optimizer.params_and_state()} == {"cuda"}
    assert model.cpu() is model
    train_minidl(model, minidl_optimizer, batches[20:])
    train_torch(twin, theirs(twin.parameters(), **hyperparameters), batches)
    assert {t.device.type for t in everything(model)} == {"cpu"}
    assert_params_match(model, twin)
