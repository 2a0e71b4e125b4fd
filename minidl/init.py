"""Weight initialisations for `Linear`, each seedable through a `torch.Generator`.

All fill a tensor of shape ``(fan_out, fan_in)`` (and its bias) in place, in that tensor's dtype on its device;
as in torch, a ``generator`` must be on that device. `Linear` hands them float32 tensors on the generator's device
(the CPU without one) and casts and moves the draw afterwards, so a seed gives the same weights everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import Tensor

Initializer = Callable[[Tensor, Tensor | None, "torch.Generator | None"], None]

INIT_NAMES = ("torch", "normal", "xavier", "kaiming")


def normal_(
    weight: Tensor, bias: Tensor | None, generator: torch.Generator | None = None, mean: float = 0.0, std: float = 1.0
) -> None:
    """The report's init: every weight and bias drawn from N(mean, std²)."""
    weight.normal_(mean, std, generator=generator)
    if bias is not None:
        bias.normal_(mean, std, generator=generator)


def torch_default_(weight: Tensor, bias: Tensor | None, generator: torch.Generator | None = None) -> None:
    """PyTorch's default for ``nn.Linear``: weight and bias uniform in ±1/√fan_in."""
    bound = 1.0 / math.sqrt(weight.shape[1]) if weight.shape[1] > 0 else 0.0
    weight.uniform_(-bound, bound, generator=generator)
    if bias is not None:
        bias.uniform_(-bound, bound, generator=generator)


def xavier_(weight: Tensor, bias: Tensor | None, generator: torch.Generator | None = None) -> None:
    """Xavier/Glorot uniform: weight uniform in ±√(6 / (fan_in + fan_out)), bias zero."""
    fan_out, fan_in = weight.shape
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    weight.uniform_(-bound, bound, generator=generator)
    if bias is not None:
        bias.zero_()


def kaiming_(weight: Tensor, bias: Tensor | None, generator: torch.Generator | None = None) -> None:
    """He/Kaiming normal for ReLU nets: weight from N(0, 2 / fan_in), bias zero."""
    fan_in = weight.shape[1]
    weight.normal_(0.0, math.sqrt(2.0 / fan_in), generator=generator)
    if bias is not None:
        bias.zero_()


def get_initializer(name: str, *, std: float = 1.0, mean: float = 0.0) -> Initializer:
    """The initializer called ``name`` (one of `INIT_NAMES`); ``mean``/``std`` apply to ``"normal"``."""
    if name == "normal":
        return lambda w, b, g=None: normal_(w, b, g, mean=mean, std=std)
    table: dict[str, Initializer] = {"torch": torch_default_, "xavier": xavier_, "kaiming": kaiming_}
    if name not in table:
        raise ValueError(f"Unknown init {name!r}: choose one of {', '.join(INIT_NAMES)}")
    return table[name]
