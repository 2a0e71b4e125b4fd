"""The arguments of ``Module.to``, read as ``torch.nn.Module.to`` reads them."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from minidl.factory import resolve_device, resolve_dtype

_FORMS = {
    "tensor": ("tensor", "non_blocking"),
    "dtype": ("dtype", "non_blocking"),
    "device": ("device", "dtype", "non_blocking"),
}
_USAGE = "use to(device), to(dtype), to(device, dtype), to(tensor) or the keywords device=, dtype=, non_blocking="


def parse_to(*args: Any, **kwargs: Any) -> tuple[torch.device | None, torch.dtype | None, bool]:
    """``(device, dtype, non_blocking)`` from the forms ``torch.nn.Module.to`` takes; None means "keep".

    ``to(device=None, dtype=None, non_blocking=False)``, ``to(dtype, non_blocking=False)`` and
    ``to(tensor, non_blocking=False)`` (the tensor's device and dtype). A device is a `torch.device`,
    a string (``"cuda:1"``) or a CUDA index. TypeError for anything else, and for a dtype that is not
    floating point (minidl's parameters are real numbers).
    """
    first = args[0] if args else None
    form = "tensor" if isinstance(first, Tensor) else "dtype" if isinstance(first, torch.dtype) else "device"
    names = _FORMS[form]
    if len(args) > len(names):
        raise TypeError(f"to() takes at most {len(names)} positional arguments in this form: {_USAGE}")
    given = dict(zip(names, args, strict=False))
    for name, value in kwargs.items():
        if name not in ("device", "dtype", "non_blocking", "tensor"):
            raise TypeError(f"to() got an unexpected keyword argument '{name}': {_USAGE}")
        if name in given:
            raise TypeError(f"to() got multiple values for argument '{name}'")
        given[name] = value
    tensor = given.pop("tensor", None)
    if tensor is not None:
        if given.keys() - {"non_blocking"}:
            raise TypeError(f"to(tensor) takes no device or dtype besides the tensor: {_USAGE}")
        given.update(device=tensor.device, dtype=tensor.dtype)
    device, dtype, non_blocking = given.get("device"), given.get("dtype"), given.get("non_blocking", False)
    if isinstance(device, bool) or not isinstance(device, torch.device | str | int | None):
        raise TypeError(f"to() got {device!r} where a device or dtype belongs: {_USAGE}")
    if not isinstance(non_blocking, bool):
        raise TypeError(f"to() takes non_blocking as a bool, got {non_blocking!r}")
    return (
        None if device is None else resolve_device(device),
        None if dtype is None else resolve_dtype(dtype),
        non_blocking,
    )
