"""How every data set is drawn: seeded, in float32 on the CPU, then cast and moved (`minidl.factory.place`).

One seed then gives the same points, and the same labels or targets, on every device and dtype (a float64 set
holds exactly the float32 draw), and old seeds keep their old numbers.
"""

from __future__ import annotations

import torch
from torch import Tensor

from minidl.factory import DRAW_DTYPE, Device, place
from minidl.features import CENTRE
from minidl.problem import MAX_CLASSES, MIN_CLASSES

CENTER = CENTRE
"""The centre of the unit square, on both axes: the origin of the playground's plane (and of the input features)."""

CPU = torch.device("cpu")
DRAWN = {"device": CPU, "dtype": DRAW_DTYPE}
"""Where and in what every draw and every intermediate is made, whatever torch's defaults are."""


def check_n(n: int) -> None:
    if n < 0:
        raise ValueError(f"number of points must be >= 0, got {n}")


def check_classes(classes: int, what: str = "classes") -> None:
    """ValueError unless ``classes`` is a class count minidl trains (`MIN_CLASSES` … `MAX_CLASSES`)."""
    if isinstance(classes, bool) or not isinstance(classes, int) or not MIN_CLASSES <= classes <= MAX_CLASSES:
        raise ValueError(f"{what} must be an integer in {MIN_CLASSES}..{MAX_CLASSES}, got {classes!r}")


def placed(x: Tensor, y: Tensor, device: Device | None, dtype: torch.dtype | None) -> tuple[Tensor, Tensor]:
    """The drawn ``(x, y)`` cast and moved to ``dtype`` / ``device`` (None: torch's defaults)."""
    return place(x, device, dtype), place(y, device, dtype)


def ring(angle: Tensor, radius: Tensor | float) -> Tensor:
    """Points at ``angle`` and ``radius`` around (0.5, 0.5), shape (n, 2)."""
    return torch.cat([torch.cos(angle), torch.sin(angle)], 1) * radius + CENTER


def cyclic(n: int, classes: int) -> Tensor:
    """0, 1, …, classes − 1, 0, 1, … as an int64 CPU tensor of shape (n,): point i's position in its cycle."""
    return torch.arange(n, device=CPU) % classes
