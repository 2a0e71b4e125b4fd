"""The ``optimizer`` and ``scheduler`` sections of a session file, checked against the app's limits.

Every hyperparameter and scheduler setting must lie within the bounds the configuration's controls
allow (`minidl_gui.model.config`), and each section must hold exactly the fields its class saves.
"""

from __future__ import annotations

import inspect
from typing import Any

from torch import Tensor

from minidl.optim import OPTIMIZERS
from minidl.schedulers import SCHEDULERS
from minidl_gui.model.config import (
    MAX_BELOW_ONE,
    MAX_EPOCHS,
    MAX_EPS,
    MAX_LR,
    MAX_PENALTY,
    MIN_EPS,
    MIN_LR,
    RESOLUTION,
)
from minidl_gui.model.json_document import SessionFileError, show_value
from minidl_gui.model.json_tensors import decode_tensor
from minidl_gui.model.json_values import as_integer, as_number, as_object, field

_OPTIMIZERS = {cls.__name__: cls for cls in OPTIMIZERS.values()}
_NUMBERS = {  # hyperparameter → (low, high); the live learning rate may be scheduled down to 0
    "lr": (0.0, MAX_LR),
    "momentum": (0.0, MAX_BELOW_ONE),
    "dampening": (0.0, 1.0),
    "betas": (0.0, MAX_BELOW_ONE),
    "eps": (MIN_EPS, MAX_EPS),
    "weight_decay": (0.0, MAX_PENALTY),
    "l1": (0.0, MAX_PENALTY),
}
_FLAGS = ("nesterov",)
_SCHEDULER_FIELDS = {
    cls.__name__: ("base_lr", "last_epoch", *list(inspect.signature(cls).parameters)[1:]) for cls in SCHEDULERS.values()
}
_SCHEDULER_COUNTS = {"last_epoch": 0, "step_size": 1, "T_max": 1}  # whole numbers → their lowest value
_SCHEDULER_NUMBERS = {"base_lr": (MIN_LR, MAX_LR), "gamma": (RESOLUTION, 1.0), "eta_min": (0.0, MAX_LR)}


def decode_optimizer(value: Any, model: dict[str, Tensor]) -> dict[str, Any]:
    """The optimizer's ``state_dict`` in ``value``, its state tensors shaped like ``model``'s parameters."""
    value = as_object(value, "optimizer")
    kind = field(value, "type", "optimizer.")
    if not isinstance(kind, str) or kind not in _OPTIMIZERS:
        names = " or ".join(sorted(_OPTIMIZERS))
        raise SessionFileError(f"field 'optimizer.type' should be {names}, not {show_value(kind)}")
    optimizer = _OPTIMIZERS[kind]
    hyper = as_object(field(value, "hyperparameters", "optimizer."), "optimizer.hyperparameters")
    _check_names(hyper, optimizer.hyperparameter_names, f"field 'optimizer.hyperparameters' of {kind}", exact=True)
    states = as_object(field(value, "state", "optimizer."), "optimizer.state")
    _check_names(states, optimizer._state_names, f"field 'optimizer.state' of {kind}", exact=False)  # noqa: SLF001
    return {
        "type": kind,
        "hyperparameters": {name: _hyperparameter(v, name) for name, v in hyper.items()},
        "step": as_integer(field(value, "step", "optimizer."), "optimizer.step"),
        "state": {name: _decode_chunks(chunks, f"optimizer.state.{name}", model) for name, chunks in states.items()},
    }


def decode_scheduler(value: Any) -> dict[str, Any] | None:
    """``{"type": class name, "state": LRScheduler.state_dict()}`` in ``value``, or None."""
    if value is None:
        return None
    value = as_object(value, "scheduler")
    kind = field(value, "type", "scheduler.")
    if not isinstance(kind, str) or kind not in _SCHEDULER_FIELDS:
        names = ", ".join(sorted(_SCHEDULER_FIELDS))
        raise SessionFileError(f"field 'scheduler.type' should be one of {names} (or null), not {show_value(kind)}")
    state = as_object(field(value, "state", "scheduler."), "scheduler.state")
    _check_names(state, _SCHEDULER_FIELDS[kind], f"field 'scheduler.state' of {kind}", exact=True)
    decoded: dict[str, Any] = {}
    for name, number in state.items():
        where = f"scheduler.state.{name}"
        if name in _SCHEDULER_COUNTS:
            decoded[name] = as_integer(number, where, low=_SCHEDULER_COUNTS[name], high=MAX_EPOCHS)
        else:
            decoded[name] = as_number(number, where, *_SCHEDULER_NUMBERS[name])
    return {"type": kind, "state": decoded}


def _check_names(found: dict[str, Any], expected: tuple[str, ...], where: str, exact: bool) -> None:
    """SessionFileError unless ``found`` has all of ``expected`` (``exact``) or only some of them."""
    if set(found) - set(expected) or (exact and set(found) != set(expected)):
        raise SessionFileError(f"{where} should have {'' if exact else 'only '}{list(expected)}, not {list(found)}")


def _hyperparameter(value: Any, name: str) -> float | bool | tuple[float, ...]:
    where = f"optimizer.hyperparameters.{name}"
    if name in _FLAGS:
        if type(value) is not bool:
            raise SessionFileError(f"field '{where}' should be true or false, not {show_value(value)}")
        return value
    low, high = _NUMBERS[name]
    if name == "betas":
        if not (isinstance(value, list) and len(value) == 2):
            raise SessionFileError(f"field '{where}' should be a list of 2 numbers, not {show_value(value)}")
        return tuple(as_number(v, f"{where}[{i}]", low, high) for i, v in enumerate(value))
    return as_number(value, where, low, high)


def _decode_chunks(chunks: Any, where: str, model: dict[str, Tensor]) -> list[Tensor]:
    """One state tensor per parameter of ``model``, each of its parameter's shape."""
    params = list(model.items())
    if not (isinstance(chunks, list) and len(chunks) == len(params)):
        raise SessionFileError(f"field '{where}' should be a list of {len(params)} tensors, one per parameter")
    tensors = [decode_tensor(chunk, f"{where}[{i}]") for i, chunk in enumerate(chunks)]
    for index, (tensor, (param_name, param)) in enumerate(zip(tensors, params, strict=True)):
        if tensor.shape != param.shape:
            raise SessionFileError(
                f"tensor '{where}[{index}]' has shape {list(tensor.shape)} but parameter "
                f"'{param_name}' has shape {list(param.shape)}"
            )
    return tensors
