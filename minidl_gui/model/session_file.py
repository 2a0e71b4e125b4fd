"""Session files: everything needed to reopen a training and continue it exactly, as plain JSON.

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
     "trainer": {"epoch": 3, "elapsed": 0.52, "batch_size": 10, "generator_state": tensor}}

The trainer's generator state is the shuffle order to come, so a reopened training draws the same
mini-batches it would have drawn. Loading checks every field and raises `SessionFileError` naming the
first bad one; it returns a new `SessionData` and changes nothing else.
"""

from __future__ import annotations

import copy
import json
import math
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import torch
from torch import Tensor

from minidl.module import Module
from minidl.training import Trainer

FORMAT = "minidl-session"
VERSION = 1
SUFFIX = ".minidl"
MAX_FILE_BYTES = 64 * 2**20
_WHAT = "minidl session file"
_MAX_COUNT = 10**12  # bound on epochs, steps, batch sizes and scheduler counters
_MAX_DIM = 2**31 - 1
_MAX_NDIM = 8
_MAX_EXACT_INT = 2**53  # larger integers are not exact as floats
_DTYPES = {"float32": torch.float32, "float64": torch.float64, "uint8": torch.uint8}
_DTYPE_NAMES = {dtype: name for name, dtype in _DTYPES.items()}
_GENERATOR_STATE_SIZE = torch.Generator().get_state().numel()

PathLike = str | os.PathLike
History = Mapping[str, Any]  # name → sequence, numpy array or tensor of numbers (None or NaN when missing)


class SessionFileError(ValueError):
    """A file that cannot be opened as a session (or weights) file; the message names the file and why."""


@dataclass(frozen=True, eq=False)
class SessionData:
    """Everything a session file holds, with tensors in memory.

    ``optimizer`` is `Optimizer.state_dict()`; ``scheduler`` is ``{"type": class name, "state":
    LRScheduler.state_dict()}`` or None; ``history`` holds equal-length columns (one value per epoch);
    ``epoch``, ``elapsed``, ``batch_size`` and ``generator_state`` (the shuffle generator's
    ``get_state()``) are the trainer's.
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


# -- live objects ↔ SessionData ------------------------------------------------------------------
def capture(config: Mapping[str, Any], trainer: Trainer, history: History, seed: int | None) -> SessionData:
    """A copy of where ``trainer`` is: weights, optimizer and scheduler state, data, epoch, shuffle state.

    Call it between epochs, on the thread that runs the trainer; the result shares no tensor with it.
    ``config`` (the app's configuration, JSON-able) is stored as given; ``history`` columns may be
    lists, numpy arrays or tensors (``.tolist()`` makes them plain numbers).
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
    )


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


def plain_columns(history: History) -> dict[str, list[Any]]:
    """``history`` with every column a list (numpy arrays and tensors become lists of Python numbers)."""
    return {name: values.tolist() if hasattr(values, "tolist") else list(values) for name, values in history.items()}


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


