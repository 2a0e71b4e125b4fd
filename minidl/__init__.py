"""minidl: a deep-learning framework written from torch tensor operations, without autograd.

Every module has a hand-written ``backward``; the tests prove each gradient against PyTorch.
The data sets live in `minidl.data`, the training loop in `minidl.training`; their main names are
importable from here too.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Where each public name lives. Names are imported on first use (PEP 562), so that `import minidl`
# alone — as `minidl --help` does — costs no torch import (about 4 s on a cold start).
_SOURCES: dict[str, tuple[str, ...]] = {
    "minidl.activations": (
        "ACTIVATIONS",
        "ELU",
        "Identity",
        "LeakyReLU",
        "ReLU",
        "Sigmoid",
        "SiLU",
        "Softmax",
        "Softplus",
        "Tanh",
    ),
    "minidl.data": ("DataLoader", "make_dataset", "make_disc", "train_test_split"),
    "minidl.features": ("Features",),
    "minidl.linear": ("Linear",),
    "minidl.losses": ("LOSSES", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "MAELoss", "MSELoss"),
    "minidl.architectures": ("mlp",),
    "minidl.module": ("Module",),
    "minidl.problem": ("Problem",),
    "minidl.optim": ("OPTIMIZERS", "SGD", "Adam", "Optimizer"),
    "minidl.schedulers": (
        "SCHEDULERS",
        "CosineAnnealingLR",
        "ExponentialLR",
        "LRScheduler",
        "StepLR",
        "make_scheduler",
    ),
    "minidl.sequential": ("Sequential",),
    "minidl.training": ("EpochResult", "RunSettings", "StopRules", "Trainer", "TrainingDiverged", "build_run"),
}
_SUBMODULES = ("data", "training")
_HOME = {name: module for module, names in _SOURCES.items() for name in names}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"minidl.{name}")
    if name in _HOME:
        value = getattr(importlib.import_module(_HOME[name]), name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module 'minidl' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [*_SUBMODULES, *_HOME]
