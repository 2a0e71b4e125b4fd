"""Session files: everything needed to reopen a training and continue it exactly, as plain JSON.

The JSON and tensor encoding is `minidl_gui.model.json_document`'s.

A session file (``.minidl``) is UTF-8 JSON text. Opening one only parses data: no pickle, no
``torch.load``, no code runs. A tensor is ``{"dtype": "float32", "shape": [25, 2], "data": [flat values]}``;
every float32 or float64 value survives the trip through a Python float exactly, so save → open is
bit-exact. Format version 1::

    {"format": "minidl-session", "version": 1,
     "config": {...the app's configuration...}, "seed": 0,
     "data": {"dtype": "float32", "features": 2,
              "train": {"x": [[x1, x2], ...], "y": [0, 1, ...]}, "test": {"x": ..., "y": ...} or null},
     "model": {"0.weight": tensor, ...},
     "optimizer": {"type": "Adam", "hyperparameters": {...}, "step": 120, "state": {"exp_avg": [tensor, ...]}},
     "scheduler": {"type": "StepLR", "state": {"base_lr": 0.1, "last_epoch": 3, ...}} or null,
     "history": {"epoch": [1, 2, 3], "train_loss": [...], ...},
     "gradient_norms": [[w1, w2, w3], ...],
     "trainer": {"epoch": 3, "elapsed": 0.52, "batch_size": 10, "generator_state": tensor}}

The trainer's generator state is the shuffle order to come, so a reopened training draws the same
mini-batches it would have drawn. ``gradient_norms`` (optional: files written before it existed
lack it) holds ‖∂L/∂W_k‖ of every `Linear` layer, one row per history epoch, null where unknown.
Loading checks every field and raises `SessionFileError` naming the
first bad one; it returns a new `SessionData` and changes nothing else.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import torch
from torch import Tensor

from minidl.files import atomic_write, describe_size
from minidl.training import Trainer
from minidl_gui.model import json_document
from minidl_gui.model.config import (
    INPUTS,
    MAX_BATCH_SIZE,
    MAX_EPOCHS,
    MAX_HIDDEN_LAYERS,
    MAX_POINTS,
    MAX_SEED,
    MAX_WIDTH,
)
from minidl_gui.model.history import COLUMNS
from minidl_gui.model.json_document import (
    DTYPE_NAMES,
    History,
    PathLike,
    SessionFileError,
    as_integer,
    as_number,
    as_object,
    check_state_fits,
    decode_state,
    decode_tensor,
    encode_state,
    encode_tensor,
    field,
    is_number,
    parse_document,
    plain_columns,
    read_bytes,
    show_value,
)
from minidl_gui.model.session_format.history_section import decode_gradient_norms, decode_history
from minidl_gui.model.session_format.optimizer_section import decode_optimizer, decode_scheduler

FORMAT = "minidl-session"
VERSION = 1
SUFFIX = ".minidl"
_WHAT = "minidl session file"
_GENERATOR_STATE_SIZE = torch.Generator().get_state().numel()
MAX_CONTAINERS = 2 * MAX_POINTS + MAX_EPOCHS + 10_000
"""The most lists and objects a session holds: a list per point, a gradient-norm row per epoch, and the rest."""
_LARGEST_MODEL = (INPUTS + 1) * MAX_WIDTH + (MAX_HIDDEN_LAYERS - 1) * (MAX_WIDTH + 1) * MAX_WIDTH + MAX_WIDTH + 1
MAX_VALUES = 3 * _LARGEST_MODEL + 2 * MAX_POINTS * (INPUTS + 1) + (len(COLUMNS) + MAX_HIDDEN_LAYERS + 1) * MAX_EPOCHS
MAX_VALUES += 100_000
"""The most values a session holds: the largest model's weights and Adam's two moments, every point, a history
row and a gradient-norm row per epoch, and the rest (generator state, settings). Each parsed number costs Python
~32 bytes: this bounds the memory opening a file takes (~250 MB)."""


@dataclass(frozen=True, eq=False)
class SessionData:
    """Everything a session file holds, with tensors in memory.

    ``optimizer`` is `Optimizer.state_dict()`; ``scheduler`` is ``{"type": class name, "state":
    LRScheduler.state_dict()}`` or None; ``history`` holds equal-length columns (one value per epoch);
    ``epoch``, ``elapsed``, ``batch_size`` and ``generator_state`` (the shuffle generator's
    ``get_state()``) are the trainer's. ``gradient_norms`` is one row per history epoch of per-layer
    gradient norms (finite numbers, None where unknown), or None when the file had none.
    """

    config: dict[str, Any]
    seed: int | None
    train: tuple[Tensor, Tensor]
    test: tuple[Tensor, Tensor] | None
    model: dict[str, Tensor]
    optimizer: dict[str, Any]
    scheduler: dict[str, Any] | None
    history: dict[str, list[float | int | None]]
    epoch: int
    elapsed: float
    batch_size: int
    generator_state: Tensor
    gradient_norms: list[list[float | None]] | None = None


# -- live objects ↔ SessionData ------------------------------------------------------------------
def capture(
    config: Mapping[str, Any],
    trainer: Trainer,
    history: History,
    seed: int | None,
    gradient_norms: Sequence[Sequence[float | None]] | None = None,
) -> SessionData:
    """A copy of where ``trainer`` is: weights, optimizer and scheduler state, data, epoch, shuffle state.

    Call it between epochs, on the thread that runs the trainer; the result shares no tensor with it.
    ``config`` (the app's configuration, JSON-able) is stored as given; ``history`` columns may be
    lists, numpy arrays or tensors (``.tolist()`` makes them plain numbers). ``gradient_norms`` (rows
    of per-layer norms, e.g. an ``(epochs, layers)`` array) is kept with NaN and infinity as None.
    """
    loader, scheduler = trainer.loader, trainer.scheduler
    if loader.generator is None:
        raise ValueError("the trainer's data loader has no generator, so its shuffle order cannot be saved")
    return SessionData(
        config=copy.deepcopy(dict(config)),
        seed=seed,
        train=(loader.x.clone(), loader.y.clone()),
        test=None if trainer.test is None else (trainer.test[0].clone(), trainer.test[1].clone()),
        model=trainer.model.state_dict(),
        optimizer=trainer.optimizer.state_dict(),
        scheduler=None if scheduler is None else {"type": type(scheduler).__name__, "state": scheduler.state_dict()},
        history=plain_columns(history),
        epoch=trainer.epoch,
        elapsed=trainer.elapsed,
        batch_size=trainer.batch_size,
        generator_state=loader.generator.get_state(),
        gradient_norms=None if gradient_norms is None else _finite_rows(gradient_norms),
    )


def _finite_rows(rows: Sequence[Sequence[float | None]]) -> list[list[float | None]]:
    """``rows`` as lists of Python floats, with None for anything that is not a finite number."""
    rows = rows.tolist() if hasattr(rows, "tolist") else rows
    return [[float(v) if v is not None and math.isfinite(v) else None for v in row] for row in rows]


def restore_into(trainer: Trainer, session: SessionData) -> None:
    """Put the session's weights, optimizer/scheduler state, data, epoch and shuffle state into ``trainer``.

    Build ``trainer`` (model, optimizer, scheduler) from ``session.config`` first; its next epoch is then
    the one the saved training would have run. All or nothing: when the session does not fit (other
    layer sizes, another optimizer or scheduler, an invalid hyperparameter) a ValueError says why and
    ``trainer`` is left as it was.
    """
    _check_fits(trainer, session)
    backup = capture({}, trainer, {}, None)
    try:
        _apply(trainer, session)
    except (ValueError, TypeError, KeyError, RuntimeError, ArithmeticError) as err:
        _apply(trainer, backup)
        raise ValueError(f"the session does not fit this trainer: {err}") from err


def _apply(trainer: Trainer, session: SessionData) -> None:
    trainer.model.load_state_dict(session.model)
    trainer.optimizer.load_state_dict(session.optimizer)
    if trainer.scheduler is not None and session.scheduler is not None:
        trainer.scheduler.load_state_dict(dict(session.scheduler["state"]))
        lr = trainer.scheduler.get_lr()  # a bad state (step_size 0, T_max 0) fails here, not mid-training
        if not (math.isfinite(lr) and lr >= 0):
            raise ValueError(f"the scheduler state gives the learning rate {lr}")
    trainer.set_train_data(session.train[0].clone(), session.train[1].clone())
    trainer.test = None if session.test is None else (session.test[0].clone(), session.test[1].clone())
    trainer.batch_size = session.batch_size
    trainer.loader.generator.set_state(session.generator_state)
    trainer.epoch, trainer.elapsed = session.epoch, session.elapsed


def _check_fits(trainer: Trainer, session: SessionData) -> None:
    check_state_fits(trainer.model, session.model)
    own = trainer.optimizer.state_dict()
    theirs = session.optimizer
    if theirs["type"] != own["type"]:
        raise ValueError(f"the session's optimizer is {theirs['type']}, this trainer's is {own['type']}")
    if set(theirs["hyperparameters"]) != set(own["hyperparameters"]):
        raise ValueError(
            f"the session's {own['type']} hyperparameters are {sorted(theirs['hyperparameters'])}, "
            f"expected {sorted(own['hyperparameters'])}"
        )
    scheduler = trainer.scheduler
    own_name = None if scheduler is None else type(scheduler).__name__
    their_name = None if session.scheduler is None else session.scheduler["type"]
    if own_name != their_name:
        raise ValueError(f"the session's learning-rate scheduler is {their_name}, this trainer's is {own_name}")
    if scheduler is not None and set(session.scheduler["state"]) != set(scheduler.state_dict()):
        raise ValueError(
            f"the session's {own_name} state has fields {sorted(session.scheduler['state'])}, "
            f"expected {sorted(scheduler.state_dict())}"
        )


# -- files -----------------------------------------------------------------------------------------
def save_session(path: PathLike, session: SessionData) -> None:
    """Write ``session`` to ``path`` atomically: a crash mid-save leaves the previous file intact.

    ValueError (before anything is written) if the session holds something a file could not reopen.
    """
    try:
        json.dumps(session.config)
    except (TypeError, ValueError) as err:
        raise ValueError(f"cannot save this session: the configuration is not JSON data ({err})") from None
    document = session_document(session)
    try:
        session_from_document(document)
    except SessionFileError as err:
        raise ValueError(f"cannot save this session: {err}") from None
    atomic_write(path, lambda file: _write_within_cap(document, file))


def _write_within_cap(document: dict[str, Any], file: TextIO) -> None:
    """``document`` as JSON into ``file``; ValueError (the save is undone) if it is larger than a file may be."""
    json.dump(document, file)
    size = file.tell()
    if size > json_document.MAX_FILE_BYTES:
        raise ValueError(
            f"cannot save this session: it would take {describe_size(size)}, more than the "
            f"{describe_size(json_document.MAX_FILE_BYTES)} a session file may hold; "
            "use fewer points or a smaller network"
        )


def load_session(path: PathLike) -> SessionData:
    """The session in file ``path``: SessionFileError (corrupt, not a session, too new) or OSError."""
    return loads_session(read_bytes(path, _WHAT), str(path))


def loads_session(raw: bytes, source: str = "<bytes>") -> SessionData:
    """The session encoded in ``raw`` (a file's bytes); ``source`` names it in error messages."""
    document = parse_document(raw, source, FORMAT, VERSION, _WHAT, MAX_CONTAINERS, MAX_VALUES)
    try:
        return session_from_document(document)
    except SessionFileError as err:
        raise SessionFileError(f"{source}: damaged {_WHAT}: {err}") from None


# -- SessionData ↔ JSON document -------------------------------------------------------------------
def session_document(session: SessionData) -> dict[str, Any]:
    """``session`` as JSON data (see the module docstring)."""
    x = session.train[0]
    optimizer = session.optimizer
    hyper = {k: list(v) if isinstance(v, tuple) else v for k, v in optimizer["hyperparameters"].items()}
    return {
        "format": FORMAT,
        "version": VERSION,
        "config": session.config,
        "seed": session.seed,
        "data": {
            "dtype": DTYPE_NAMES.get(x.dtype, str(x.dtype)),
            "features": x.shape[-1] if x.dim() == 2 else 0,
            "train": _encode_points(session.train),
            "test": None if session.test is None else _encode_points(session.test),
        },
        "model": encode_state(session.model),
        "optimizer": {
            "type": optimizer["type"],
            "hyperparameters": hyper,
            "step": optimizer["step"],
            "state": {name: [encode_tensor(t) for t in chunks] for name, chunks in optimizer["state"].items()},
        },
        "scheduler": session.scheduler,
        "history": session.history,
        **({} if session.gradient_norms is None else {"gradient_norms": session.gradient_norms}),
        "trainer": {
            "epoch": session.epoch,
            "elapsed": session.elapsed,
            "batch_size": session.batch_size,
            "generator_state": encode_tensor(session.generator_state),
        },
    }


def session_from_document(document: Mapping[str, Any]) -> SessionData:
    """The `SessionData` a version-1 document holds; SessionFileError naming the first bad field.

    Every number is checked against the limits of the app's controls (`minidl_gui.model.config`), and
    list lengths are checked before any tensor is built from them.
    """
    data = as_object(field(document, "data"), "data")
    dtype_name = field(data, "dtype", "data.")
    if dtype_name != "float32":
        raise SessionFileError(
            f"field 'data.dtype' should be 'float32' (the dtype the app trains with), not {show_value(dtype_name)}"
        )
    train = _decode_points(field(data, "train", "data."), "data.train")
    test = field(data, "test", "data.")
    test = None if test is None else _decode_points(test, "data.test")
    as_integer(field(data, "features", "data."), "data.features", low=INPUTS, high=INPUTS)
    model = decode_state(field(document, "model"), "model")
    trainer = as_object(field(document, "trainer"), "trainer")
    history = decode_history(field(document, "history"))
    epochs = len(next(iter(history.values()), []))
    layers = sum(1 for tensor in model.values() if tensor.dim() == 2)  # one weight matrix per Linear layer
    norms = document.get("gradient_norms")  # optional: absent from files written before it existed
    return SessionData(
        config=as_object(field(document, "config"), "config"),
        seed=_seed(field(document, "seed")),
        train=train,
        test=test,
        model=model,
        optimizer=decode_optimizer(field(document, "optimizer"), model),
        scheduler=decode_scheduler(field(document, "scheduler")),
        history=history,
        epoch=as_integer(field(trainer, "epoch", "trainer."), "trainer.epoch", high=MAX_EPOCHS),
        elapsed=as_number(field(trainer, "elapsed", "trainer."), "trainer.elapsed", low=0.0),
        batch_size=as_integer(field(trainer, "batch_size", "trainer."), "trainer.batch_size", 1, MAX_BATCH_SIZE),
        generator_state=_decode_generator_state(field(trainer, "generator_state", "trainer.")),
        gradient_norms=None if "gradient_norms" not in document else decode_gradient_norms(norms, epochs, layers),
    )


def _encode_points(points: tuple[Tensor, Tensor]) -> dict[str, Any]:
    labels = points[1].reshape(-1).tolist()
    return {"x": points[0].tolist(), "y": [int(v) if v in (0.0, 1.0) else v for v in labels]}


def _decode_points(value: Any, where: str) -> tuple[Tensor, Tensor]:
    """At most `MAX_POINTS` points of `INPUTS` coordinates and their 0/1 labels, as float32 tensors."""
    value = as_object(value, where)
    x, y = field(value, "x", where + "."), field(value, "y", where + ".")
    if not (isinstance(x, list) and isinstance(y, list)):
        raise SessionFileError(f"fields '{where}.x' and '{where}.y' should be lists")
    if len(x) > MAX_POINTS:
        raise SessionFileError(f"'{where}' has {len(x)} points; the app allows at most {MAX_POINTS}")
    if len(x) != len(y):
        raise SessionFileError(f"'{where}' has {len(x)} points but {len(y)} labels")
    for index, row in enumerate(x):
        if not (isinstance(row, list) and len(row) == INPUTS and all(is_number(v) for v in row)):
            raise SessionFileError(f"point {index} of '{where}.x' should be a list of {INPUTS} numbers")
    if not all(type(v) in (int, float) and v in (0, 1) for v in y):
        raise SessionFileError(f"the labels in '{where}.y' should all be 0 or 1")
    points = torch.tensor(x, dtype=torch.float32).reshape(len(x), INPUTS)
    if not torch.isfinite(points).all():
        raise SessionFileError(f"'{where}.x' holds NaN, infinity or a number too large for float32")
    return points, torch.tensor(y, dtype=torch.float32).reshape(-1, 1)


def _decode_generator_state(value: Any) -> Tensor:
    state = decode_tensor(value, "trainer.generator_state", floating=False)
    if state.shape != (_GENERATOR_STATE_SIZE,):
        raise SessionFileError(
            f"tensor 'trainer.generator_state' should have shape [{_GENERATOR_STATE_SIZE}], not {list(state.shape)}"
        )
    try:
        torch.Generator().set_state(state)
    except RuntimeError as err:
        raise SessionFileError(f"tensor 'trainer.generator_state' is not a random generator state ({err})") from None
    return state


def _seed(value: Any) -> int | None:
    if value is None or (type(value) is int and 0 <= value <= MAX_SEED):
        return value
    raise SessionFileError(
        f"field 'seed' should be a whole number from 0 to {MAX_SEED} or null, not {show_value(value)}"
    )
