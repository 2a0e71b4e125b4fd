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
from minidl.data import CLASS_CHOICE, DATASETS, dataset_problem
from minidl.features import DEFAULT_FEATURES, FEATURE_NAMES
from minidl.init import INIT_NAMES
from minidl.losses import LOSSES
from minidl.problem import Problem

LOSS_NAMES = tuple(name for name in LOSSES if name != "bce_logits")
"""The losses the app offers: `minidl.losses.LOSSES` but ``bce_logits``, whose logit output the app's plots,
drawn for outputs in [0, 1] with the decision boundary at 0.5, cannot show (``mse``, ``mae``, ``bce``,
``cross_entropy``; which of them fit a data set is its `Problem`'s to say)."""
OPTIMIZER_NAMES = ("sgd", "adam")
SCHEDULE_NAMES = ("none", "step", "exponential", "cosine")
OUTPUT_ACTIVATIONS = ("sigmoid", "identity")
# The bounds of every number, used both by the validation below and by the GUI's controls.
INPUTS = 2
"""A point's two coordinates: what the model takes (its `minidl.Features` module, if any, computes the rest)."""
MAX_INPUTS = len(FEATURE_NAMES)
"""The most inputs the first `Linear` layer takes: every input feature."""
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
    """Which points to learn: ``n_train`` + ``n_test`` points of ``dataset`` drawn with ``seed``.

    ``classes`` is the class count of a set whose count is chosen (`minidl.data.CLASS_CHOICE`: blobs,
    spiral); None means the set's default, and a count equal to it is stored as None, so that equal data
    compare equal. Configurations saved before it existed have none.
    """

    dataset: str = "disc"
    n_train: int = 1000
    n_test: int = 1000
    noise: float = 0.0
    seed: int = 0
    classes: int | None = None

    def __post_init__(self) -> None:
        _round_fractions(self, "noise")
        _check_choice("data set", self.dataset, list(DATASETS))
        _check(1 <= self.n_train <= MAX_POINTS, f"n_train must be in 1..{MAX_POINTS}, got {self.n_train}")
        _check(0 <= self.n_test <= MAX_POINTS, f"n_test must be in 0..{MAX_POINTS}, got {self.n_test}")
        _check(0.0 <= self.noise <= 1.0, f"noise must be in [0, 1], got {self.noise}")
        _check(0 <= self.seed <= MAX_SEED, f"seed must be in 0..{MAX_SEED}, got {self.seed}")
        if self.classes is not None and _default_classes(self.dataset, self.classes):
            object.__setattr__(self, "classes", None)

    @property
    def problem(self) -> Problem:
        """What the points ask the model to learn: binary, k classes or regression."""
        return dataset_problem(self.dataset, self.classes)


def _default_classes(dataset: str, classes: int) -> bool:
    """``classes`` is ``dataset``'s own class count; ValueError if the set cannot take that many classes."""
    default = dataset_problem(dataset)
    if dataset not in CLASS_CHOICE:
        _check(
            classes == default.classes,
            f"the {dataset} set is a {default.adjective} problem: only the class count of "
            f"{', '.join(CLASS_CHOICE)} can be chosen, got classes={classes}",
        )
        return True
    return dataset_problem(dataset, classes) == default


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
    """An MLP on a point's input ``features``: the hidden layers, the output activation and the weight init (the
    normal init draws every weight and bias from N(``init_mean``, ``init_std``²); configurations saved before the
    mean existed read as mean 0). Its output width is the data's (`Config.sizes`).

    ``features`` are names of `minidl.features.FEATURE_NAMES` (at least one, each once), kept in that order;
    configurations saved before they existed read as `DEFAULT_FEATURES` (x1, x2: the raw coordinates).
    """

    hidden: tuple[LayerConfig, ...] = (LayerConfig(), LayerConfig(), LayerConfig())
    output_activation: str = "identity"
    init: str = "normal"
    init_mean: float = 0.0
    init_std: float = 1.0
    seed: int = 0
    features: tuple[str, ...] = DEFAULT_FEATURES

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", tuple(self.hidden))
        object.__setattr__(self, "features", _checked_features(self.features))
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


def _checked_features(features: object) -> tuple[str, ...]:
    """``features`` as a tuple in `FEATURE_NAMES` order; ValueError naming the allowed ones if any is unknown,
    repeated, or there is none."""
    allowed = f"choose one or more of {', '.join(FEATURE_NAMES)}"
    _check(
        not isinstance(features, str) and all(isinstance(name, str) for name in features),  # type: ignore[union-attr]
        f"features must be a list of names: {allowed}",
    )
    names = tuple(features)  # type: ignore[arg-type]
    unknown = [name for name in names if name not in FEATURE_NAMES]
    _check(not unknown, f"Unknown input feature(s) {', '.join(map(repr, unknown))}: {allowed}")
    repeated = sorted({name for name in names if names.count(name) > 1}, key=FEATURE_NAMES.index)
    _check(not repeated, f"input feature(s) {', '.join(repeated)} given more than once: each may be used once")
    _check(bool(names), f"the network needs at least one input feature: {allowed}")
    return tuple(sorted(names, key=FEATURE_NAMES.index))


