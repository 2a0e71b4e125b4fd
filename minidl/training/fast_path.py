"""What `Trainer.train_epoch` switches on while it steps, none of which changes a single number.

- inference mode: the cheapest dispatch torch offers, since minidl never records a graph;
- ``needs_input_grad = False``: nobody reads ∂L/∂x of the data, so the first layer skips that product;
- ``accumulate_grad = False``: backward overwrites the gradients, so they need no zeroing per step;
- the per-step loss value, which training never reads, is not computed: only ∂loss/∂prediction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import torch
from torch import Tensor

from minidl.losses import _Loss
from minidl.module import Module

LossGradient = Callable[[Tensor, Tensor], Tensor]


@contextmanager
def fast_training(model: Module) -> Iterator[bool]:
    """Inference mode and the model's training switches, restored on exit; yields whether the
    gradients still need ``zero_grad()`` before each backward (they do if the model cannot overwrite them)."""
    saved = {name: getattr(model, name) for name in ("needs_input_grad", "accumulate_grad") if hasattr(model, name)}
    try:
        for name in saved:
            setattr(model, name, False)
        with torch.inference_mode():
            yield "accumulate_grad" not in saved
    finally:
        for name, value in saved.items():
            setattr(model, name, value)


def loss_gradient(criterion: _Loss) -> LossGradient | None:
    """``(prediction, target) ↦ ∂loss/∂prediction`` without the loss value, for a loss that computes its
    gradient the standard way (``forward`` and ``backward`` not overridden); None for any other."""
    kind = type(criterion)
    if kind.forward is _Loss.forward and kind.backward is _Loss.backward:
        return criterion._grad
    return None
