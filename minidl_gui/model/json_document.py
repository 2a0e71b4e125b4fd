"""JSON documents that hold tensors, shared by session files and weights files.

A document is a JSON object with ``format`` and ``version`` fields. A tensor is stored as
``{"dtype": "float32", "shape": [25, 2], "data": [flat values]}``: float32 and float64 values survive
the trip through a Python float exactly. Reading only parses data (no pickle, no ``torch.load``) and
checks every value, raising `SessionFileError` that names the first bad field. Writes are atomic.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from typing import Any

import torch
from torch import Tensor

from minidl.files import FileRefusedError, read_bounded
from minidl.module import Module

MAX_FILE_BYTES = 256 * 2**20
"""Room for the largest session the app allows, written with the longest number texts (about 190 MB:
8 × 512 hidden, Adam's weights and two moment buffers, 100,000 epochs of history); `save_session`
refuses to write a file above it, so whatever is saved can be reopened."""
MAX_COUNT = 10**12  # bound on epochs, steps, batch sizes and scheduler counters
MAX_DIM = 2**31 - 1
MAX_NDIM = 8
MAX_EXACT_INT = 2**53  # larger integers are not exact as floats
DTYPES = {"float32": torch.float32, "float64": torch.float64, "uint8": torch.uint8}
DTYPE_NAMES = {dtype: name for name, dtype in DTYPES.items()}

PathLike = str | os.PathLike
History = Mapping[str, Any]  # name → sequence, numpy array or tensor of numbers (None or NaN when missing)


class SessionFileError(ValueError):
    """A file that cannot be opened as a session (or weights) file; the message names the file and why."""


def plain_columns(history: History) -> dict[str, list[Any]]:
    """``history`` with every column a list (numpy arrays and tensors become lists of Python numbers)."""
    return {name: values.tolist() if hasattr(values, "tolist") else list(values) for name, values in history.items()}


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


def read_bytes(path: PathLike, what: str) -> bytes:
    """The bytes of regular file ``path``; SessionFileError if it is not one or is larger than `MAX_FILE_BYTES`."""
    try:
        return read_bounded(path, MAX_FILE_BYTES, what)
    except FileRefusedError as error:
        raise SessionFileError(str(error)) from None


def parse_document(
    raw: bytes,
    source: str,
    format_name: str,
    version: int,
    what: str,
    max_containers: int | None = None,
    max_values: int | None = None,
) -> dict[str, Any]:
    """The JSON object in ``raw`` after checking its ``format`` and ``version`` fields.

    SessionFileError if ``raw`` is not UTF-8 JSON, not a ``format_name`` document, or newer than ``version``;
    or, before parsing, if it could hold more than ``max_containers`` lists and objects or ``max_values``
    values (a list or object costs Python ~60 bytes for 2 bytes of file, a number ~32: the two caps bound
    the memory parsing takes, whatever the file holds).
    """
    containers = raw.count(b"[") + raw.count(b"{")  # brackets in strings count too: an upper bound
    if max_containers is not None and containers > max_containers:
        raise SessionFileError(
            f"{source}: not a {what} (it holds {containers} lists and objects, at most {max_containers} allowed)"
        )
    values = raw.count(b",") + 1  # every value but the first of each list or object follows a comma
    if max_values is not None and values > max_values:
        raise SessionFileError(f"{source}: not a {what} (it holds {values} values, at most {max_values} allowed)")
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=unique_keys)
    except UnicodeDecodeError as err:
        raise SessionFileError(f"{source}: not a {what} (not UTF-8 text: byte {err.start} is invalid)") from None
    except json.JSONDecodeError as err:
        raise SessionFileError(
            f"{source}: not a {what} (invalid JSON at line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None
    except RecursionError:
        raise SessionFileError(f"{source}: not a {what} (JSON nested too deeply)") from None
    except ValueError as err:  # a key that appears twice, an integer with thousands of digits
        raise SessionFileError(f"{source}: not a {what} ({err})") from None
    if not isinstance(document, dict):
        raise SessionFileError(f"{source}: not a {what} (the top level is {describe_kind(document)}, not an object)")
    if document.get("format") != format_name:
        raise SessionFileError(f"{source}: not a {what} (its 'format' is {show_value(document.get('format'))})")
    found = document.get("version")
    if type(found) is not int or found < 1:
        raise SessionFileError(f"{source}: not a {what} (its 'version' is {show_value(found)})")
    if found > version:
        raise SessionFileError(
            f"{source} was written by a newer version of minidl (format version {found}, this version "
            f"reads up to {version}): update minidl to open it"
        )
    return document


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's pairs as a dict; ValueError if a key appears twice (JSON would keep the last silently)."""
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        repeated = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise ValueError(f"the key {show_value(repeated)} appears twice in an object")
    return document


def encode_tensor(tensor: Tensor) -> dict[str, Any]:
    """``{"dtype": "float32", "shape": [...], "data": [flat values]}``: exact for float32, float64, uint8."""
    if tensor.dtype not in DTYPE_NAMES:
        raise ValueError(f"cannot save a tensor of dtype {tensor.dtype}: use float32, float64 or uint8")
    return {"dtype": DTYPE_NAMES[tensor.dtype], "shape": list(tensor.shape), "data": tensor.reshape(-1).tolist()}


def decode_tensor(value: Any, name: str, floating: bool = True) -> Tensor:
    """The tensor `encode_tensor` made; SessionFileError naming tensor ``name`` if ``value`` is not one.

    Float tensors must hold finite numbers (that fit the dtype); ``floating=False`` accepts only uint8.
    """
    value = as_object(value, name)
    dtype_name = field(value, "dtype", name + ".")
    allowed = ("float32", "float64") if floating else ("uint8",)
    if dtype_name not in allowed:
        raise SessionFileError(f"tensor '{name}' has dtype {show_value(dtype_name)}; expected {' or '.join(allowed)}")
    shape = field(value, "shape", name + ".")
    if not (isinstance(shape, list) and len(shape) <= MAX_NDIM and all(is_count(d, MAX_DIM) for d in shape)):
        raise SessionFileError(f"tensor '{name}' has shape {show_value(shape)}; expected a list of whole numbers >= 0")
    data = field(value, "data", name + ".")
    if not isinstance(data, list):
        raise SessionFileError(f"tensor '{name}' has data {describe_kind(data)}; expected a list of numbers")
    if len(data) != math.prod(shape):
        raise SessionFileError(f"tensor '{name}' has {len(data)} values but shape {shape}")
    if not floating:
        if not all(is_count(v, 255) for v in data):
            raise SessionFileError(f"tensor '{name}' should hold whole numbers from 0 to 255")
        return torch.tensor(data, dtype=torch.uint8).reshape(shape)
    if not all(is_number(v) for v in data):
        raise SessionFileError(f"tensor '{name}' holds a value that is not a number")
    tensor = torch.tensor(data, dtype=DTYPES[dtype_name]).reshape(shape)
    if not torch.isfinite(tensor).all():
        raise SessionFileError(f"tensor '{name}' holds NaN, infinity or a number too large for {dtype_name}")
    return tensor


def encode_state(state: Mapping[str, Tensor]) -> dict[str, Any]:
    """A model's ``state_dict()`` as JSON data: dotted name → encoded tensor."""
    return {name: encode_tensor(tensor) for name, tensor in state.items()}


def decode_state(value: Any, where: str) -> dict[str, Tensor]:
    """The ``state_dict`` `encode_state` made; SessionFileError naming the first bad tensor."""
    return {name: decode_tensor(tensor, f"{where}.{name}") for name, tensor in as_object(value, where).items()}


def check_history(value: Any, where: str = "history") -> dict[str, list[float | int | None]]:
    """A copy of ``value`` if it is a history: named, equal-length columns of numbers or None."""
    columns = as_object(value, where)
    for name, column in columns.items():
        ok = isinstance(column, list) and all(v is None or is_number(v) for v in column)
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


def as_object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SessionFileError(f"field '{where}' should be an object, not {describe_kind(value)}")
    return value


def as_integer(value: Any, where: str, low: int = 0, high: int = MAX_COUNT) -> int:
    if type(value) is not int or not low <= value <= high:
        raise SessionFileError(
            f"field '{where}' should be a whole number from {low} to {high}, not {show_value(value)}"
        )
    return value


def as_number(value: Any, where: str, low: float = -math.inf, high: float = math.inf) -> float:
    """``value`` as a float if it is a finite number from ``low`` to ``high``, else SessionFileError."""
    if not (is_number(value) and math.isfinite(value) and low <= value <= high):
        raise SessionFileError(f"field '{where}' should be a finite number{bounds(low, high)}, not {show_value(value)}")
    return float(value)


def bounds(low: float, high: float) -> str:
    """`` from low to high``, `` >= low``, `` <= high`` or nothing, as error messages say it."""
    if math.isfinite(low) and math.isfinite(high):
        return f" from {low:g} to {high:g}"
    if math.isfinite(low):
        return f" >= {low:g}"
    return f" <= {high:g}" if math.isfinite(high) else ""


def is_number(value: Any) -> bool:
    return type(value) is float or (type(value) is int and -MAX_EXACT_INT <= value <= MAX_EXACT_INT)


def is_count(value: Any, high: int) -> bool:
    return type(value) is int and 0 <= value <= high


def describe_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return show_value(value)


def show_value(value: Any) -> str:
    short_list = isinstance(value, list) and len(value) <= MAX_NDIM
    if short_list and not any(isinstance(v, dict | list) for v in value):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    if isinstance(value, dict | list):
        return describe_kind(value)
    text = "null" if value is None else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
