"""Two-class 2-D data sets: ``x`` of shape (n, 2), labels ``y`` of shape (n, 1) in {0.0, 1.0}.

Every generator takes ``seed`` (None draws fresh randomness) and returns float32 tensors.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import Tensor

from minidl._random import make_generator
from minidl.factory import Device, place

DISC_CENTER = (0.5, 0.5)
DISC_RADIUS = 1.0 / math.sqrt(2.0 * math.pi)  # the disc then covers half of the unit square


def _check_n(n: int) -> None:
    if n < 0:
        raise ValueError(f"number of points must be >= 0, got {n}")


def make_disc(n: int, *, seed: int | None = None, noise: float = 0.0) -> tuple[Tensor, Tensor]:
    """The report's set: x uniform in [0, 1]², y = 1 inside the disc of centre (0.5, 0.5), radius 1/√(2π).

    ``noise`` (default 0, the report) flips each label with that probability.
    """
    _check_n(n)
    generator = make_generator(seed)
    x = torch.rand(n, 2, generator=generator)
    center = torch.tensor(DISC_CENTER)
    y = ((x - center).pow(2).sum(1, keepdim=True) < DISC_RADIUS**2).float()
    if noise:
        flip = torch.rand(n, 1, generator=generator) < noise
        y = torch.where(flip, 1 - y, y)
    return x, y


def make_circles(n: int, *, seed: int | None = None, noise: float = 0.05) -> tuple[Tensor, Tensor]:
    """Two concentric rings around (0.5, 0.5): class 1 the inner (radius 0.15), class 0 the outer (0.4).

    ``noise`` is the standard deviation of Gaussian jitter added to each point.
    """
    _check_n(n)
    generator = make_generator(seed)
    y = (torch.arange(n) % 2 == 0).float().unsqueeze(1)
    angle = torch.rand(n, 1, generator=generator) * 2 * math.pi
    radius = torch.where(y > 0, 0.15, 0.4)
    x = torch.cat([torch.cos(angle), torch.sin(angle)], 1) * radius + 0.5
    return x + noise * torch.randn(n, 2, generator=generator), y


def make_xor(n: int, *, seed: int | None = None, noise: float = 0.02) -> tuple[Tensor, Tensor]:
    """x uniform in [0, 1]²; y = 1 in the top-left and bottom-right quadrants (XOR of the halves).

    ``noise`` jitters the points after labelling, so labels near the axes overlap.
    """
    _check_n(n)
    generator = make_generator(seed)
    x = torch.rand(n, 2, generator=generator)
    y = ((x[:, :1] > 0.5) ^ (x[:, 1:] > 0.5)).float()
    return x + noise * torch.randn(n, 2, generator=generator), y


def make_gaussians(n: int, *, seed: int | None = None, noise: float = 0.1) -> tuple[Tensor, Tensor]:
    """Two Gaussian blobs, class 1 around (0.3, 0.3) and class 0 around (0.7, 0.7); std = ``noise``."""
    _check_n(n)
    generator = make_generator(seed)
    y = (torch.arange(n) % 2 == 0).float().unsqueeze(1)
    center = torch.where(y > 0, 0.3, 0.7).expand(n, 2)
    return center + noise * torch.randn(n, 2, generator=generator), y


def make_spiral(n: int, *, seed: int | None = None, noise: float = 0.02) -> tuple[Tensor, Tensor]:
    """Two interleaved spirals around (0.5, 0.5), 1.5 turns each; ``noise`` is Gaussian jitter."""
    _check_n(n)
    generator = make_generator(seed)
    y = (torch.arange(n) % 2 == 0).float().unsqueeze(1)
    t = torch.rand(n, 1, generator=generator)
    angle = t * 3 * math.pi + torch.where(y > 0, 0.0, math.pi)
    radius = 0.05 + 0.4 * t
    x = torch.cat([torch.cos(angle), torch.sin(angle)], 1) * radius + 0.5
    return x + noise * torch.randn(n, 2, generator=generator), y


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
    """The data set ``name`` (a key of `DATASETS`); ``noise=None`` keeps that set's default.

    Drawn in float32 on the CPU, then cast and moved to ``dtype`` / ``device`` (None: torch's defaults), so a
    seed gives the same points everywhere."""
    if name not in DATASETS:
        raise ValueError(f"Unknown data set {name!r}: choose one of {', '.join(DATASETS)}")
    kwargs = {} if noise is None else {"noise": noise}
    x, y = DATASETS[name](n, seed=seed, **kwargs)
    return place(x, device, dtype), place(y, device, dtype)
