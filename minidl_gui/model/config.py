"""The playground's configuration: data, network and training, validated, and JSON-friendly.

``Config.to_dict()`` / ``Config.from_dict()`` round-trip through plain dicts (the ``--config`` file
and the saved settings); ``from_dict`` names any unknown key or bad value and says what is allowed.
"""

from __future__ import annotations

import inspect
from dataclasses import asdict, dataclass, field, fields, replace
from enum import Enum
from typing import Any

from minidl.activations import ACTIVATIONS
from minidl.data import DATASETS
from minidl.init import INIT_NAMES
from minidl.losses import LOSSES

LOSS_NAMES = tuple(name for name in LOSSES if name not in ("bce_logits", "cross_entropy"))
"""The losses the app offers: `minidl.losses.LOSSES` but ``bce_logits``, whose logit output the app's plots,
drawn for outputs in [0, 1] with the decision boundary at 0.5, cannot show, and ``cross_entropy`` (k classes),
until the app learns k classes."""
OPTIMIZER_NAMES = ("sgd", "adam")
SCHEDULE_NAMES = ("none", "step", "exponential", "cosine")
OUTPUT_ACTIVATIONS = ("sigmoid", "identity")
# The bounds of every number, used both by the validation below and by the GUI's controls.
INPUTS = 2
"""The network's inputs: a point's two coordinates."""
MAX_WIDTH = 512
MAX_HIDDEN_LAYERS = 8
MAX_POINTS = 10_000
MAX_SEED = 2**31 - 1
MIN_LR = 1e-12
MAX_LR = 100.0
MIN_EPS = 1e-12
MAX_EPS = 1.0
MAX_PENALTY = 10.0
"""The largest L1 / L2 penalty (``l1``, ``weight_decay``)."""
MAX_BATCH_SIZE = MAX_POINTS
MAX_EPOCHS = 100_000
"""The largest ``max_epochs`` and ``step_size``."""
MAX_INIT_STD = 10.0
MAX_INIT_MEAN = MAX_INIT_STD
"""The largest size of the normal init's mean (``init_mean`` is in [-MAX_INIT_MEAN, MAX_INIT_MEAN])."""
DECIMALS = 6
"""Fractions (noise, momentum, betas, gamma, init mean and std) are rounded to this many decimals, the controls'
precision."""
RESOLUTION = 10.0**-DECIMALS
"""The smallest positive fraction: the smallest ``gamma`` and ``init_std``."""
MAX_BELOW_ONE = round(1.0 - RESOLUTION, DECIMALS)
"""The largest momentum or Adam beta (they must stay below 1)."""


