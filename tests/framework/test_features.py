"""Input features: the formulas, `Features`' backward against autograd, its state-dict buffer, `mlp(features=)`."""

from __future__ import annotations

import hashlib
import math
from itertools import combinations

import pytest
import torch
from torch import Tensor, nn

import minidl
from minidl.architectures import mlp
from minidl.features import DEFAULT_FEATURES, FEATURE_NAMES, Features, check_features, feature_values
from minidl.module import check_state_fits
from minidl.training import Trainer
from tests.framework.torch_oracle import F64, torch_module

SUBSETS = [FEATURE_NAMES, DEFAULT_FEATURES, ("x1^2", "x2^2"), ("sin(x2)", "x1*x2", "x1")]


def torch_features(names: tuple[str, ...], x: Tensor) -> Tensor:
    """The contract's formulas, written out with torch operations (autograd can differentiate them)."""
    a, b = x[:, 0] - 0.5, x[:, 1] - 0.5
    formulas = {
        "x1": a,
        "x2": b,
        "x1^2": a**2,
        "x2^2": b**2,
        "x1*x2": a * b,
        "sin(x1)": torch.sin(2 * math.pi * a),
        "sin(x2)": torch.sin(2 * math.pi * b),
    }
    return torch.stack([formulas[name] for name in names], 1)


def points(n: int, seed: int = 0) -> Tensor:
    return torch.rand(n, 2, generator=torch.Generator().manual_seed(seed), dtype=F64)


def test_the_names_are_tensorflow_playgrounds() -> None:
    assert FEATURE_NAMES == ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
    assert DEFAULT_FEATURES == ("x1", "x2")


def test_each_feature_at_hand_computed_points() -> None:
    x = torch.tensor([[0.5, 0.5], [0.75, 0.25], [1.0, 0.0]], dtype=F64)
    values = feature_values(FEATURE_NAMES, x)
    expected = [
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.25, -0.25, 0.0625, 0.0625, -0.0625, 1.0, -1.0],
        [0.5, -0.5, 0.25, 0.25, -0.25, 0.0, 0.0],
    ]
    torch.testing.assert_close(values, torch.tensor(expected, dtype=F64), rtol=0, atol=1e-15)


@pytest.mark.parametrize("names", SUBSETS, ids=",".join)
@pytest.mark.parametrize("batch", [1, 33])
def test_forward_matches_the_formulas_and_backward_matches_autograd(names: tuple[str, ...], batch: int) -> None:
    x = points(batch, seed=batch)
    upstream = torch.randn(batch, len(names), generator=torch.Generator().manual_seed(1), dtype=F64)
    leaf = x.clone().requires_grad_(True)
    expected = torch_features(names, leaf)
    (expected_grad,) = torch.autograd.grad(expected, leaf, upstream)

    module = Features(names)
    out = module.forward(x)
    assert out.shape == (batch, len(names)) and out.dtype == F64
    torch.testing.assert_close(out, expected.detach(), rtol=1e-12, atol=1e-15)
    torch.testing.assert_close(feature_values(names, x), out, rtol=0, atol=0)
    grad = module.backward(upstream)
    assert grad.shape == (batch, 2)
    torch.testing.assert_close(grad, expected_grad, rtol=1e-12, atol=1e-14)


