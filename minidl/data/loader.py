"""Mini-batches with per-epoch shuffling."""

from __future__ import annotations

from collections.abc import Iterator

import torch
from torch import Tensor

from minidl.factory import Device, draw_device, resolve_device, resolve_dtype


class DataLoader:
    """Iterate ``(x_batch, y_batch)`` over ``(x, y)``; a new shuffled order each epoch when ``shuffle``.

    ``batch_size = 1`` is the report's per-sample SGD. ``batch_size`` may be changed between epochs.
    The last batch is smaller when n is not a multiple of the batch size.

    ``device`` / ``dtype`` move and cast the data once, here, so no batch is copied while training; None
    keeps the data where and as it is. Each epoch's order is drawn from ``generator`` on the generator's
    device (the CPU for the global generator) and then moved to the data: one seed gives the same order
    on every device and dtype.
    """

    def __init__(
        self,
        x: Tensor,
        y: Tensor,
        batch_size: int = 1,
        shuffle: bool = True,
        generator: torch.Generator | None = None,
        *,
        device: Device | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        if len(x) != len(y):
            raise ValueError(f"x has {len(x)} rows but y has {len(y)}")
        moved = {
            "device": None if device is None else resolve_device(device),
            "dtype": None if dtype is None else resolve_dtype(dtype),
        }
        self.x, self.y = x.to(**moved), y.to(**moved)
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = generator

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: int) -> None:
        if int(value) != value or value < 1:
            raise ValueError(f"Invalid batch_size: {value} (must be a whole number >= 1)")
        self._batch_size = int(value)

    def __len__(self) -> int:
        return -(-len(self.x) // self.batch_size)

    def __iter__(self) -> Iterator[tuple[Tensor, Tensor]]:
        x, y = self.x, self.y
        if self.shuffle:
            order = torch.randperm(len(x), generator=self.generator, device=draw_device(self.generator))
            order = order.to(x.device)
            x, y = x[order], y[order]
        # Views, no copy per batch; one split call makes them all (cheaper than slicing per batch).
        if len(x):
            yield from zip(x.split(self.batch_size), y.split(self.batch_size), strict=True)
