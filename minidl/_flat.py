"""Detect parameters that are consecutive views of one buffer, so they can be updated as one tensor."""

from __future__ import annotations

from torch import Tensor


def flat_span(tensors: list[Tensor]) -> Tensor | None:
    """The 1-D buffer that ``tensors`` tile exactly, in order, or None if they do not.

    `Sequential` packs its parameters (and gradients) this way; an optimizer then updates the
    buffer with one operation instead of one per tensor.
    """
    if not tensors:
        return None
    base = tensors[0]._base
    if base is None or base.dim() != 1 or not base.is_contiguous():
        return None
    offset = base.storage_offset()
    for tensor in tensors:
        if tensor._base is not base or not tensor.is_contiguous() or tensor.storage_offset() != offset:
            return None
        offset += tensor.numel()
    if offset != base.storage_offset() + base.numel():
        return None
    return base
