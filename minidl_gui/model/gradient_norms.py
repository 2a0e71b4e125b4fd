"""Per-layer gradient norms: ‖∂L/∂W_k‖ of every `Linear` over the whole training set, and their history.

Vanishing gradients show as norms shrinking layer by layer towards the input, exploding ones as
norms growing without bound; one value per layer and epoch is enough to see both.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import torch
from torch import Tensor

from minidl.linear import Linear
from minidl.losses import _Loss
from minidl.sequential import Sequential


def gradient_norms(model: Sequential, criterion: _Loss, x: Tensor, y: Tensor) -> np.ndarray:
    """``‖∂L/∂W_k‖_F`` for each `Linear` ``k`` in order, ``L = criterion(model(x), y)`` over the full batch.

    One forward and one backward pass; the model's gradients (and its ``accumulate_grad`` switch,
    which training turns off) are left exactly as they were, so training is unaffected.
    NaN for every layer when ``x`` is empty.
    """
    layers = [module for module in model if isinstance(module, Linear)]
    if len(x) == 0:
        return np.full(len(layers), math.nan)
    grads = [grad for _, grad in model.named_gradients()]
    saved = [grad.clone() for grad in grads]
    accumulate = model.accumulate_grad
    try:
        model.accumulate_grad = True
        model.zero_grad()
        criterion.forward(model.forward(x), y)
        model.backward(criterion.backward())
        norms = torch.stack([torch.linalg.vector_norm(layer.weight_grad) for layer in layers])
        return norms.double().cpu().numpy()
    finally:
        model.accumulate_grad = accumulate
        for grad, value in zip(grads, saved, strict=True):
            grad.copy_(value)


class LayerNorms:
    """A growable ``(epochs, layers)`` float64 table, one row per epoch, NaN where a value is missing.

    The number of layers may change (after a new architecture, usually once the table was truncated
    to 0): a wider row widens the table, missing entries stay NaN.
    """

    def __init__(self) -> None:
        self._data = np.full((64, 0), math.nan)
        self._length = 0

    def __len__(self) -> int:
        return self._length

    @property
    def layers(self) -> int:
        return self._data.shape[1]

    def append(self, row: Sequence[float] | np.ndarray | None) -> None:
        """Add one epoch's norms (None: unknown, a row of NaN)."""
        self.extend((row,))

    def extend(self, rows: Iterable[Sequence[float] | np.ndarray | None]) -> None:
        """Add each of ``rows`` in order (see `append`), the table grown once."""
        rows = [np.asarray([] if row is None else row, dtype=float) for row in rows]
        if not rows:
            return
        end = self._length + len(rows)
        height = max(end, 2 * self._data.shape[0]) if end > self._data.shape[0] else self._data.shape[0]
        width = max(self._data.shape[1], *(len(values) for values in rows))
        if (height, width) != self._data.shape:
            grown = np.full((height, width), math.nan)
            grown[: self._length, : self._data.shape[1]] = self._data[: self._length]
            self._data = grown
        block = self._data[self._length : end]
        block[:] = math.nan
        for line, values in zip(block, rows, strict=True):
            line[: len(values)] = values
        self._length = end

    def truncate(self, length: int) -> None:
        """Keep the first ``length`` rows; at 0 the number of layers is forgotten too."""
        self._length = min(self._length, max(0, length))
        if self._length == 0:
            self._data = np.full((self._data.shape[0], 0), math.nan)

    def values(self) -> np.ndarray:
        """A read-only ``(epochs, layers)`` view of the recorded norms."""
        view = self._data[: self._length]
        view.flags.writeable = False
        return view
