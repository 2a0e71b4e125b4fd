"""What `import minidl` offers: the issue's names, the name → class tables, and the two factories."""

from __future__ import annotations

import inspect

import pytest

import minidl

ISSUE_NAMES = [
    "Module",
    "Linear",
    "Sequential",
    "ReLU",
    "LeakyReLU",
    "ELU",
    "Tanh",
    "Sigmoid",
    "SiLU",
    "Softplus",
    "Identity",
    "MSELoss",
    "MAELoss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "Softmax",
    "Features",
    "Problem",
    "SGD",
    "Adam",
    "StepLR",
    "ExponentialLR",
    "CosineAnnealingLR",
    "data",
    "training",
    "Trainer",
    "StopRules",
    "EpochResult",
    "TrainingDiverged",
    "DataLoader",
    "make_disc",
    "mlp",
]


def test_every_name_of_the_issue_is_importable_from_minidl() -> None:
    missing = [name for name in ISSUE_NAMES if not hasattr(minidl, name)]
    assert missing == []
    assert set(ISSUE_NAMES) <= set(minidl.__all__)
    assert all(hasattr(minidl, name) for name in minidl.__all__)


def test_the_data_and_training_packages_come_with_minidl() -> None:
    x, y = minidl.data.make_disc(4, seed=0)
    assert x.shape == (4, 2) and y.shape == (4, 1)
    assert minidl.training.Trainer is minidl.Trainer


@pytest.mark.parametrize(("name", "cls"), [("sgd", minidl.SGD), ("adam", minidl.Adam)])
def test_optimizers_table_maps_names_to_classes(name: str, cls: type[minidl.Optimizer]) -> None:
    assert minidl.OPTIMIZERS[name] is cls
    assert isinstance(cls(minidl.Linear(2, 1).param(), lr=0.1), cls)


@pytest.mark.parametrize("cls", [minidl.SGD, minidl.Adam])
def test_hyperparameter_names_are_the_constructor_keywords_after_params(cls: type[minidl.Optimizer]) -> None:
    keywords = list(inspect.signature(cls).parameters)[1:]
    assert sorted(cls.hyperparameter_names) == sorted(keywords)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("step", "StepLR(base_lr=0.1, step_size=5, gamma=0.5)"),
        ("exponential", "ExponentialLR(base_lr=0.1, gamma=0.5)"),
        ("cosine", "CosineAnnealingLR(base_lr=0.1, T_max=20, eta_min=0.0)"),
    ],
)
def test_make_scheduler_takes_every_setting_and_uses_its_own(name: str, expected: str) -> None:
    optimizer = minidl.SGD(minidl.Linear(2, 1).param(), lr=0.1)
    settings = {"step_size": 5, "gamma": 0.5, "T_max": 20, "eta_min": None}
    scheduler = minidl.make_scheduler(name, optimizer, **settings)
    assert isinstance(scheduler, minidl.SCHEDULERS[name])
    assert repr(scheduler) == expected


def test_make_scheduler_none_is_a_constant_rate_and_bad_names_are_refused() -> None:
    optimizer = minidl.SGD(minidl.Linear(2, 1).param(), lr=0.1)
    assert minidl.make_scheduler("none", optimizer, gamma=0.5) is None
    with pytest.raises(ValueError, match="Unknown scheduler 'linear': choose one of none, step, exponential, cosine"):
        minidl.make_scheduler("linear", optimizer)
    with pytest.raises(TypeError, match=r"unknown settings \['gama'\]"):
        minidl.make_scheduler("step", optimizer, step_size=2, gama=0.5)