def check_state_fits(model: Module, state: Mapping[str, Tensor]) -> None:
    """Raise ValueError unless ``state`` has exactly ``model``'s parameter names and shapes."""
    own = {name: p.shape for name, p, _ in model.named_parameters()}
    missing = [name for name in own if name not in state]
    unexpected = [name for name in state if name not in own]
    if missing or unexpected:
        raise ValueError(f"the weights do not fit this model: missing {missing}, unexpected {unexpected}")
    for name, shape in own.items():
        if state[name].shape != shape:
            raise ValueError(
                f"the weights do not fit this model: '{name}' has shape {list(state[name].shape)} "
                f"but the model's is {list(shape)}"
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
    atomic_write(path, lambda file: json.dump(document, file))


def load_session(path: PathLike) -> SessionData:
    """The session in file ``path``: SessionFileError (corrupt, not a session, too new) or OSError."""
    return loads_session(read_bytes(path, _WHAT), str(path))


def loads_session(raw: bytes, source: str = "<bytes>") -> SessionData:
    """The session encoded in ``raw`` (a file's bytes); ``source`` names it in error messages."""
    document = parse_document(raw, source, FORMAT, VERSION, _WHAT)
    try:
        return session_from_document(document)
    except SessionFileError as err:
        raise SessionFileError(f"{source}: damaged {_WHAT}: {err}") from None


def atomic_write(path: PathLike, write: Callable[[TextIO], None]) -> None:
    """Create or replace text file ``path`` all at once: ``write(file)`` fills a temporary file.

    The temporary file sits in the same directory; it is flushed, fsync'ed, then renamed over ``path``
    (`os.replace` is atomic). On any error it is removed and ``path`` is as it was.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def read_bytes(path: PathLike, what: str) -> bytes:
    """The bytes of file ``path``; SessionFileError if it is larger than `MAX_FILE_BYTES`."""
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        raw = file.read(MAX_FILE_BYTES + 1) if size <= MAX_FILE_BYTES else b""
    if size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
        raise SessionFileError(f"{path}: too large for a {what} (more than {MAX_FILE_BYTES // 2**20} MB)")
    return raw


def parse_document(raw: bytes, source: str, format_name: str, version: int, what: str) -> dict[str, Any]:
    """The JSON object in ``raw`` after checking its ``format`` and ``version`` fields.

    SessionFileError if ``raw`` is not UTF-8 JSON, not a ``format_name`` document, or newer than ``version``.
    """
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise SessionFileError(f"{source}: not a {what} (not UTF-8 text: byte {err.start} is invalid)") from None
    except json.JSONDecodeError as err:
        raise SessionFileError(
            f"{source}: not a {what} (invalid JSON at line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None
    except RecursionError:
        raise SessionFileError(f"{source}: not a {what} (JSON nested too deeply)") from None
    except ValueError as err:  # an integer with thousands of digits
        raise SessionFileError(f"{source}: not a {what} ({err})") from None
    if not isinstance(document, dict):
        raise SessionFileError(f"{source}: not a {what} (the top level is {_kind(document)}, not an object)")
    if document.get("format") != format_name:
        raise SessionFileError(f"{source}: not a {what} (its 'format' is {_show(document.get('format'))})")
    found = document.get("version")
    if type(found) is not int or found < 1:
        raise SessionFileError(f"{source}: not a {what} (its 'version' is {_show(found)})")
    if found > version:
        raise SessionFileError(
            f"{source} was written by a newer version of minidl (format version {found}, this version "
            f"reads up to {version}): update minidl to open it"
        )
    return document


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
            "dtype": _DTYPE_NAMES.get(x.dtype, str(x.dtype)),
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
        "trainer": {
            "epoch": session.epoch,
            "elapsed": session.elapsed,
            "batch_size": session.batch_size,
            "generator_state": encode_tensor(session.generator_state),
        },
    }


def session_from_document(document: Mapping[str, Any]) -> SessionData:
    """The `SessionData` a version-1 document holds; SessionFileError naming the first bad field."""
    data = _object(field(document, "data"), "data")
    dtype_name = field(data, "dtype", "data.")
    if dtype_name not in ("float32", "float64"):
        raise SessionFileError(f"field 'data.dtype' should be 'float32' or 'float64', not {_show(dtype_name)}")
    dtype = _DTYPES[dtype_name]
    features = _integer(field(data, "features", "data."), "data.features", low=1, high=_MAX_DIM)
    test = field(data, "test", "data.")
    model = decode_state(field(document, "model"), "model")
    trainer = _object(field(document, "trainer"), "trainer")
    return SessionData(
        config=_object(field(document, "config"), "config"),
        seed=_seed(field(document, "seed")),
        train=_decode_points(field(data, "train", "data."), "data.train", features, dtype),
        test=None if test is None else _decode_points(test, "data.test", features, dtype),
        model=model,
        optimizer=_decode_optimizer(field(document, "optimizer"), model),
        scheduler=_decode_scheduler(field(document, "scheduler")),
        history=check_history(field(document, "history")),
        epoch=_integer(field(trainer, "epoch", "trainer."), "trainer.epoch"),
        elapsed=_number(field(trainer, "elapsed", "trainer."), "trainer.elapsed", low=0.0),
        batch_size=_integer(field(trainer, "batch_size", "trainer."), "trainer.batch_size", low=1),
        generator_state=_decode_generator_state(field(trainer, "generator_state", "trainer.")),
    )


def encode_tensor(tensor: Tensor) -> dict[str, Any]:
    """``{"dtype": "float32", "shape": [...], "data": [flat values]}``: exact for float32, float64, uint8."""
    if tensor.dtype not in _DTYPE_NAMES:
        raise ValueError(f"cannot save a tensor of dtype {tensor.dtype}: use float32, float64 or uint8")
    return {"dtype": _DTYPE_NAMES[tensor.dtype], "shape": list(tensor.shape), "data": tensor.reshape(-1).tolist()}


def decode_tensor(value: Any, name: str, floating: bool = True) -> Tensor:
    """The tensor `encode_tensor` made; SessionFileError naming tensor ``name`` if ``value`` is not one.

    Float tensors must hold finite numbers (that fit the dtype); ``floating=False`` accepts only uint8.
    """
    value = _object(value, name)
    dtype_name = field(value, "dtype", name + ".")
    allowed = ("float32", "float64") if floating else ("uint8",)
    if dtype_name not in allowed:
        raise SessionFileError(f"tensor '{name}' has dtype {_show(dtype_name)}; expected {' or '.join(allowed)}")
    shape = field(value, "shape", name + ".")
    if not (isinstance(shape, list) and len(shape) <= _MAX_NDIM and all(_is_count(d, _MAX_DIM) for d in shape)):
        raise SessionFileError(f"tensor '{name}' has shape {_show(shape)}; expected a list of whole numbers >= 0")
    data = field(value, "data", name + ".")
    if not isinstance(data, list):
        raise SessionFileError(f"tensor '{name}' has data {_kind(data)}; expected a list of numbers")
    if len(data) != math.prod(shape):
        raise SessionFileError(f"tensor '{name}' has {len(data)} values but shape {shape}")
    if not floating:
        if not all(_is_count(v, 255) for v in data):
            raise SessionFileError(f"tensor '{name}' should hold whole numbers from 0 to 255")
        return torch.tensor(data, dtype=torch.uint8).reshape(shape)
    if not all(_is_float(v) for v in data):
        raise SessionFileError(f"tensor '{name}' holds a value that is not a number")
    tensor = torch.tensor(data, dtype=_DTYPES[dtype_name]).reshape(shape)
    if not torch.isfinite(tensor).all():
        raise SessionFileError(f"tensor '{name}' holds NaN, infinity or a number too large for {dtype_name}")
    return tensor


def encode_state(state: Mapping[str, Tensor]) -> dict[str, Any]:
    """A model's ``state_dict()`` as JSON data: dotted name → encoded tensor."""
    return {name: encode_tensor(tensor) for name, tensor in state.items()}


def decode_state(value: Any, where: str) -> dict[str, Tensor]:
    """The ``state_dict`` `encode_state` made; SessionFileError naming the first bad tensor."""
    return {name: decode_tensor(tensor, f"{where}.{name}") for name, tensor in _object(value, where).items()}


def check_history(value: Any, where: str = "history") -> dict[str, list[float | int | None]]:
    """A copy of ``value`` if it is a history: named, equal-length columns of numbers or None."""
    columns = _object(value, where)
    for name, column in columns.items():
        ok = isinstance(column, list) and all(v is None or type(v) in (int, float) for v in column)
        if not (isinstance(name, str) and ok):
            raise SessionFileError(f"column {name!r} of '{where}' should be a list of numbers (or null)")
    lengths = {name: len(column) for name, column in columns.items()}
    if len(set(lengths.values())) > 1:
        raise SessionFileError(f"the columns of '{where}' have different lengths: {lengths}")
    return {name: list(column) for name, column in columns.items()}


def field(document: Mapping[str, Any], key: str, prefix: str = "") -> Any:
    """``document[key]``, or SessionFileError "field '<prefix><key>' is missing"."""
    if key not in document:
        raise SessionFileError(f"field '{prefix}{key}' is missing")
    return document[key]


def _encode_points(points: tuple[Tensor, Tensor]) -> dict[str, Any]:
    labels = points[1].reshape(-1).tolist()
    return {"x": points[0].tolist(), "y": [int(v) if v in (0.0, 1.0) else v for v in labels]}


def _decode_points(value: Any, where: str, features: int, dtype: torch.dtype) -> tuple[Tensor, Tensor]:
    value = _object(value, where)
    x, y = field(value, "x", where + "."), field(value, "y", where + ".")
    if not (isinstance(x, list) and isinstance(y, list)):
        raise SessionFileError(f"fields '{where}.x' and '{where}.y' should be lists")
    if len(x) != len(y):
        raise SessionFileError(f"'{where}' has {len(x)} points but {len(y)} labels")
    for index, row in enumerate(x):
        if not (isinstance(row, list) and len(row) == features and all(_is_float(v) for v in row)):
            raise SessionFileError(f"point {index} of '{where}.x' should be a list of {features} numbers")
    if not all(type(v) in (int, float) and v in (0, 1) for v in y):
        raise SessionFileError(f"the labels in '{where}.y' should all be 0 or 1")
    points = torch.tensor(x, dtype=dtype).reshape(len(x), features)
    if not torch.isfinite(points).all():
        raise SessionFileError(f"'{where}.x' holds NaN, infinity or a number too large for {dtype}")
    return points, torch.tensor(y, dtype=dtype).reshape(-1, 1)


def _decode_optimizer(value: Any, model: dict[str, Tensor]) -> dict[str, Any]:
    value = _object(value, "optimizer")
    kind = field(value, "type", "optimizer.")
    if not isinstance(kind, str):
        raise SessionFileError(f"field 'optimizer.type' should be a name, not {_show(kind)}")
    hyper = _object(field(value, "hyperparameters", "optimizer."), "optimizer.hyperparameters")
    states = _object(field(value, "state", "optimizer."), "optimizer.state")
    params = list(model.items())
    state = {}
    for name, chunks in states.items():
        where = f"optimizer.state.{name}"
        if not (isinstance(chunks, list) and len(chunks) == len(params)):
            raise SessionFileError(f"field '{where}' should be a list of {len(params)} tensors, one per parameter")
        state[name] = [decode_tensor(chunk, f"{where}[{i}]") for i, chunk in enumerate(chunks)]
        for index, (tensor, (param_name, param)) in enumerate(zip(state[name], params, strict=True)):
            if tensor.shape != param.shape:
                raise SessionFileError(
                    f"tensor '{where}[{index}]' has shape {list(tensor.shape)} but parameter "
                    f"'{param_name}' has shape {list(param.shape)}"
                )
    return {
        "type": kind,
        "hyperparameters": {name: _hyperparameter(v, f"optimizer.hyperparameters.{name}") for name, v in hyper.items()},
        "step": _integer(field(value, "step", "optimizer."), "optimizer.step"),
        "state": state,
    }


def _hyperparameter(value: Any, where: str) -> float | bool | tuple[float, ...]:
    if type(value) is bool:
        return value
    if isinstance(value, list) and 1 <= len(value) <= _MAX_NDIM:
        return tuple(_number(v, f"{where}[{i}]") for i, v in enumerate(value))
    return _number(value, where)


def _decode_scheduler(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    value = _object(value, "scheduler")
    kind = field(value, "type", "scheduler.")
    if not isinstance(kind, str):
        raise SessionFileError(f"field 'scheduler.type' should be a name, not {_show(kind)}")
    state = {}
    for name, number in _object(field(value, "state", "scheduler."), "scheduler.state").items():
        where = f"scheduler.state.{name}"
        exact = type(number) is int
        state[name] = _integer(number, where, low=-_MAX_COUNT) if exact else _number(number, where)
    return {"type": kind, "state": state}


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
    if value is None or (type(value) is int and -(2**63) <= value < 2**64):
        return value
    raise SessionFileError(f"field 'seed' should be a whole number or null, not {_show(value)}")


# -- checks on JSON values -----------------------------------------------------------------------
def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SessionFileError(f"field '{where}' should be an object, not {_kind(value)}")
    return value


def _integer(value: Any, where: str, low: int = 0, high: int = _MAX_COUNT) -> int:
    if type(value) is not int or not low <= value <= high:
        raise SessionFileError(f"field '{where}' should be a whole number from {low} to {high}, not {_show(value)}")
    return value


def _number(value: Any, where: str, low: float = -math.inf) -> float:
    if not (_is_float(value) and math.isfinite(value) and value >= low):
        bound = f" >= {low}" if math.isfinite(low) else ""
        raise SessionFileError(f"field '{where}' should be a finite number{bound}, not {_show(value)}")
    return float(value)


def _is_float(value: Any) -> bool:
    return type(value) is float or (type(value) is int and -_MAX_EXACT_INT <= value <= _MAX_EXACT_INT)


def _is_count(value: Any, high: int) -> bool:
    return type(value) is int and 0 <= value <= high


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return _show(value)


def _show(value: Any) -> str:
    short_list = isinstance(value, list) and len(value) <= _MAX_NDIM
    if short_list and not any(isinstance(v, dict | list) for v in value):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict | list):
        return _kind(value)
    text = "null" if value is None else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
