"""Runs built from `RunSettings`: the same run as one built by hand from the seed's streams, and live changes
(`update_run`) under which the schedule keeps owning the learning rate."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pytest
import torch
from torch import Tensor

import minidl
from minidl.data import make_disc
from minidl.seeds import RunSeeds
from minidl.training import (
    RunSettings,
    StopRules,
    Trainer,
    build_model,
    build_run,
    build_scheduler,
    update_run,
)


def data() -> tuple[tuple[Tensor, Tensor], tuple[Tensor, Tensor]]:
    """The training and test points, drawn when the test runs: in its default dtype, as the model."""
    return make_disc(40, seed=0), make_disc(20, seed=1)


SMALL = RunSettings(hidden=(6, 5), activation=("tanh", "relu"), lr=0.01, batch_size=8, stop=StopRules(6), seed=4)

CASES: dict[str, dict[str, Any]] = {
    "adam": {},
    "sgd_cosine": {"optimizer": "sgd", "momentum": 0.9, "nesterov": True, "scheduler": "cosine", "eta_min": 0.001},
    "adam_step": {"betas": (0.8, 0.99), "eps": 1e-6, "scheduler": "step", "step_size": 2, "gamma": 0.5},
    "bce_exponential": {"loss": "bce", "output_activation": "sigmoid", "scheduler": "exponential", "gamma": 0.9},
    "penalties": {"optimizer": "sgd", "weight_decay": 0.01, "l1": 0.001, "init": "kaiming", "threshold": 0.3},
    "init_mean": {"init": "normal", "init_mean": 0.25, "init_std": 0.5},
}


def by_hand(settings: RunSettings) -> Trainer:
    """The run as the command line built it before `build_run`: each part from the seed's own stream."""
    seeds = RunSeeds.from_seed(settings.seed)
    model = minidl.mlp(
        hidden=settings.hidden,
        activation=settings.activation,
        output_activation=settings.output_activation,
        init=settings.init,
        init_mean=settings.init_mean,
        init_std=settings.init_std,
        seed=seeds.weights,
    )
    optimizer_class = minidl.OPTIMIZERS[settings.optimizer]
    optimizer = optimizer_class(
        model.param(), **{name: getattr(settings, name) for name in optimizer_class.hyperparameter_names}
    )
    scheduler = minidl.make_scheduler(
        settings.scheduler,
        optimizer,
        step_size=settings.step_size,
        gamma=settings.gamma,
        T_max=settings.stop.max_epochs,
        eta_min=settings.eta_min,
    )
    loss = minidl.LOSSES[settings.loss]()
    return Trainer(
        model,
        loss,
        optimizer,
        *data(),
        batch_size=settings.batch_size,
        scheduler=scheduler,
        stop=settings.stop,
        threshold=settings.threshold,
        seed=seeds.shuffle,
    )


def history(trainer: Trainer) -> list[tuple[float, ...]]:
    return [(r.train_loss, r.train_accuracy, r.test_loss, r.test_accuracy, r.lr) for r in trainer.run()]


