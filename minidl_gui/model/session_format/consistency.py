"""A saved session checked against its own configuration: the window shows the configuration, so the
problem, the optimizer, the scheduler, the batch size, the seed and the history must be the ones it describes.

`check_agrees` compares a `SessionData` with the `Config` it holds and a `Trainer` freshly built from that
configuration (what the widgets will show), and raises `SessionFileError` naming the first field that differs.
"""

from __future__ import annotations

from typing import Any

from minidl.schedulers import LRScheduler
from minidl.training import Trainer
from minidl_gui.model.config import Config
from minidl_gui.model.json_document import SessionFileError, show_value
from minidl_gui.model.session_format.session_data import SessionData


def check_agrees(saved: SessionData, config: Config, built: Trainer) -> None:
    """SessionFileError unless ``saved`` is a state that ``config`` could have reached; ``built`` is a
    trainer just built from ``config`` (not trained: it is read, never changed)."""
    state = saved.trainer
    if saved.problem != str(config.data.problem):
        _differs("problem", saved.problem, "config.data", str(config.data.problem), "gives")
    epochs = max((len(column) for column in saved.history.values()), default=0)
    if epochs != state["epoch"]:
        raise SessionFileError(f"field 'history' has {epochs} epochs but 'trainer.epoch' is {state['epoch']}")
    if saved.seed is not None and saved.seed != config.network.seed:
        _differs("seed", saved.seed, "config.network.seed", config.network.seed)
    if state["batch_size"] != config.training.batch_size:
        _differs("trainer.batch_size", state["batch_size"], "config.training.batch_size", config.training.batch_size)
    _check_scheduler(state["scheduler"], config, built.scheduler)
    optimizer = state["optimizer"]
    if optimizer["type"] != type(built.optimizer).__name__:
        _differs("optimizer.type", optimizer["type"], "config.training.optimizer", config.training.optimizer)
    for name in built.optimizer.hyperparameter_names:
        found, expected = optimizer["hyperparameters"][name], getattr(built.optimizer, name)
        if name == "lr" and state["scheduler"] is not None:
            _check_scheduled_lr(found, state["scheduler"]["state"], config, built.scheduler)
        elif found != expected:
            _differs(f"optimizer.hyperparameters.{name}", found, "config.training", expected, "gives")


def _check_scheduler(saved: dict[str, Any] | None, config: Config, own: LRScheduler | None) -> None:
    their_name = None if saved is None else saved["type"]
    if their_name != (None if own is None else type(own).__name__):
        _differs("scheduler", their_name, "config.training.schedule", config.training.schedule)
    if own is None:
        return
    for name, expected in own.state_dict().items():
        found = saved["state"][name]
        if name != "last_epoch" and found != expected:
            _differs(f"scheduler.state.{name}", found, "config.training", expected, "gives")


def _check_scheduled_lr(lr: float, saved: dict[str, Any], config: Config, own: LRScheduler) -> None:
    """The live learning rate is the one the saved schedule gives at its epoch, or the configured one: files
    written before the schedule owned the rate kept a rate changed live undecayed until the next epoch.

    `_check_scheduler` found the saved schedule's settings equal to ``own``'s, so ``own`` gives its rate.
    """
    allowed = (config.training.lr, own.lr_at(saved["last_epoch"]))
    if lr not in allowed:
        raise SessionFileError(
            f"field 'optimizer.hyperparameters.lr' is {show_value(lr)}, but 'config.training.lr' and the "
            f"saved schedule give {show_value(allowed[0])} or {show_value(allowed[1])}"
        )


def _differs(where: str, found: Any, source: str, expected: Any, verb: str = "is") -> None:
    raise SessionFileError(f"field '{where}' is {_show(found)}, but '{source}' {verb} {_show(expected)}")


def _show(value: Any) -> str:
    return show_value(list(value) if isinstance(value, tuple) else value)
