"""A run from plain settings: `RunSettings` holds every choice but the data, `build_run` makes the `Trainer`.

The command line, the report's experiments and the app each translate their own settings (flags, an
`Experiment`, the app's configuration) into `RunSettings` and build through here, so one seed gives one run
wherever it is trained: the initial weights come from ``RunSeeds.from_seed(seed).weights``, the shuffling
from its ``shuffle`` stream (the data, drawn by the caller, from its ``train_points`` and ``test_points``).
`update_run` changes a running trainer to new settings between two epochs, as the app's live edits do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch

from minidl.architectures import mlp
from minidl.experiments import REPORT_HIDDEN, REPORT_INIT, REPORT_INIT_STD
from minidl.features import check_features
from minidl.losses import LOSSES
from minidl.module import Module
from minidl.optim import OPTIMIZERS, Optimizer
from minidl.problem import Problem
from minidl.schedulers import NO_SCHEDULE, SCHEDULERS, LRScheduler, make_scheduler
from minidl.seeds import RunSeeds
from minidl.sequential import Sequential
from minidl.training.trainer import Data, StopRules, Trainer

_NETWORK_FIELDS = (
    "hidden",
    "activation",
    "output_activation",
    "init",
    "init_mean",
    "init_std",
    "seed",
    "device",
    "dtype",
    "features",
    "problem",
)
"""The settings that make the model: a running trainer cannot change them (`update_run`)."""
DTYPES = {"float32": torch.float32, "float64": torch.float64}
"""The dtype names ``RunSettings.dtype`` takes, and their torch dtypes."""


@dataclass(frozen=True, kw_only=True)
class RunSettings:
    """Every choice of a run but its data. The defaults are the report's net (2-25-25-25-1 ReLU, weights and
    biases from N(0, 1)), MSE loss, Adam with PyTorch's defaults, batch 1, a constant rate, 100 epochs.

    - network: ``hidden`` widths, ``activation`` (one name for every hidden layer, or one per layer),
      ``output_activation``, ``init``, ``init_mean``, ``init_std`` (see `minidl.architectures.mlp`);
    - where it runs: ``device`` (``"cpu"``, ``"cuda"``, ``"cuda:1"``, …) and ``dtype`` (a key of `DTYPES`);
      None means torch's default (``torch.get_default_device()``, ``torch.get_default_dtype()``). The
      model is built there and the `Trainer` moves the data there once;
    - ``loss``: a key of `minidl.losses.LOSSES`;
    - ``optimizer``: a key of `minidl.optim.OPTIMIZERS`; it takes those of ``lr`` … ``l1`` that its
      constructor names (``momentum`` is SGD's, ``betas`` Adam's);
    - ``scheduler``: a key of `minidl.schedulers.SCHEDULERS` or ``"none"``; it takes those of ``step_size``,
      ``gamma``, ``T_max``, ``eta_min`` that its constructor names, None meaning the constructor's default
      (for ``T_max``: ``stop.max_epochs``). Its base rate is ``lr``;
    - ``batch_size``, ``stop``, ``threshold``: the `Trainer`'s;
    - ``seed``: the user seed of the initial weights and of the shuffling (`minidl.seeds.RunSeeds`);
    - ``problem``: what the data asks (`minidl.problem.Problem`, or its text ``"3 classes"``): the model's output
      width (``problem.out_features``), the losses that fit (checked: ValueError otherwise) and the metrics. k
      classes need ``output_activation="identity"``: cross-entropy takes the logits;
    - ``features``: the input features (names of `minidl.features.FEATURE_NAMES`) the model computes first from
      the raw points, or None for none (the raw points go to the first layer as they are).
    """

    hidden: tuple[int, ...] = REPORT_HIDDEN
    activation: str | tuple[str, ...] = "relu"
    output_activation: str = "identity"
    init: str = REPORT_INIT
    init_mean: float = 0.0
    init_std: float = REPORT_INIT_STD
    loss: str = "mse"
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.0
    dampening: float = 0.0
    nesterov: bool = False
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    weight_decay: float = 0.0
    l1: float = 0.0
    batch_size: int = 1
    scheduler: str = NO_SCHEDULE
    step_size: int | None = None
    gamma: float | None = None
    T_max: int | None = None  # noqa: N815 (PyTorch's name)
    eta_min: float | None = None
    stop: StopRules = StopRules()
    threshold: float = 0.5
    seed: int = 0
    device: str | None = None
    dtype: str | None = None
    problem: Problem = Problem()
    features: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", tuple(self.hidden))
        if not isinstance(self.activation, str):
            object.__setattr__(self, "activation", tuple(self.activation))
        object.__setattr__(self, "betas", tuple(self.betas))
        _check_choice("loss", self.loss, tuple(LOSSES))
        _check_choice("optimizer", self.optimizer, tuple(OPTIMIZERS))
        _check_choice("scheduler", self.scheduler, (NO_SCHEDULE, *SCHEDULERS))
        if not math.isfinite(self.init_mean):
            raise ValueError(f"init_mean must be a finite number, got {self.init_mean}")
        if self.dtype is not None:
            _check_choice("dtype", self.dtype, tuple(DTYPES))
        if self.device is not None:
            _check_device(self.device)
        if isinstance(self.problem, str):
            object.__setattr__(self, "problem", Problem.parse(self.problem))
        self.problem.check_loss(self.loss)
        if self.problem.kind == "multiclass" and self.output_activation != "identity":
            raise ValueError(
                f"a {self.problem.adjective} model ends with its logits, not {self.output_activation!r}: "
                "use output_activation='identity' (cross-entropy applies the softmax itself)"
            )
        if self.features is not None:
            object.__setattr__(self, "features", check_features(self.features))

    @property
    def torch_dtype(self) -> torch.dtype | None:
        """``dtype`` as a `torch.dtype`, or None (torch's default dtype)."""
        return None if self.dtype is None else DTYPES[self.dtype]


def _check_choice(kind: str, name: str, choices: tuple[str, ...]) -> None:
    if name not in choices:
        raise ValueError(f"Unknown {kind} {name!r}: choose one of {', '.join(choices)}")


def _check_device(device: str) -> None:
    """ValueError unless ``device`` names a device torch knows (``"cpu"``, ``"cuda"``, ``"cuda:1"``, …)."""
    try:
        torch.device(device)
    except (RuntimeError, TypeError):
        raise ValueError(f"Unknown device {device!r}: use 'cpu', 'cuda' or 'cuda:N' (None: torch's default)") from None


def check_available(device: str | None) -> None:
    """ValueError saying so when ``device`` is a CUDA device and this machine has none (None: the default)."""
    if device is not None and torch.device(device).type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {device!r} needs a CUDA GPU, and this machine has none: use 'cpu'")


def build_model(settings: RunSettings) -> Sequential:
    """The MLP of ``settings`` (raw points (N, 2) in, through its ``features`` if any; ``problem.out_features``
    outputs) on its device and dtype, its initial weights drawn from the seed's ``weights`` stream (the same
    numbers on every device and dtype: `minidl.factory`). ValueError for a CUDA device on a machine without one."""
    check_available(settings.device)
    return mlp(
        hidden=settings.hidden,
        out_features=settings.problem.out_features,
        activation=settings.activation,
        output_activation=settings.output_activation,
        init=settings.init,
        init_mean=settings.init_mean,
        init_std=settings.init_std,
        seed=RunSeeds.from_seed(settings.seed).weights,
        device=settings.device,
        dtype=settings.torch_dtype,
        features=settings.features,
    )


def build_optimizer(settings: RunSettings, model: Module) -> Optimizer:
    """``settings.optimizer`` on ``model.param()``, with the hyperparameters of ``settings`` it takes."""
    return OPTIMIZERS[settings.optimizer](model.param(), **_hyperparameters(settings))


def build_scheduler(settings: RunSettings, optimizer: Optimizer, *, epoch: int = 0) -> LRScheduler | None:
    """The schedule of ``settings`` on ``optimizer`` after ``epoch`` epochs, or None for a constant rate.

    Its base rate is ``settings.lr`` and the rate it gives at ``epoch`` is in force at once: a schedule built
    mid-run (its settings changed) scales the rate of the very next step.
    """
    scheduler = make_scheduler(settings.scheduler, optimizer, **_schedule_settings(settings))
    if scheduler is not None:
        scheduler.load_state_dict({"base_lr": settings.lr, "last_epoch": epoch})
    return scheduler


def build_run(
    settings: RunSettings,
    train: Data,
    test: Data | None = None,
    validation: Data | None = None,
    *,
    model: Module | None = None,
) -> Trainer:
    """A `Trainer` at epoch 0 of the run ``settings`` describe, on these data.

    It trains ``model`` as it is, or `build_model` (``settings``) by default, with `build_optimizer`,
    `build_scheduler`, the loss, batch size, stop rules and threshold of ``settings``, and shuffles with the
    seed's ``shuffle`` stream. The `Trainer` moves the data once to the model's device and dtype. Bad
    settings raise ValueError (or TypeError) before anything trains.
    """
    model = build_model(settings) if model is None else model
    optimizer = build_optimizer(settings, model)
    return Trainer(
        model,
        LOSSES[settings.loss](),
        optimizer,
        train,
        test,
        validation=validation,
        batch_size=settings.batch_size,
        scheduler=build_scheduler(settings, optimizer),
        stop=settings.stop,
        threshold=settings.threshold,
        seed=RunSeeds.from_seed(settings.seed).shuffle,
        problem=settings.problem,
    )


def update_run(trainer: Trainer, old: RunSettings, new: RunSettings) -> None:
    """Move ``trainer``, built from ``old``, to ``new`` between two epochs; its model, data and epoch count stay.

    From the next epoch on it trains with the new loss, batch size, stop rules and threshold; another kind of
    optimizer is built fresh (its state starts again), else the optimizer's hyperparameters change in place.
    The schedule owns the rate: a changed schedule is rebuilt at the trainer's epoch, an unchanged one gets
    ``new.lr`` as its base, and either way the rate in force at once is the one it gives at that epoch;
    without a schedule it is ``new.lr``. The network (its features too), the problem, the seed, the device and the
    dtype cannot change: build a new run for them (or move the trainer: `Trainer.to`).
    """
    for name in _NETWORK_FIELDS:
        if getattr(new, name) != getattr(old, name):
            raise ValueError(f"the {name} of a running trainer cannot change: build a new run")
    if new.loss != old.loss:
        trainer.criterion = LOSSES[new.loss]()
    rebuilt = new.optimizer != old.optimizer
    if rebuilt:
        trainer.optimizer = build_optimizer(new, trainer.model)
    else:
        _set_hyperparameters(trainer.optimizer, {k: v for k, v in _hyperparameters(new).items() if k != "lr"})
    same_schedule = (old.scheduler, _schedule_settings(old)) == (new.scheduler, _schedule_settings(new))
    if trainer.scheduler is not None and same_schedule and not rebuilt:
        trainer.scheduler.base_lr = new.lr
    else:
        trainer.scheduler = build_scheduler(new, trainer.optimizer, epoch=trainer.epoch)
    if trainer.scheduler is None:
        trainer.optimizer.lr = new.lr
    trainer.batch_size, trainer.stop, trainer.threshold = new.batch_size, new.stop, new.threshold


def _hyperparameters(settings: RunSettings) -> dict[str, Any]:
    """The settings named like the chosen optimizer's hyperparameters (its constructor's keywords)."""
    return {name: getattr(settings, name) for name in OPTIMIZERS[settings.optimizer].hyperparameter_names}


def _schedule_settings(settings: RunSettings) -> dict[str, Any]:
    """`make_scheduler`'s settings: every schedule setting, ``T_max`` defaulting to ``stop.max_epochs`` (>= 1)."""
    t_max = settings.T_max
    if t_max is None and settings.stop.max_epochs is not None:
        t_max = max(settings.stop.max_epochs, 1)
    return {"step_size": settings.step_size, "gamma": settings.gamma, "T_max": t_max, "eta_min": settings.eta_min}


def _set_hyperparameters(optimizer: Optimizer, values: dict[str, Any]) -> None:
    """Set live hyperparameters; Nesterov goes off first and on last, as it depends on the momentum."""
    if values.get("nesterov") is False:
        optimizer.nesterov = False
    for name, value in values.items():
        if name != "nesterov":
            setattr(optimizer, name, value)
    if values.get("nesterov"):
        optimizer.nesterov = True
