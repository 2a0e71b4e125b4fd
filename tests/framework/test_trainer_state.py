"""`Trainer.state_dict()` / `load_state_dict()`: a copy that continues the same training bit for bit, and a
load that is all or nothing."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import pytest
import torch

import minidl
from minidl.data import make_disc
from minidl.training import StopRules, Trainer
from minidl.training.trainer_state import STATE_KEYS

OPTIMIZERS: dict[str, Callable[[minidl.Sequential], minidl.Optimizer]] = {
    "sgd": lambda m: minidl.SGD(m.param(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "adam": lambda m: minidl.Adam(m.param(), lr=0.02, betas=(0.8, 0.99), l1=1e-4),
}
SCHEDULERS: dict[str, Callable[[minidl.Optimizer], minidl.LRScheduler | None]] = {
    "none": lambda o: None,
    "step": lambda o: minidl.StepLR(o, step_size=2, gamma=0.5),
    "exponential": lambda o: minidl.ExponentialLR(o, gamma=0.7),
    "cosine": lambda o: minidl.CosineAnnealingLR(o, T_max=6),
}


def build(
    optimizer: str = "adam",
    schedule: str = "step",
    hidden: tuple[int, ...] = (6, 5),
    seed: int = 0,
    patience: int | None = None,
) -> Trainer:
    """A small trainer; ``seed`` draws its initial weights and its shuffle order (not its data)."""
    model = minidl.mlp(hidden=hidden, seed=seed)
    opt = OPTIMIZERS[optimizer](model)
    validation_x, validation_y = make_disc(20, seed=5)
    return Trainer(
        model,
        minidl.BCEWithLogitsLoss(),
        opt,
        make_disc(40, seed=2),
        make_disc(16, seed=3),
        validation=(validation_x, 1 - validation_y) if patience else None,  # flipped: it gets worse as training learns
        batch_size=7,
        scheduler=SCHEDULERS[schedule](opt),
        stop=StopRules(max_epochs=None, patience=patience),
        threshold=0.0,
        seed=seed + 1,
    )


def train(trainer: Trainer, epochs: int) -> list[tuple[float, float | None, float, str | None]]:
    """``(train loss, validation loss, lr, stop reason)`` of each of the next ``epochs`` epochs (fewer if it stops)."""
    return [(r.train_loss, r.validation_loss, r.lr, r.stop_reason) for r in itertools.islice(trainer.run(), epochs)]


def assert_same_state(a: Any, b: Any) -> None:
    """Equal nested state dicts, tensors bit for bit (dtype, shape and values)."""
    if isinstance(a, torch.Tensor):
        assert isinstance(b, torch.Tensor) and a.dtype == b.dtype and torch.equal(a, b)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b)
        for key in a:
            assert_same_state(a[key], b[key])
    elif isinstance(a, list | tuple):
        assert type(a) is type(b) and len(a) == len(b)
        for left, right in zip(a, b, strict=True):
            assert_same_state(left, right)
    else:
        assert a == b or (a != a and b != b)  # NaN equals NaN here


def timeless(state: dict[str, Any]) -> dict[str, Any]:
    """``state`` without its wall-clock ``elapsed`` seconds, which two runs of the same epochs never share."""
    return {key: value for key, value in state.items() if key != "elapsed"}


def live_tensors(trainer: Trainer) -> list[torch.Tensor]:
    """What decides the next epoch, as tensors: weights, optimizer buffers, shuffle state, data."""
    loader = trainer.loader
    return [t.clone() for t in (*trainer.optimizer.params_and_state(), loader.generator.get_state(), loader.x)]


# -- round trip ----------------------------------------------------------------------------------
@pytest.mark.parametrize("schedule", list(SCHEDULERS))
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_a_loaded_state_trains_on_exactly_as_the_original(optimizer: str, schedule: str) -> None:
    original = build(optimizer, schedule)
    train(original, 3)
    state = original.state_dict()
    expected = train(original, 2)

    fresh = build(optimizer, schedule)
    fresh.load_state_dict(state)
    assert train(fresh, 2) == expected
    assert_same_state(timeless(fresh.state_dict()), timeless(original.state_dict()))
    assert fresh.epoch == original.epoch == 5


def test_the_state_carries_weights_optimizer_and_shuffle_order_not_the_build_seed() -> None:
    original = build("sgd", "cosine")
    train(original, 3)
    state = original.state_dict()
    expected = train(original, 3)

    other = build("sgd", "cosine", seed=9)  # other initial weights and shuffle seed: all must come from the state
    other.load_state_dict(state)
    assert train(other, 3) == expected
    assert_same_state(timeless(other.state_dict()), timeless(original.state_dict()))


def test_early_stopping_progress_is_part_of_the_state() -> None:
    original = build("sgd", "none", patience=3)
    train(original, 4)
    state = original.state_dict()
    assert state["epochs_without_improvement"] == 1 and math.isfinite(state["best_validation_loss"])
    expected = train(original, 10)
    assert len(expected) == 2 and expected[-1][3] == "validation loss did not improve for 3 epochs"

    fresh = build("sgd", "none", patience=3)
    fresh.load_state_dict(state)
    assert train(fresh, 10) == expected  # stops at the same epoch


def test_the_state_holds_exactly_its_documented_keys() -> None:
    state = build().state_dict()
    assert tuple(state) == STATE_KEYS
    assert state["scheduler"] == {"type": "StepLR", "state": build().scheduler.state_dict()}
    assert build(schedule="none").state_dict()["scheduler"] is None
    assert (state["epoch"], state["elapsed"], state["batch_size"]) == (0, 0.0, 7)
    assert state["generator_state"].dtype == torch.uint8


# -- copies --------------------------------------------------------------------------------------
def test_the_state_is_a_copy_that_later_training_leaves_as_it_was() -> None:
    trainer = build()
    train(trainer, 2)
    state = trainer.state_dict()
    kept = {
        "model": {k: v.clone() for k, v in state["model"].items()},
        "moments": [t.clone() for chunks in state["optimizer"]["state"].values() for t in chunks],
        "generator": state["generator_state"].clone(),
        "scheduler": dict(state["scheduler"]["state"]),
    }
    train(trainer, 2)
    assert_same_state(state["model"], kept["model"])
    assert_same_state([t for chunks in state["optimizer"]["state"].values() for t in chunks], kept["moments"])
    assert_same_state(state["generator_state"], kept["generator"])
    assert state["scheduler"]["state"] == kept["scheduler"] and state["epoch"] == 2


def test_a_loaded_state_is_copied_so_it_can_be_loaded_again() -> None:
    original = build()
    train(original, 2)
    state = original.state_dict()
    expected = train(original, 2)
    for _ in range(2):
        fresh = build()
        fresh.load_state_dict(state)
        assert train(fresh, 2) == expected


# -- refusals: all or nothing --------------------------------------------------------------------
def assert_refused_unchanged(trainer: Trainer, state: dict[str, Any], message: str) -> None:
    before, state_before = live_tensors(trainer), trainer.state_dict()
    lr, batch_size = trainer.optimizer.lr, trainer.batch_size
    with pytest.raises(ValueError, match=message):
        trainer.load_state_dict(state)
    for left, right in zip(live_tensors(trainer), before, strict=True):
        assert torch.equal(left, right)
    assert_same_state(trainer.state_dict(), state_before)
    assert (trainer.optimizer.lr, trainer.batch_size) == (lr, batch_size)


@pytest.fixture(scope="module")
def saved() -> dict[str, Any]:
    """The state of an Adam + StepLR trainer after 3 epochs."""
    trainer = build()
    train(trainer, 3)
    return trainer.state_dict()


@pytest.mark.parametrize(
    ("other", "message"),
    [
        (lambda: build(hidden=(6, 4)), r"'2.weight' has shape \[5, 6\] but the model's is \[4, 6\]"),
        (lambda: build(hidden=(6, 5, 2)), r"the weights do not fit this model: missing \['6.weight', '6.bias'\]"),
        (lambda: build("sgd"), "the saved optimizer is Adam, this trainer's is SGD"),
        (lambda: build(schedule="cosine"), "scheduler is StepLR, this trainer's is CosineAnnealingLR"),
        (lambda: build(schedule="none"), "scheduler is StepLR, this trainer's is None"),
    ],
    ids=["layer-size", "layer-count", "optimizer", "scheduler", "no-scheduler"],
)
def test_a_state_of_another_build_is_refused_and_changes_nothing(saved, other, message: str) -> None:
    trainer = other()
    train(trainer, 1)
    assert_refused_unchanged(trainer, saved, message)


def changed(state: dict[str, Any], **changes: Callable[[Any], Any]) -> dict[str, Any]:
    """A shallow copy of ``state`` with ``key = change(state[key])`` for every change."""
    return {**state, **{key: change(state[key]) for key, change in changes.items()}}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"optimizer": lambda o: {**o, "hyperparameters": {**o["hyperparameters"], "lr": -1.0}}}, "learning rate"),
        ({"optimizer": lambda o: {**o, "state": {"momentum_buffer": o["state"]["exp_avg"]}}}, "momentum_buffer"),
        ({"optimizer": lambda o: {**o, "hyperparameters": {"lr": 0.1}}}, r"Adam hyperparameters are \['lr'\]"),
        ({"scheduler": lambda s: {"type": "StepLR", "state": {**s["state"], "step_size": 0}}}, "does not fit this"),
        ({"scheduler": lambda s: {"type": "StepLR", "state": {**s["state"], "base_lr": math.nan}}}, "rate: nan"),
        ({"scheduler": lambda s: {"type": "StepLR", "state": {"base_lr": 0.1}}}, "StepLR state has fields"),
        ({"batch_size": lambda _: 0}, "Invalid batch_size: 0"),
        ({"generator_state": lambda g: g[:10]}, "does not fit this trainer"),
        ({"epoch": lambda _: 2.5}, "does not fit this trainer"),
        ({"model": lambda m: {**m, "0.weight": m["0.weight"].double()[:, :1]}}, r"has shape \[6, 1\]"),
    ],
    ids=[
        "negative-lr",
        "sgd-state-in-adam",
        "hyperparameter-names",
        "zero-step-size",
        "nan-base-lr",
        "scheduler-fields",
        "batch-size",
        "generator-state",
        "fractional-epoch",
        "weight-shape",
    ],
)
def test_a_state_with_a_bad_value_is_refused_and_everything_rolled_back(saved, change, message: str) -> None:
    trainer = build(seed=4)
    train(trainer, 1)
    assert_refused_unchanged(trainer, changed(saved, **change), message)


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (lambda s: {k: v for k, v in s.items() if k != "generator_state"}, r"missing keys \['generator_state'\]"),
        (lambda s: {**s, "data": None}, r"unexpected keys \['data'\]"),
        (lambda s: {**s, "optimizer": None}, "not a trainer state"),
        (lambda s: {**s, "scheduler": {"state": {}}}, "not a trainer state"),
    ],
    ids=["missing", "unexpected", "not-a-dict", "no-type"],
)
def test_something_that_is_not_a_trainer_state_is_refused(saved, state, message: str) -> None:
    trainer = build()
    assert_refused_unchanged(trainer, state(saved), message)
