"""What `Trainer.train_epoch` switches on while it steps; none changes a number, except tiny ones to 0.

- inference mode: the cheapest dispatch torch offers, since minidl never records a graph;
- ``needs_input_grad = False``: nobody reads ∂L/∂x of the data, so the first layer skips that product;
- ``accumulate_grad = False``: backward overwrites the gradients, so they need no zeroing per step;
- the per-step loss value, which training never reads, is not computed: only ∂loss/∂prediction;
- denormal floats (|x| < 1.2e-38 in float32) are flushed to zero: Adam's moments of a weight whose
  gradient stays 0 (a dead ReLU) decay into that range, where every CPU operation on them is many
  times slower. Only values that small change, to 0. ``torch.set_flush_denormal`` sets a CPU flag of
  the calling thread (torch has no other scope for it), so every operation of that thread flushes
  until the epoch ends.

Everything is restored when the epoch ends, also when it ends with an exception.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import torch
from torch import Tensor

from minidl.losses import _Loss
from minidl.module import Module

LossGradient = Callable[[Tensor, Tensor], Tensor]
_DENORMAL = 1e-40


@contextmanager
def fast_training(model: Module) -> Iterator[bool]:
    """Inference mode, the model's training switches and denormal flushing, each restored on exit (also
    on an exception); yields whether the gradients still need ``zero_grad()`` before each backward (they
    do if the model cannot overwrite them)."""
    saved = {name: getattr(model, name) for name in ("needs_input_grad", "accumulate_grad") if hasattr(model, name)}
    flushing = flushes_denormals()
    try:
        for name in saved:
            setattr(model, name, False)
        torch.set_flush_denormal(True)
        with torch.inference_mode():
            yield "accumulate_grad" not in saved
    finally:
        torch.set_flush_denormal(flushing)
        for name, value in saved.items():
            setattr(model, name, value)


def flushes_denormals() -> bool:
    """Whether this thread flushes denormal floats to zero (torch has a setter for it but no getter).

    The probe is a CPU float32 tensor whatever torch's defaults: the flag is the CPU's, and 1e-40 is a
    denormal in float32 only (a normal float64)."""
    return torch.tensor(_DENORMAL, dtype=torch.float32, device="cpu").item() == 0.0


def loss_gradient(criterion: _Loss) -> LossGradient | None:
    """``(prediction, target) ↦ ∂loss/∂prediction`` without the loss value, for a loss that computes its
    gradient the standard way (``forward`` and ``backward`` not overridden); None for any other."""
    kind = type(criterion)
    if kind.forward is _Loss.forward and kind.backward is _Loss.backward:
        return criterion._grad
    return None
