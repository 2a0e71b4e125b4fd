"""Tensors as JSON data, exactly: ``{"dtype": "float32", "shape": [25, 2], "data": [flat values]}``.

Every float32 and float64 value survives the trip through a Python float (JSON's number) exactly, so
encode → JSON → decode gives the same bits. Decoding only reads lists of numbers (no pickle, no
``torch.load``) and checks the dtype, the shape and every value before a tensor is built, raising
`SessionFileError` that names the tensor.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import torch
from torch import Tensor

from minidl_gui.model.json_document import SessionFileError, describe_kind, show_value
from minidl_gui.model.json_values import as_object, field, is_count, is_number

MAX_DIM = 2**31 - 1
MAX_NDIM = 8
DTYPES = {"float32": torch.float32, "float64": torch.float64, "uint8": torch.uint8, "int64": torch.int64}
DTYPE_NAMES = {dtype: name for name, dtype in DTYPES.items()}
INTEGER_BUFFERS = ("features",)
"""The names of the int64 buffers a model's state may hold (`minidl.Features`' indices of its input features);
every other tensor of a state is a float parameter."""


def encode_tensor(tensor: Tensor) -> dict[str, Any]:
    """``{"dtype": "float32", "shape": [...], "data": [flat values]}``: exact for float32, float64, uint8 and int64
    (a buffer's indices, such as `minidl.Features`')."""
    if tensor.dtype not in DTYPE_NAMES:
        raise ValueError(f"cannot save a tensor of dtype {tensor.dtype}: use float32, float64, uint8 or int64")
    return {"dtype": DTYPE_NAMES[tensor.dtype], "shape": list(tensor.shape), "data": tensor.reshape(-1).tolist()}


def decode_tensor(value: Any, name: str, floating: bool = True, *, integers: bool = False) -> Tensor:
    """The tensor `encode_tensor` made; SessionFileError naming tensor ``name`` if ``value`` is not one.

    Float tensors must hold finite numbers (that fit the dtype); ``floating=False`` accepts only uint8;
    ``integers`` accepts int64 too (whole numbers of at most 53 bits: a buffer's indices).
    """
    value = as_object(value, name)
    dtype_name = field(value, "dtype", name + ".")
    allowed = (("float32", "float64") if floating else ("uint8",)) + (("int64",) if integers else ())
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
    if dtype_name == "int64":
        if not all(type(v) is int and is_number(v) for v in data):
            raise SessionFileError(f"tensor '{name}' should hold whole numbers")
        return torch.tensor(data, dtype=torch.int64).reshape(shape)
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
    """The ``state_dict`` `encode_state` made (float parameters; int64 buffers named in `INTEGER_BUFFERS`);
    SessionFileError naming the first bad tensor."""
    return {
        name: decode_tensor(tensor, f"{where}.{name}", integers=name.rsplit(".", 1)[-1] in INTEGER_BUFFERS)
        for name, tensor in as_object(value, where).items()
    }
