"""A saved session checked against its own configuration: the window shows the configuration, so the
optimizer, the scheduler, the batch size, the seed and the history must be the ones it describes.

`check_agrees` compares a `SessionData` with a `Session` freshly built from the saved configuration
(what the widgets will show) and raises `SessionFileError` naming the first field that differs.
"""

from __future__ import annotations

from typing import Any

from minidl_gui.model.json_document import SessionFileError, show_value
from minidl_gui.model.session import Session
from minidl_gui.model.session_file import SessionData


def check_agrees(saved: SessionData, session: Session) -> None:
    """SessionFileError unless ``saved`` is a state that ``session``'s configuration could have reached."""
    config = session.config
    epochs = max((len(column) for column in saved.history.values()), default=0)
    if epochs != saved.epoch:
        raise SessionFileError(f"field 'history' has {epochs} epochs but 'trainer.epoch' is {saved.epoch}")
    if saved.seed is not None and saved.seed != config.network.seed:
        _differs("seed", saved.seed, "config.network.seed", config.network.seed)
    if saved.batch_size != config.training.batch_size:
        _differs("trainer.batch_size", saved.batch_size, "config.training.batch_size", config.training.batch_size)
    _check_scheduler(saved, session)
    own = session.optimizer.state_dict()
    if saved.optimizer["type"] != own["type"]:
        _differs("optimizer.type", saved.optimizer["type"], "config.training.optimizer", config.training.optimizer)
    for name, expected in own["hyperparameters"].items():
        found = saved.optimizer["hyperparameters"][name]
        if name == "lr" and saved.scheduler is not None:
            _check_scheduled_lr(found, saved, session)
        elif found != expected:
            _differs(f"optimizer.hyperparameters.{name}", found, "config.training", expected, "gives")


def _check_scheduler(saved: SessionData, session: Session) -> None:
    schedule = session.config.training.schedule
    own = session.scheduler
    their_name = None if saved.scheduler is None else saved.scheduler["type"]
    if their_name != (None if own is None else type(own).__name__):
        _differs("scheduler", their_name, "config.training.schedule", schedule)
    if own is None:
        return
    for name, expected in own.state_dict().items():
        found = saved.scheduler["state"][name]
        if name != "last_epoch" and found != expected:
            _differs(f"scheduler.state.{name}", found, "config.training", expected, "gives")


def _check_scheduled_lr(lr: float, saved: SessionData, session: Session) -> None:
    """The live learning rate is the one the saved schedule gives at its epoch, or the configured one: files
    written before the schedule owned the rate kept a rate changed live undecayed until the next epoch.

    `_check_scheduler` found the saved schedule's settings equal to ``session``'s, so ``session``'s gives its rate.
    """
    epoch = saved.scheduler["state"]["last_epoch"]
    allowed = (session.config.training.lr, session.scheduler.lr_at(epoch))
    if lr not in allowed:
        raise SessionFileError(
            f"field 'optimizer.hyperparameters.lr' is {show_value(lr)}, but 'config.training.lr' and the "
            f"saved schedule give {show_value(allowed[0])} or {show_value(allowed[1])}"
        )


def _differs(where: str, found: Any, source: str, expected: Any, verb: str = "is") -> None:
    raise SessionFileError(f"field '{where}' is {_show(found)}, but '{source}' {verb} {_show(expected)}")


def _show(value: Any) -> str:
    return show_value(list(value) if isinstance(value, tuple) else value)
