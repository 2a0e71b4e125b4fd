"""PyTorch's factory keywords ``device=None, dtype=None``: None means torch's current default.

Random draws are made on the CPU in float32 (the generator's stream) and then cast and moved, so one seed
gives the same numbers on every device and dtype: a float64 or CUDA tensor holds exactly the float32 CPU
draw (float32 → float64 is exact), and a run seeded before devices existed still starts where it did.
"""

from __future__ import annotations

import torch
from torch import Tensor

DRAW_DTYPE = torch.float32
"""The dtype every random draw is made in, before it is cast to the tensor's own dtype."""

Device = torch.device | str | int
"""What a ``device=`` keyword takes, as in PyTorch: ``"cpu"``, ``"cuda"``, ``"cuda:1"``, a `torch.device`, a
CUDA index."""


def resolve_device(device: Device | None = None) -> torch.device:
    """``device`` as a `torch.device`, or torch's current default device (``torch.device(...)`` contexts,
    ``torch.set_default_device``) when it is None."""
    if device is None:
        return torch.get_default_device()
    if isinstance(device, int):
        return torch.device("cuda", device)
    return torch.device(device)


def resolve_dtype(dtype: torch.dtype | None = None) -> torch.dtype:
    """``dtype``, or ``torch.get_default_dtype()`` when it is None; TypeError unless it is a floating dtype."""
    dtype = torch.get_default_dtype() if dtype is None else dtype
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(f"minidl parameters and data need a floating-point dtype (torch.float32, ...), got {dtype}")
    return dtype


def draw_device(generator: torch.Generator | None) -> torch.device:
    """Where a draw from ``generator`` is made: the generator's own device, the CPU for the global one."""
    return torch.device("cpu") if generator is None else generator.device


def place(tensor: Tensor, device: Device | None = None, dtype: torch.dtype | None = None) -> Tensor:
    """``tensor`` cast and moved to ``device`` / ``dtype`` (None: torch's defaults); itself if already there."""
    return tensor.to(device=resolve_device(device), dtype=resolve_dtype(dtype))
