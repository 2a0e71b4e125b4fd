"""Parameters that are consecutive views of one buffer: detect them, and move them keeping them so.

`Sequential` packs its parameters (and gradients) into one flat buffer; an optimizer then updates the
buffer with one operation instead of one per tensor. A move (`Module.to`) keeps every tensor *object*
(an optimizer holds them) and changes what it holds; each move bumps `moves`, so an optimizer notices
with one integer comparison per step that it must look at its parameters again.
"""

from __future__ import annotations

import torch
from torch import Tensor

moves = 0
"""How many moves changed some tensor's device or dtype in this process (see `note_move`)."""


def note_move() -> None:
    """Record that some module's tensors changed device or dtype: optimizers re-read their layout."""
    global moves
    moves += 1


def flat_span(tensors: list[Tensor]) -> Tensor | None:
    """The 1-D buffer that ``tensors`` tile exactly, in order, or None if they do not.

    Each tensor must be a contiguous view of the same base (``_base``), really share that base's storage
    (a per-tensor move gives a view new storage but leaves its ``_base`` as it was), and start where
    the previous one ended; together they must cover the whole base.
    """
    if not tensors:
        return None
    base = tensors[0]._base
    if base is None or base.dim() != 1 or not base.is_contiguous():
        return None
    storage = base.untyped_storage()._cdata
    offset = base.storage_offset()
    for tensor in tensors:
        if (
            tensor._base is not base
            or not tensor.is_contiguous()
            or tensor.storage_offset() != offset
            or tensor.untyped_storage()._cdata != storage
        ):
            return None
        offset += tensor.numel()
    if offset != base.storage_offset() + base.numel():
        return None
    return base


def move_tensors(
    tensors: list[Tensor], device: torch.device | None, dtype: torch.dtype | None, non_blocking: bool
) -> bool:
    """Move every tensor of ``tensors`` to ``device`` / ``dtype`` (None: keep), keeping each tensor object.

    If they tile a flat buffer (`flat_span`) the buffer moves once and each tensor becomes the same view
    of the moved buffer, so they tile it still; otherwise each moves alone. Returns whether anything moved.
    """
    base = flat_span(tensors)
    if base is not None:
        return _move_tiling(base, tensors, device, dtype, non_blocking)
    moved = False
    for tensor in tensors:
        new = tensor.to(device=device, dtype=dtype, non_blocking=non_blocking)
        if new is not tensor:
            _hold(tensor, new)
            moved = True
    return moved


def _move_tiling(
    base: Tensor, tensors: list[Tensor], device: torch.device | None, dtype: torch.dtype | None, non_blocking: bool
) -> bool:
    new = base.to(device=device, dtype=dtype, non_blocking=non_blocking)
    if new is base:
        return False
    if torch._has_compatible_shallow_copy_type(base, new):
        base.data = new  # the buffer object stays: its views are re-pointed below
        new = base
    offset = 0
    for tensor in tensors:
        size = tensor.numel()
        _hold(tensor, new[offset : offset + size].view(tensor.shape))
        offset += size
    return True


def _hold(tensor: Tensor, value: Tensor) -> None:
    """Make the object ``tensor`` hold ``value``'s data (its storage, shape, dtype and device).

    ``tensor.data = value`` as `torch.nn.Module.to` does, where the two tensor types allow it (CPU and
    CUDA, any dtype); else (the "meta" device) the two objects swap their contents, which needs that
    nothing else hold the C++ tensor behind ``tensor`` (a view of it does: drop such caches first).
    """
    if torch._has_compatible_shallow_copy_type(tensor, value):
        tensor.data = value
    else:
        torch.utils.swap_tensors(tensor, value)
