"""What `Trainer.state_dict()` holds, and the check that a state fits a trainer before it is loaded.

A trainer's state is everything that decides how its training goes on, except the data and what it was
built with (the loss, the stop rules, the threshold)::

    {"model": Module.state_dict(),
     "optimizer": Optimizer.state_dict(),
     "scheduler": {"type": "StepLR", "state": LRScheduler.state_dict()} or None,
     "epoch": 3, "elapsed": 0.52, "batch_size": 10,
     "generator_state": the shuffle generator's get_state() (a uint8 tensor: the mini-batch orders to come),
     "best_validation_loss": inf, "epochs_without_improvement": 0}

The last two are early stopping's progress (`StopRules.patience`); they stay at ``inf`` and ``0`` while the
trainer has no validation data or no patience.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from minidl.module import Module, check_state_fits
from minidl.optim import Optimizer
from minidl.schedulers import LRScheduler

STATE_KEYS = (
    "model",
    "optimizer",
    "scheduler",
    "epoch",
    "elapsed",
    "batch_size",
    "generator_state",
    "best_validation_loss",
    "epochs_without_improvement",
)


def scheduler_state(scheduler: LRScheduler | None) -> dict[str, Any] | None:
    """``{"type": class name, "state": scheduler.state_dict()}``, or None without a scheduler."""
    return None if scheduler is None else {"type": type(scheduler).__name__, "state": scheduler.state_dict()}


def check_fits(state: Mapping[str, Any], model: Module, optimizer: Optimizer, scheduler: LRScheduler | None) -> None:
    """ValueError, saying what differs, unless ``state`` comes from a trainer built like this one: the same
    keys, layer names and shapes, optimizer class and hyperparameter names, scheduler class and fields.

    The values themselves are checked as `Trainer.load_state_dict` applies them.
    """
    missing = [key for key in STATE_KEYS if key not in state]
    unexpected = [key for key in state if key not in STATE_KEYS]
    if missing or unexpected:
        raise ValueError(f"not a trainer state: missing keys {missing}, unexpected keys {unexpected}")
    check_state_fits(model, state["model"])
    own, theirs = type(optimizer).__name__, state["optimizer"]
    if theirs["type"] != own:
        raise ValueError(f"the saved optimizer is {theirs['type']}, this trainer's is {own}")
    if set(theirs["hyperparameters"]) != set(optimizer.hyperparameter_names):
        raise ValueError(
            f"the saved {own} hyperparameters are {sorted(theirs['hyperparameters'])}, "
            f"expected {sorted(optimizer.hyperparameter_names)}"
        )
    own_name = None if scheduler is None else type(scheduler).__name__
    their_name = None if state["scheduler"] is None else state["scheduler"]["type"]
    if own_name != their_name:
        raise ValueError(f"the saved learning-rate scheduler is {their_name}, this trainer's is {own_name}")
    if scheduler is not None and set(state["scheduler"]["state"]) != set(scheduler.state_dict()):
        raise ValueError(
            f"the saved {own_name} state has fields {sorted(state['scheduler']['state'])}, "
            f"expected {sorted(scheduler.state_dict())}"
        )
