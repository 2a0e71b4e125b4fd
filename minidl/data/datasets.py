"""Two-class 2-D data sets: ``x`` of shape (n, 2), labels ``y`` of shape (n, 1) in {0.0, 1.0}.

Every generator takes ``seed`` (None draws fresh randomness) and PyTorch's factory keywords ``device=None,
dtype=None`` (None: torch's defaults). The points are drawn in float32 on the CPU, their labels computed there,
and only then cast and moved (`minidl.factory.place`): one seed gives the same points, and the same labels, on
every device and dtype (a float64 set holds exactly the float32 draw), and old seeds keep their old numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import Tensor

from minidl._random import make_generator
from minidl.factory import DRAW_DTYPE, Device, place

DISC_CENTER = (0.5, 0.5)
DISC_RADIUS = 1.0 / math.sqrt(2.0 * math.pi)  # the disc then covers half of the unit square

_CPU = torch.device("cpu")
_DRAWN = {"device": _CPU, "dtype": DRAW_DTYPE}
"""Where and in what every draw and every intermediate is made, whatever torch's defaults are."""


def _check_n(n: int) -> None:
    if n < 0:
        raise ValueError(f"number of points must be >= 0, got {n}")


def _placed(x: Tensor, y: Tensor, device: Device | None, dtype: torch.dtype | None) -> tuple[Tensor, Tensor]:
    """The drawn ``(x, y)`` cast and moved to ``dtype`` / ``device`` (None: torch's defaults)."""
    return place(x, device, dtype), place(y, device, dtype)


def _alternating(n: int) -> Tensor:
    """Labels 1, 0, 1, 0, … of shape (n, 1): the classes of the sets drawn half and half."""
    return (torch.arange(n, device=_CPU) % 2 == 0).to(DRAW_DTYPE).unsqueeze(1)


def _per_class(y: Tensor, one: float, zero: float) -> Tensor:
    """``one`` where ``y`` is 1, ``zero`` where it is 0, in ``y``'s dtype and device."""
    return torch.full_like(y, zero).masked_fill_(y > 0, one)


def _ring(angle: Tensor, radius: Tensor) -> Tensor:
    """Points at ``angle`` and ``radius`` around (0.5, 0.5), shape (n, 2)."""
    return torch.cat([torch.cos(angle), torch.sin(angle)], 1) * radius + 0.5


def make_disc(
    n: int,
    *,
    seed: int | None = None,
    noise: float = 0.0,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """The report's set: x uniform in [0, 1]², y = 1 inside the disc of centre (0.5, 0.5), radius 1/√(2π).

    ``noise`` (default 0, the report) flips each label with that probability.
    """
    _check_n(n)
    generator = make_generator(seed)
    x = torch.rand(n, 2, generator=generator, **_DRAWN)
    center = torch.tensor(DISC_CENTER, **_DRAWN)
    y = ((x - center).pow(2).sum(1, keepdim=True) < DISC_RADIUS**2).to(DRAW_DTYPE)
    if noise:
        flip = torch.rand(n, 1, generator=generator, **_DRAWN) < noise
        y = torch.where(flip, 1 - y, y)
    return _placed(x, y, device, dtype)


def make_circles(
    n: int,
    *,
    seed: int | None = None,
    noise: float = 0.05,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """Two concentric rings around (0.5, 0.5): class 1 the inner (radius 0.15), class 0 the outer (0.4).

    ``noise`` is the standard deviation of Gaussian jitter added to each point.
    """
    _check_n(n)
    generator = make_generator(seed)
    y = _alternating(n)
    angle = torch.rand(n, 1, generator=generator, **_DRAWN) * 2 * math.pi
    x = _ring(angle, _per_class(y, 0.15, 0.4))
    return _placed(x + noise * torch.randn(n, 2, generator=generator, **_DRAWN), y, device, dtype)


def make_xor(
    n: int,
    *,
    seed: int | None = None,
    noise: float = 0.02,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """x uniform in [0, 1]²; y = 1 in the top-left and bottom-right quadrants (XOR of the halves).

    ``noise`` jitters the points after labelling, so labels near the axes overlap.
    """
    _check_n(n)
    generator = make_generator(seed)
    x = torch.rand(n, 2, generator=generator, **_DRAWN)
    y = ((x[:, :1] > 0.5) ^ (x[:, 1:] > 0.5)).to(DRAW_DTYPE)
    return _placed(x + noise * torch.randn(n, 2, generator=generator, **_DRAWN), y, device, dtype)


def make_gaussians(
    n: int,
    *,
    seed: int | None = None,
    noise: float = 0.1,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """Two Gaussian blobs, class 1 around (0.3, 0.3) and class 0 around (0.7, 0.7); std = ``noise``."""
    _check_n(n)
    generator = make_generator(seed)
    y = _alternating(n)
    center = _per_class(y, 0.3, 0.7).expand(n, 2)
    return _placed(center + noise * torch.randn(n, 2, generator=generator, **_DRAWN), y, device, dtype)


def make_spiral(
    n: int,
    *,
    seed: int | None = None,
    noise: float = 0.02,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """Two interleaved spirals around (0.5, 0.5), 1.5 turns each; ``noise`` is Gaussian jitter."""
    _check_n(n)
    generator = make_generator(seed)
    y = _alternating(n)
    t = torch.rand(n, 1, generator=generator, **_DRAWN)
    angle = t * 3 * math.pi + _per_class(y, 0.0, math.pi)
    x = _ring(angle, 0.05 + 0.4 * t)
    return _placed(x + noise * torch.randn(n, 2, generator=generator, **_DRAWN), y, device, dtype)


DATASETS: dict[str, Callable[..., tuple[Tensor, Tensor]]] = {
    "disc": make_disc,
    "circles": make_circles,
    "xor": make_xor,
    "gaussians": make_gaussians,
    "spiral": make_spiral,
}


def make_dataset(
    name: str,
    n: int,
    *,
    seed: int | None = None,
    noise: float | None = None,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """The data set ``name`` (a key of `DATASETS`) on ``device`` in ``dtype`` (see the generators);
    ``noise=None`` keeps that set's default."""
    if name not in DATASETS:
        raise ValueError(f"Unknown data set {name!r}: choose one of {', '.join(DATASETS)}")
    kwargs = {} if noise is None else {"noise": noise}
    return DATASETS[name](n, seed=seed, device=device, dtype=dtype, **kwargs)