def default_noise(dataset: str) -> float:
    """The noise a data set's generator uses when none is given (read from its signature)."""
    return float(inspect.signature(DATASETS[dataset]).parameters["noise"].default)


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _round_fractions(config: object, *names: str) -> None:
    """Round the fields ``names`` of the frozen ``config`` to `DECIMALS` decimals, as the controls show them."""
    for name in names:
        value = getattr(config, name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            object.__setattr__(config, name, round(value, DECIMALS))


def _check_choice(label: str, value: str, choices: tuple[str, ...] | list[str]) -> None:
    _check(value in choices, f"Unknown {label} {value!r}: choose one of {', '.join(choices)}")


class ConfigEdit(str, Enum):
    """Which part of the configuration a user's edit changed: a group of the controls, or all of it from a
    preset. A DATA edit brings generated points back in place of drawn ones; a PRESET starts afresh."""

    DATA = "data"
    NETWORK = "network"
    TRAINING = "training"
    PRESET = "preset"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class DataConfig:
    """Which points to learn: ``n_train`` + ``n_test`` points of ``dataset`` drawn with ``seed``."""

    dataset: str = "disc"
    n_train: int = 1000
    n_test: int = 1000
    noise: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        _round_fractions(self, "noise")
        _check_choice("data set", self.dataset, list(DATASETS))
        _check(1 <= self.n_train <= MAX_POINTS, f"n_train must be in 1..{MAX_POINTS}, got {self.n_train}")
        _check(0 <= self.n_test <= MAX_POINTS, f"n_test must be in 0..{MAX_POINTS}, got {self.n_test}")
        _check(0.0 <= self.noise <= 1.0, f"noise must be in [0, 1], got {self.noise}")
        _check(0 <= self.seed <= MAX_SEED, f"seed must be in 0..{MAX_SEED}, got {self.seed}")


@dataclass(frozen=True)
class LayerConfig:
    """One hidden layer: ``width`` neurons followed by ``activation``."""

    width: int = 25
    activation: str = "relu"

    def __post_init__(self) -> None:
        _check(1 <= self.width <= MAX_WIDTH, f"layer width must be in 1..{MAX_WIDTH}, got {self.width}")
        _check_choice("activation", self.activation, list(ACTIVATIONS))


@dataclass(frozen=True)
class NetworkConfig:
    """A 2-input, 1-output MLP: the hidden layers, the output activation and the weight init (the normal init
    draws every weight and bias from N(``init_mean``, ``init_std``²); configurations saved before the mean
    existed read as mean 0)."""

    hidden: tuple[LayerConfig, ...] = (LayerConfig(), LayerConfig(), LayerConfig())
    output_activation: str = "identity"
    init: str = "normal"
    init_mean: float = 0.0
    init_std: float = 1.0
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", tuple(self.hidden))
        _round_fractions(self, "init_mean", "init_std")
        _check(
            len(self.hidden) <= MAX_HIDDEN_LAYERS,
            f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(self.hidden)}",
        )
        _check_choice("output activation", self.output_activation, OUTPUT_ACTIVATIONS)
        _check_choice("init", self.init, INIT_NAMES)
        _check(
            RESOLUTION <= self.init_std <= MAX_INIT_STD,
            f"init_std must be in [{RESOLUTION:g}, {MAX_INIT_STD:g}] ({DECIMALS} decimals), got {self.init_std}",
        )
        _check(
            -MAX_INIT_MEAN <= self.init_mean <= MAX_INIT_MEAN,
            f"init_mean must be in [{-MAX_INIT_MEAN:g}, {MAX_INIT_MEAN:g}] ({DECIMALS} decimals), got {self.init_mean}",
        )
        _check(0 <= self.seed <= MAX_SEED, f"seed must be in 0..{MAX_SEED}, got {self.seed}")

    @property
    def sizes(self) -> list[int]:
        """Every layer's width, inputs and output included: ``[2, 25, 25, 25, 1]``."""
        return [INPUTS, *(layer.width for layer in self.hidden), 1]


@dataclass(frozen=True)
class TrainingConfig:
    """Loss, optimizer and its hyperparameters, batches, epochs, regularisation and LR schedule.

    ``weight_decay`` is the L2 penalty (its gradient λ·p is added to every gradient), ``l1`` the L1 one.
    """

    loss: str = "mse"
    optimizer: str = "adam"
    lr: float = 5e-3
    momentum: float = 0.0
    nesterov: bool = False
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    weight_decay: float = 0.0
    l1: float = 0.0
    batch_size: int = 1
    max_epochs: int = 100
    schedule: str = "none"
    gamma: float = 0.5
    step_size: int = 50

    def __post_init__(self) -> None:
        _round_fractions(self, "momentum", "beta1", "beta2", "gamma")
        _check_choice("loss", self.loss, LOSS_NAMES)
        _check_choice("optimizer", self.optimizer, OPTIMIZER_NAMES)
        _check_choice("LR schedule", self.schedule, SCHEDULE_NAMES)
        _check(MIN_LR <= self.lr <= MAX_LR, f"learning rate must be in [{MIN_LR:g}, {MAX_LR:g}], got {self.lr}")
        below_one = f"[0, {MAX_BELOW_ONE}] ({DECIMALS} decimals, below 1)"
        _check(0.0 <= self.momentum <= MAX_BELOW_ONE, f"momentum must be in {below_one}, got {self.momentum}")
        _check(not self.nesterov or self.momentum > 0, "Nesterov momentum needs a momentum > 0")
        for name in ("beta1", "beta2"):
            value = getattr(self, name)
            _check(0.0 <= value <= MAX_BELOW_ONE, f"Adam's {name} must be in {below_one}, got {value}")
        _check(MIN_EPS <= self.eps <= MAX_EPS, f"eps must be in [{MIN_EPS:g}, {MAX_EPS:g}], got {self.eps}")
        _check(
            0.0 <= self.weight_decay <= MAX_PENALTY,
            f"weight_decay (L2) must be in [0, {MAX_PENALTY:g}], got {self.weight_decay}",
        )
        _check(0.0 <= self.l1 <= MAX_PENALTY, f"l1 must be in [0, {MAX_PENALTY:g}], got {self.l1}")
        _check(
            1 <= self.batch_size <= MAX_BATCH_SIZE, f"batch_size must be in 1..{MAX_BATCH_SIZE}, got {self.batch_size}"
        )
        _check(1 <= self.max_epochs <= MAX_EPOCHS, f"max_epochs must be in 1..{MAX_EPOCHS}, got {self.max_epochs}")
        _check(
            RESOLUTION <= self.gamma <= 1.0,
            f"gamma must be in [{RESOLUTION:g}, 1] ({DECIMALS} decimals), got {self.gamma}",
        )
        _check(1 <= self.step_size <= MAX_EPOCHS, f"step_size must be in 1..{MAX_EPOCHS}, got {self.step_size}")