@pytest.mark.parametrize("case", list(CASES))
def test_build_run_trains_the_run_built_by_hand_from_the_seed_to_the_bit(case: str) -> None:
    settings = replace(SMALL, **CASES[case])
    built, hand = build_run(settings, *data()), by_hand(settings)
    assert history(built) == history(hand)
    assert all(torch.equal(a, b) for a, b in zip(built.model.parameters(), hand.model.parameters(), strict=True))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"loss": "hinge"}, "Unknown loss 'hinge': choose one of mse, mae, bce, bce_logits"),
        ({"optimizer": "rmsprop"}, "Unknown optimizer 'rmsprop': choose one of sgd, adam"),
        ({"scheduler": "linear"}, "Unknown scheduler 'linear': choose one of none, step, exponential, cosine"),
    ],
)
def test_unknown_names_are_refused_with_the_choices(change: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RunSettings(**change)


def test_cosine_t_max_defaults_to_the_run_s_epochs() -> None:
    trainer = build_run(replace(SMALL, scheduler="cosine", stop=StopRules(7)), data()[0])
    assert trainer.scheduler.T_max == 7


def test_a_schedule_built_at_epoch_k_has_the_settings_lr_as_base_and_its_rate_in_force() -> None:
    settings = replace(SMALL, scheduler="exponential", gamma=0.5, lr=0.02)
    optimizer = minidl.SGD(minidl.Linear(2, 1).param(), lr=0.7)  # another rate, as after a decay
    scheduler = build_scheduler(settings, optimizer, epoch=3)
    assert (scheduler.base_lr, scheduler.last_epoch, optimizer.lr) == (0.02, 3, 0.0025)


def trained(settings: RunSettings, epochs: int = 3) -> Trainer:
    trainer = build_run(settings, *data())
    generator = trainer.run()
    for _ in range(epochs):
        next(generator)
    generator.close()
    return trainer


def next_lrs(trainer: Trainer, epochs: int = 2) -> list[float]:
    generator = trainer.run()
    lrs = [next(generator).lr for _ in range(epochs)]
    generator.close()
    return lrs


EXPONENTIAL = replace(SMALL, scheduler="exponential", gamma=0.5, stop=StopRules(10))


def test_a_live_lr_under_a_schedule_is_its_new_base_from_the_next_epoch() -> None:
    """The issue's case: lr 0.01 → 0.02 after epoch 3 must train epoch 4 at 0.02 · 0.5³, then 0.02 · 0.5⁴."""
    trainer = trained(EXPONENTIAL)
    update_run(trainer, EXPONENTIAL, replace(EXPONENTIAL, lr=0.02))
    assert trainer.scheduler.base_lr == 0.02
    assert next_lrs(trainer) == [0.0025, 0.00125]


@pytest.mark.parametrize(
    "change",
    [{"batch_size": 4}, {"betas": (0.8, 0.99)}, {"loss": "mae"}, {"stop": StopRules(20)}],
    ids=["batch_size", "betas", "loss", "stop"],
)
def test_other_live_changes_keep_the_scheduled_rate(change: dict[str, Any]) -> None:
    """The app set the undecayed base rate for one epoch on any live change while a schedule ran."""
    trainer = trained(EXPONENTIAL)
    update_run(trainer, EXPONENTIAL, replace(EXPONENTIAL, **change))
    assert next_lrs(trainer) == [0.00125, 0.000625]


def test_a_schedule_changed_mid_run_gives_the_rate_of_the_run_s_epoch_at_once() -> None:
    trainer = trained(EXPONENTIAL)
    update_run(trainer, EXPONENTIAL, replace(EXPONENTIAL, scheduler="step", step_size=2, gamma=0.1))
    assert type(trainer.scheduler) is minidl.StepLR and trainer.scheduler.last_epoch == 3
    assert next_lrs(trainer) == pytest.approx([0.01 * 0.1, 0.01 * 0.01], rel=1e-12)


def test_a_new_optimizer_kind_is_built_fresh_and_keeps_the_scheduled_rate() -> None:
    trainer = trained(EXPONENTIAL)
    update_run(trainer, EXPONENTIAL, replace(EXPONENTIAL, optimizer="sgd", momentum=0.9))
    assert type(trainer.optimizer) is minidl.SGD and trainer.optimizer.momentum == 0.9
    assert trainer.scheduler.optimizer is trainer.optimizer
    assert next_lrs(trainer) == [0.00125, 0.000625]


def test_without_a_schedule_a_live_lr_applies_as_it_is() -> None:
    constant = replace(SMALL, stop=StopRules(10))
    faster = replace(constant, lr=0.02)
    scheduled = replace(faster, scheduler="exponential", gamma=0.5)
    trainer = trained(constant)
    update_run(trainer, constant, faster)
    assert next_lrs(trainer) == [0.02, 0.02]
    update_run(trainer, faster, scheduled)
    assert next_lrs(trainer) == [0.02 * 0.5**5, 0.02 * 0.5**6]
    update_run(trainer, scheduled, constant)
    assert trainer.scheduler is None and next_lrs(trainer) == [0.01, 0.01]


def test_the_network_and_the_seed_cannot_change_in_a_running_trainer() -> None:
    trainer = build_run(SMALL, data()[0])
    with pytest.raises(ValueError, match="the hidden of a running trainer cannot change: build a new run"):
        update_run(trainer, SMALL, replace(SMALL, hidden=(3,), activation="relu"))
    with pytest.raises(ValueError, match="the seed of a running trainer cannot change"):
        update_run(trainer, SMALL, replace(SMALL, seed=5))
    for name, value in [("init_mean", 0.5), ("dtype", "float64"), ("device", "cpu")]:
        with pytest.raises(ValueError, match=f"the {name} of a running trainer cannot change"):
            update_run(trainer, SMALL, replace(SMALL, **{name: value}))


# -- device, dtype and the init mean ----------------------------------------------------------------------


def test_the_init_mean_shifts_every_normal_weight_and_bias_by_it() -> None:
    """N(mean, std²) = mean + N(0, std²) for the same draws: the same seed, shifted to the last bit of float32."""
    plain = build_model(replace(SMALL, init="normal", init_std=0.5))
    shifted = build_model(replace(SMALL, init="normal", init_std=0.5, init_mean=-1.5))
    for a, b in zip(plain.parameters(), shifted.parameters(), strict=True):
        torch.testing.assert_close(b, a - 1.5, rtol=0, atol=5e-7)  # two float32 roundings of values below 4


def test_float64_settings_build_a_float64_model_holding_the_float32_draw_and_train_on_float64_data() -> None:
    single, double = build_model(SMALL), build_model(replace(SMALL, dtype="float64"))
    assert {p.dtype for p in double.parameters()} == {torch.float64}
    assert all(torch.equal(a.double(), b) for a, b in zip(single.parameters(), double.parameters(), strict=True))
    trainer = build_run(replace(SMALL, dtype="float64", stop=StopRules(2)), *data())
    assert trainer.loader.x.dtype == trainer.test[0].dtype == torch.float64
    results = list(trainer.run())
    assert all(type(value) is float for r in results for value in (r.train_loss, r.test_loss, r.train_accuracy))


def test_default_device_and_dtype_follow_torch_s_defaults() -> None:
    assert (SMALL.device, SMALL.dtype, SMALL.torch_dtype) == (None, None, None)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        model = build_model(SMALL)
    finally:
        torch.set_default_dtype(previous)
    assert {p.dtype for p in model.parameters()} == {torch.float64}
    assert {p.device.type for p in build_model(replace(SMALL, device="cpu")).parameters()} == {"cpu"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"dtype": "float16"}, "Unknown dtype 'float16': choose one of float32, float64"),
        ({"dtype": "int64"}, "Unknown dtype 'int64'"),
        ({"device": "gpu"}, r"Unknown device 'gpu': use 'cpu', 'cuda' or 'cuda:N'"),
        ({"init_mean": math.nan}, "init_mean must be a finite number, got nan"),
        ({"init_mean": math.inf}, "init_mean must be a finite number, got inf"),
    ],
)
def test_bad_devices_dtypes_and_means_are_refused_saying_what_to_use(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RunSettings(**change)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_a_cuda_run_on_a_machine_without_cuda_is_refused_before_anything_is_built() -> None:
    settings = replace(SMALL, device="cuda")  # valid settings: another machine may run them
    with pytest.raises(ValueError, match="device 'cuda' needs a CUDA GPU, and this machine has none: use 'cpu'"):
        build_run(settings, *data())


@pytest.mark.cuda
def test_a_cuda_run_trains_on_the_gpu_from_the_same_initial_weights() -> None:
    cpu, cuda = build_run(SMALL, *data()), build_run(replace(SMALL, device="cuda"), *data())
    assert cuda.loader.x.is_cuda and cuda.test[0].is_cuda
    assert all(torch.equal(a, b.cpu()) for a, b in zip(cpu.model.parameters(), cuda.model.parameters(), strict=True))
    ours, theirs = history(cpu), history(cuda)
    assert all(type(value) is float for row in theirs for value in row)
    losses = [[(row[0], row[2]) for row in rows] for rows in (theirs, ours)]  # an accuracy may flip a point
    torch.testing.assert_close(torch.tensor(losses[0]), torch.tensor(losses[1]), rtol=1e-3, atol=1e-4)