def layer_sizes(network: NetworkConfig, problem: Problem) -> list[int]:
    """Every layer's width, inputs and output included: ``[2, 25, 25, 25, 1]`` for the report's net on two
    classes; the inputs are the features, the outputs ``problem.out_features``."""
    return [len(network.features), *(layer.width for layer in network.hidden), problem.out_features]


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
    """Everything that defines a run. The loss must fit the data's problem (`Problem.check_loss`); BCE needs
    outputs in [0, 1], hence a sigmoid output; k classes are learnt from logits and a regression's targets span
    [-1, 1]: both need the identity output. `fit_problem` builds one that fits from any three sections."""

    data: DataConfig = field(default_factory=DataConfig)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)

    def __post_init__(self) -> None:
        problem = self.data.problem
        problem.check_loss(self.training.loss)
        if self.training.loss == "bce" and self.network.output_activation != "sigmoid":
            raise ValueError("the BCE loss needs outputs in [0, 1]: choose the sigmoid output activation")
        if problem.kind != "binary" and self.network.output_activation != "identity":
            raise ValueError(_NEEDS_IDENTITY[problem.kind].format(problem=problem.adjective))

    @property
    def sizes(self) -> list[int]:
        """Every layer's width, inputs and output included: ``[2, 25, 25, 25, 1]`` (see `layer_sizes`)."""
        return layer_sizes(self.network, self.data.problem)

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts, lists and numbers, ready for ``json.dump``."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, fit: bool = False) -> Config:
        """Build from ``to_dict()``'s shape; missing keys keep their defaults, unknown keys are refused. With ``fit``
        a loss or output activation that does not fit the data's problem is changed to one that does
        (`fit_problem`) instead of refused."""
        _check(isinstance(data, dict), f"a config must be a JSON object, got {type(data).__name__}")
        data = dict(data)
        network = dict(_section(data, "network"))
        if "hidden" in network:
            _check(isinstance(network["hidden"], list), "network.hidden must be a list of {width, activation}")
            network["hidden"] = tuple(_build(LayerConfig, layer, "network.hidden[]") for layer in network["hidden"])
        sections = (
            _build(DataConfig, _section(data, "data"), "data"),
            _build(NetworkConfig, network, "network"),
            _build(TrainingConfig, _section(data, "training"), "training"),
        )
        return fit_problem(*sections)[0] if fit else cls(*sections)

    def replace(self, **sections: Any) -> Config:
        """A copy with some sections replaced: ``config.replace(training=...)``."""
        return replace(self, **sections)


_NEEDS_IDENTITY = {
    "multiclass": "a {problem} problem is learnt from logits (cross-entropy applies the softmax): choose the "
    "identity output activation",
    "regression": "a regression's targets span [-1, 1]: choose the identity output activation",
}


def fit_problem(data: DataConfig, network: NetworkConfig, training: TrainingConfig) -> tuple[Config, str]:
    """A valid `Config` of the three sections, with the loss and the output activation changed where they do not
    fit ``data.problem``, and a sentence saying what changed ("" when nothing did).

    A loss that does not fit becomes the problem's default (``cross_entropy`` for k classes, ``mse`` for a
    regression or two classes); k classes and a regression get the identity output; two classes get the report's
    ``mse`` with the identity output back only when the loss was ``cross_entropy``; BCE keeps its sigmoid.
    """
    config, changes = fitted_changes(data, network, training)
    if not changes:
        return config, ""
    return config, f"The {data.dataset} data is a {data.problem.adjective} problem: {', '.join(changes)}."


def fitted_changes(data: DataConfig, network: NetworkConfig, training: TrainingConfig) -> tuple[Config, list[str]]:
    """`fit_problem`'s configuration and its changes, each as ``"loss mse → cross_entropy"``."""
    problem = data.problem
    loss, output = training.loss, network.output_activation
    if loss not in problem.losses:
        loss = problem.default_loss
        if problem.kind == "binary":
            output = "identity"
    if problem.kind != "binary":
        output = "identity"
    elif loss == "bce":
        output = "sigmoid"
    changes = [
        f"{what} {old} → {new}"
        for what, old, new in (("loss", training.loss, loss), ("output", network.output_activation, output))
        if old != new
    ]
    network, training = replace(network, output_activation=output), replace(training, loss=loss)
    return Config(data=data, network=network, training=training), changes


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
    converted = dict(values)
    for name, value in values.items():
        expected = known[name].type
        if expected == "int | None" and value is not None:
            expected = "int"
        if expected == "tuple[str, ...]" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ValueError(f"{where}.{name} must be a list of strings, got {value!r}")
        if expected in ("int", "float") and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError(f"{where}.{name} must be a number, got {value!r}")
        if expected == "int" and int(value) != value:
            raise ValueError(f"{where}.{name} must be a whole number, got {value!r}")
        if expected == "str" and not isinstance(value, str):
            raise ValueError(f"{where}.{name} must be a string, got {value!r}")
        if expected == "bool" and not isinstance(value, bool):
            raise ValueError(f"{where}.{name} must be true or false, got {value!r}")
        if expected == "int":
            converted[name] = int(value)
    return cls(**converted)