@dataclass(frozen=True)
class Config:
    """Everything that defines a run. BCE needs outputs in [0, 1], hence a sigmoid output."""

    data: DataConfig = field(default_factory=DataConfig)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)

    def __post_init__(self) -> None:
        if self.training.loss == "bce" and self.network.output_activation != "sigmoid":
            raise ValueError("the BCE loss needs outputs in [0, 1]: choose the sigmoid output activation")

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts, lists and numbers, ready for ``json.dump``."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Config:
        """Build from ``to_dict()``'s shape; missing keys keep their defaults, unknown keys are refused."""
        _check(isinstance(data, dict), f"a config must be a JSON object, got {type(data).__name__}")
        data = dict(data)
        network = dict(_section(data, "network"))
        if "hidden" in network:
            _check(isinstance(network["hidden"], list), "network.hidden must be a list of {width, activation}")
            network["hidden"] = tuple(_build(LayerConfig, layer, "network.hidden[]") for layer in network["hidden"])
        return cls(
            data=_build(DataConfig, _section(data, "data"), "data"),
            network=_build(NetworkConfig, network, "network"),
            training=_build(TrainingConfig, _section(data, "training"), "training"),
        )

    def replace(self, **sections: Any) -> Config:
        """A copy with some sections replaced: ``config.replace(training=...)``."""
        return replace(self, **sections)


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    unknown = set(data) - {"data", "network", "training"}
    _check(not unknown, f"unknown config section(s) {sorted(unknown)}: expected data, network, training")
    section = data.get(name, {})
    _check(isinstance(section, dict), f"config section {name!r} must be a JSON object")
    return section


def _build(cls: type, values: Any, where: str) -> Any:
    _check(isinstance(values, dict), f"{where} must be a JSON object, got {values!r}")
    known = {f.name: f for f in fields(cls)}
    unknown = set(values) - set(known)
    _check(not unknown, f"unknown key(s) {sorted(unknown)} in {where}: expected {', '.join(known)}")
    for name, value in values.items():
        expected = known[name].type
        if expected in ("int", "float") and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError(f"{where}.{name} must be a number, got {value!r}")
        if expected == "int" and int(value) != value:
            raise ValueError(f"{where}.{name} must be a whole number, got {value!r}")
        if expected == "str" and not isinstance(value, str):
            raise ValueError(f"{where}.{name} must be a string, got {value!r}")
        if expected == "bool" and not isinstance(value, bool):
            raise ValueError(f"{where}.{name} must be true or false, got {value!r}")
    converted = {k: int(v) if known[k].type == "int" else v for k, v in values.items()}
    return cls(**converted)
