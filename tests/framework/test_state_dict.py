"""State dicts: saving a model and its optimizer mid-training and restoring them continues the same trajectory."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
import torch

import minidl
from minidl.module import Module
from tests.framework.torch_oracle import MODEL_BUILDERS, make_batches, torch_module, train_minidl

OPTIMIZERS: dict[str, Callable[[Module], minidl.Optimizer]] = {
    "sgd": lambda m: minidl.SGD(m.param(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    "adam": lambda m: minidl.Adam(m.param(), lr=0.01, betas=(0.8, 0.99), l1=0.001),
}


def continue_from_saved(
    build_model: Callable[[], Module],
    build_optimizer: Callable[[Module], minidl.Optimizer],
    restore_into: Callable[[], Module] | None = None,
) -> tuple[list, list]:
    """Train 10 steps, save, train 10 more; restore into fresh objects and train the same 10: both parameter lists."""
    batches = make_batches(20, 4, 3, 2)
    model = build_model()
    optimizer = build_optimizer(model)
    train_minidl(model, optimizer, batches[:10])
    saved_model, saved_optimizer = copy.deepcopy(model.state_dict()), copy.deepcopy(optimizer.state_dict())
    train_minidl(model, optimizer, batches[10:])

    fresh = (restore_into or build_model)()
    fresh_optimizer = build_optimizer(fresh)
    fresh.load_state_dict(saved_model)
    fresh_optimizer.load_state_dict(saved_optimizer)
    train_minidl(fresh, fresh_optimizer, batches[10:])
    return model.parameters(), fresh.parameters()


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_restored_training_continues_the_exact_same_trajectory(
    build_model: Callable[[], Module], optimizer: str
) -> None:
    original, restored = continue_from_saved(build_model, OPTIMIZERS[optimizer])
    for a, b in zip(original, restored, strict=True):
        assert torch.equal(a, b)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_optimizer_state_moves_between_packed_and_separate_parameters(optimizer: str) -> None:
    # Saved from a Sequential (one flat buffer), restored into the same layers outside a Sequential.
    def unpacked() -> Module:
        packed = MODEL_BUILDERS["packed"]()
        return _Chain(*packed)

    original, restored = continue_from_saved(MODEL_BUILDERS["packed"], OPTIMIZERS[optimizer], unpacked)
    for a, b in zip(original, restored, strict=True):
        torch.testing.assert_close(a, b)


class _Chain(Module):
    """Layers chained like `Sequential` but with their parameters left as separate tensors."""

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        self.modules = [copy.deepcopy(m) for m in modules]
        for module in self.modules:
            for name in module._param_names:
                module._rebind_parameter(name, getattr(module, name).clone(), getattr(module, name + "_grad").clone())

    def children(self):  # noqa: ANN201
        return ((str(i), m) for i, m in enumerate(self.modules))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for module in self.modules:
            x = module.forward(x)
        return x

    def backward(self, grad: torch.Tensor) -> torch.Tensor:
        for module in reversed(self.modules):
            grad = module.backward(grad)
        return grad


def test_chain_really_has_separate_parameters() -> None:
    chain = _Chain(*MODEL_BUILDERS["packed"]())
    assert len({p.untyped_storage().data_ptr() for p in chain.parameters()}) == len(chain.parameters())


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_optimizer_state_dict_is_a_copy_with_the_step_count(optimizer: str) -> None:
    model = MODEL_BUILDERS["packed"]()
    opt = OPTIMIZERS[optimizer](model)
    train_minidl(model, opt, make_batches(3, 4, 3, 2))
    state = opt.state_dict()
    assert state["type"] == type(opt).__name__ and state["step"] == 3
    snapshot = copy.deepcopy(state)
    train_minidl(model, opt, make_batches(2, 4, 3, 2, seed=1))
    for name, chunks in state["state"].items():
        assert len(chunks) == len(model.param())
        for chunk, before, (p, _) in zip(chunks, snapshot["state"][name], model.param(), strict=True):
            assert chunk.shape == p.shape
            assert torch.equal(chunk, before)


def test_optimizer_state_dict_of_another_type_is_refused() -> None:
    model = MODEL_BUILDERS["packed"]()
    with pytest.raises(ValueError, match="state_dict is for 'SGD', not Adam"):
        minidl.Adam(model.param()).load_state_dict(minidl.SGD(model.param(), lr=0.1).state_dict())


def test_optimizer_state_for_another_model_is_refused() -> None:
    small, large = minidl.mlp(2, (3,), 1, seed=0), minidl.mlp(2, (4,), 1, seed=0)
    source = minidl.Adam(small.param())
    train_minidl(small, source, [(torch.rand(2, 2), torch.rand(2, 1))])
    with pytest.raises(ValueError, match="does not match the model's parameter shapes"):
        minidl.Adam(large.param()).load_state_dict(source.state_dict())


def test_a_refused_optimizer_state_leaves_the_optimizer_as_it_was() -> None:
    small, large = minidl.mlp(2, (3,), 1, seed=0), minidl.mlp(2, (4,), 1, seed=0)
    source = minidl.Adam(small.param(), lr=0.5, betas=(0.5, 0.6))
    train_minidl(small, source, [(torch.rand(2, 2), torch.rand(2, 1))])
    target = minidl.Adam(large.param(), lr=0.01)
    train_minidl(large, target, [(torch.rand(2, 2), torch.rand(2, 1))] * 3)
    before = copy.deepcopy(target.state_dict())
    with pytest.raises(ValueError, match="does not match the model's parameter shapes"):
        target.load_state_dict(source.state_dict())
    after = target.state_dict()
    assert (
        (after["hyperparameters"], after["step"])
        == (before["hyperparameters"], before["step"])
        == (after["hyperparameters"], 3)
    )
    for name, chunks in before["state"].items():
        for chunk, kept in zip(chunks, after["state"][name], strict=True):
            assert torch.equal(chunk, kept)


def test_loading_a_model_state_dict_keeps_the_optimizer_bound_to_it() -> None:
    # load_state_dict copies in place, so an optimizer built before the load trains the loaded weights.
    model = MODEL_BUILDERS["packed"]()
    optimizer = minidl.SGD(model.param(), lr=0.1)
    other = minidl.mlp(3, (4, 4), 2, activation=("tanh", "silu"), seed=99, dtype=torch.float64)
    model.load_state_dict(other.state_dict())
    twin = torch_module(model)
    batches = make_batches(5, 4, 3, 2)
    train_minidl(model, optimizer, batches)
    torch_optimizer = torch.optim.SGD(twin.parameters(), lr=0.1)
    for x, y in batches:
        torch_optimizer.zero_grad()
        torch.nn.functional.mse_loss(twin(x), y).backward()
        torch_optimizer.step()
    for (name, p), (torch_name, q) in zip(model.named_parameters(), twin.named_parameters(), strict=True):
        assert name == torch_name
        torch.testing.assert_close(p, q.detach())


def test_scheduler_state_dict_round_trip() -> None:
    model = MODEL_BUILDERS["separate"]()
    scheduler = minidl.StepLR(minidl.SGD(model.param(), lr=1.0), step_size=3, gamma=0.5)
    for _ in range(4):
        scheduler.step()
    fresh_optimizer = minidl.SGD(model.param(), lr=1.0)
    fresh = minidl.StepLR(fresh_optimizer, step_size=1, gamma=0.9)
    fresh.load_state_dict(scheduler.state_dict())
    for _ in range(5):
        scheduler.step()
        fresh.step()
        assert fresh_optimizer.lr == scheduler.optimizer.lr