def test_every_pair_of_features_backward_matches_autograd() -> None:
    x = points(5)
    for names in combinations(FEATURE_NAMES, 2):
        leaf = x.clone().requires_grad_(True)
        upstream = torch.ones(5, 2, dtype=F64)
        (expected,) = torch.autograd.grad(torch_features(names, leaf), leaf, upstream)
        module = Features(names)
        module.forward(x)
        torch.testing.assert_close(module.backward(upstream), expected, msg=lambda m, n=names: f"{n}: {m}")


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["x1", "x3"], r"Unknown feature 'x3': choose from x1, x2, x1\^2, x2\^2, x1\*x2, sin\(x1\), sin\(x2\)"),
        (["x1", "x2", "x1"], r"feature 'x1' is chosen twice: choose each of x1, x2, .* at most once"),
        ([], r"choose at least one feature of x1, x2"),
        ("x1", r"a sequence of names, not the string 'x1'"),
    ],
)
def test_bad_names_are_refused_naming_the_allowed_ones(names: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Features(names)
    with pytest.raises(ValueError, match=message):
        feature_values(names, points(2))
    with pytest.raises(ValueError, match=message):
        mlp(hidden=(3,), features=names)


def test_check_features_keeps_the_order_given() -> None:
    assert check_features(["x2", "x1"]) == ("x2", "x1")
    assert Features(["sin(x1)", "x1"]).forward(points(3))[:, 1].tolist() == (points(3)[:, 0] - 0.5).tolist()


def test_raw_points_must_be_n_by_two() -> None:
    with pytest.raises(ValueError, match=r"raw points of shape \(N, 2\), got shape \(4, 3\)"):
        Features(DEFAULT_FEATURES).forward(torch.zeros(4, 3))
    with pytest.raises(RuntimeError, match=r"backward\(\) called before forward\(\)"):
        Features(DEFAULT_FEATURES).backward(torch.zeros(1, 2))


def test_repr_and_sizes() -> None:
    module = Features(["x1", "x2", "x1^2"])
    assert repr(module) == "Features(names=['x1', 'x2', 'x1^2'])"
    assert (module.in_features, module.out_features) == (2, 3)
    assert minidl.Features is Features


# -- the state-dict buffer ------------------------------------------------------------------------------------
def test_the_state_dict_shows_the_features_but_nothing_trains_or_casts_them() -> None:
    model = mlp(hidden=(4,), features=["x1^2", "x2^2", "x1*x2"], seed=0, dtype=F64)
    state = model.state_dict()
    assert list(state) == ["0.features", "1.weight", "1.bias", "3.weight", "3.bias"]
    assert state["0.features"].tolist() == [2, 3, 4] and state["0.features"].dtype == torch.int64
    assert [name for name, _ in model.named_parameters()] == ["1.weight", "1.bias", "3.weight", "3.bias"]
    assert [name for name, _ in model.named_buffers()] == ["0.features"]
    assert len(model.param()) == 4  # the optimizer's view: no buffer
    model.to(torch.float32)
    assert model[0].features.dtype == torch.int64 and model[1].weight.dtype == torch.float32
    model.to("meta")
    assert model[0].features.device.type == "meta" and model[0].features.dtype == torch.int64


def test_models_without_features_keep_their_state_dict() -> None:
    model = mlp(hidden=(4,), seed=0)
    assert list(model.state_dict()) == [name for name, _ in model.named_parameters()]
    assert list(model.named_buffers()) == []


def test_a_state_of_other_features_is_refused_and_nothing_is_copied() -> None:
    model = mlp(hidden=(4,), features=["x1", "x2", "x1^2"], seed=0, dtype=F64)
    before = model.state_dict()
    other = mlp(hidden=(4,), features=["x1", "x2", "x2^2"], seed=1, dtype=F64).state_dict()
    message = r"saved with the features \['x1', 'x2', 'x2\^2'\], this model takes \['x1', 'x2', 'x1\^2'\]"
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(other)
    with pytest.raises(ValueError, match=message):
        check_state_fits(model, other)
    fewer = mlp(hidden=(4,), features=["x1", "x2"], seed=1, dtype=F64).state_dict()
    fewer["1.weight"] = torch.zeros(4, 3, dtype=F64)  # even with weights of the right shape
    with pytest.raises(ValueError, match=r"saved with the features \['x1', 'x2'\]"):
        model.load_state_dict(fewer)
    assert all(torch.equal(model.state_dict()[k], v) for k, v in before.items())
    same = mlp(hidden=(4,), features=["x1", "x2", "x1^2"], seed=1, dtype=F64)
    model.load_state_dict(same.state_dict())
    torch.testing.assert_close(model[1].weight, same[1].weight)


def test_a_trainer_state_of_other_features_is_refused() -> None:
    x, y = points(8), torch.ones(8, 1, dtype=F64)

    def trainer(features: list[str]) -> Trainer:
        model = mlp(hidden=(3,), features=features, seed=0, dtype=F64)
        return Trainer(model, minidl.MSELoss(), minidl.SGD(model.param(), lr=0.1), (x, y), seed=0)

    ours, theirs = trainer(["x1", "x2"]), trainer(["x1", "x1^2"])
    ours.load_state_dict(trainer(["x1", "x2"]).state_dict())
    with pytest.raises(ValueError, match=r"the features \['x1', 'x1\^2'\], this model takes \['x1', 'x2'\]"):
        ours.load_state_dict(theirs.state_dict())


# -- mlp(features=) -----------------------------------------------------------------------------------------
def weights_digest(model: minidl.Module) -> str:
    return hashlib.sha256(torch.cat([p.flatten() for p in model.parameters()]).numpy().tobytes()).hexdigest()


def test_mlp_without_features_is_bit_for_bit_the_model_it_always_was() -> None:
    # Digests of the float32 weights main's mlp drew before features existed.
    old = mlp(seed=7, dtype=torch.float32)
    assert weights_digest(old) == "8a1fc2d659b665f5ae60c2f09d286fb1575da73e174f6a45f80ac795fafeed67"
    other = mlp(seed=11, hidden=(8, 4), activation="tanh", init="normal", init_std=0.5, dtype=torch.float32)
    assert weights_digest(other) == "d72dde7ca708a5b481f8a8757b0538807c41beef50050f9d0f5d9c36fb851916"
    assert weights_digest(mlp(seed=7, dtype=torch.float32, features=None)) == weights_digest(old)
    assert not any(isinstance(module, Features) for module in old)


def test_mlp_with_features_puts_them_first_and_widens_the_first_layer() -> None:
    model = mlp(hidden=(5,), out_features=3, features=["x1", "x2", "x1^2", "sin(x1)"], seed=0)
    assert isinstance(model[0], Features) and model[1].in_features == 4
    assert model.forward(torch.rand(6, 2)).shape == (6, 3)
    with pytest.raises(ValueError, match="in_features must be 2, got 3"):
        mlp(in_features=3, features=["x1"])


@pytest.mark.parametrize("batch", [1, 20])
def test_mlp_with_features_matches_a_torch_model_with_the_same_weights(batch: int) -> None:
    names = ("x1", "x2", "x1^2", "x1*x2", "sin(x2)")
    model = mlp(hidden=(6, 5), out_features=3, activation="tanh", features=names, seed=4, dtype=F64)
    twin = nn.Sequential(*(torch_module(layer) for layer in list(model)[1:]))
    x = points(batch, seed=9)
    upstream = torch.randn(batch, 3, generator=torch.Generator().manual_seed(3), dtype=F64)
    leaf = x.clone().requires_grad_(True)
    expected = twin(torch_features(names, leaf))
    expected.backward(upstream)

    out = model.forward(x)
    grad_x = model.backward(upstream)
    torch.testing.assert_close(out, expected.detach(), rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(grad_x, leaf.grad, rtol=1e-12, atol=1e-14)
    ours = [g for name, g in model.named_gradients()]
    torch.testing.assert_close(ours, [p.grad for p in twin.parameters()], rtol=1e-12, atol=1e-14)


def test_when_nobody_needs_the_input_gradient_features_and_the_first_layer_skip_it() -> None:
    model = mlp(hidden=(4,), features=["x1^2", "x2"], seed=0, dtype=F64)
    reference = mlp(hidden=(4,), features=["x1^2", "x2"], seed=0, dtype=F64)
    x, upstream = points(3), torch.ones(3, 1, dtype=F64)
    model.needs_input_grad = False
    assert model[0].needs_input_grad is False and model[1].needs_input_grad is False
    assert model[3].needs_input_grad is True
    model.forward(x)
    assert model.backward(upstream) is None
    reference.forward(x)
    assert reference.backward(upstream).shape == (3, 2)
    torch.testing.assert_close(list(model.parameters()), list(reference.parameters()))
    torch.testing.assert_close([g for _, g in model.named_gradients()], [g for _, g in reference.named_gradients()])
    model.needs_input_grad = True
    assert model[0].needs_input_grad and model[1].needs_input_grad


def test_a_model_with_features_pickles_and_computes_the_same_after() -> None:
    # The app sends whole trainers to its training process (torch.save, i.e. pickle): the functions are found again
    # by name, the last forward's inputs are not sent.
    import io
    import pickle

    model = mlp(hidden=(4,), features=("x1^2", "x1*x2", "sin(x2)"), seed=0)
    x = torch.rand(5, 2)
    expected = model.forward(x)
    for copy in (pickle.loads(pickle.dumps(model)), _torch_round_trip(model, io.BytesIO())):
        features = copy[0]
        assert isinstance(features, Features) and features.names == ("x1^2", "x1*x2", "sin(x2)")
        assert features._centred is None  # noqa: SLF001 - a cache of the last forward pass, not the model
        assert torch.equal(copy.forward(x), expected)


def _torch_round_trip(model: minidl.Sequential, buffer) -> minidl.Sequential:
    torch.save(model, buffer)
    buffer.seek(0)
    return torch.load(buffer, weights_only=False)
