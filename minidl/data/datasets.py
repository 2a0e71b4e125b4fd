"""Classification data sets in the unit square: ``x`` of shape (n, 2), ``y`` of shape (n, 1) holding the class
index 0.0 … k−1 (0.0 / 1.0 for the two-class sets).

Every generator takes ``seed`` (None draws fresh randomness) and PyTorch's factory keywords ``device=None,
dtype=None`` (None: torch's defaults), and is drawn as `minidl.data.drawing` says: in float32 on the CPU, labels
computed there, only then cast and moved, so one seed gives the same set on every device and dtype.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from minidl._random import make_generator
from minidl.data.drawing import CENTER, DRAWN, check_classes, check_n, cyclic, placed, ring
from minidl.factory import DRAW_DTYPE, Device

DISC_CENTER = (CENTER, CENTER)
DISC_RADIUS = 1.0 / math.sqrt(2.0 * math.pi)  # the disc then covers half of the unit square
BLOB_RADIUS = 0.3
"""The blobs' centres lie evenly on the circle of this radius around (0.5, 0.5)."""


def _alternating(n: int) -> Tensor:
    """Labels 1, 0, 1, 0, … of shape (n, 1): the classes of the sets drawn half and half."""
    return (cyclic(n, 2) == 0).to(DRAW_DTYPE).unsqueeze(1)


def _per_class(y: Tensor, one: float, zero: float) -> Tensor:
    """``one`` where ``y`` is 1, ``zero`` where it is 0, in ``y``'s dtype and device."""
    return torch.full_like(y, zero).masked_fill_(y > 0, one)


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
    check_n(n)
    generator = make_generator(seed)
    x = torch.rand(n, 2, generator=generator, **DRAWN)
    center = torch.tensor(DISC_CENTER, **DRAWN)
    y = ((x - center).pow(2).sum(1, keepdim=True) < DISC_RADIUS**2).to(DRAW_DTYPE)
    if noise:
        flip = torch.rand(n, 1, generator=generator, **DRAWN) < noise
        y = torch.where(flip, 1 - y, y)
    return placed(x, y, device, dtype)


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
    check_n(n)
    generator = make_generator(seed)
    y = _alternating(n)
    angle = torch.rand(n, 1, generator=generator, **DRAWN) * 2 * math.pi
    x = ring(angle, _per_class(y, 0.15, 0.4))
    return placed(x + noise * torch.randn(n, 2, generator=generator, **DRAWN), y, device, dtype)


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
    check_n(n)
    generator = make_generator(seed)
    x = torch.rand(n, 2, generator=generator, **DRAWN)
    y = ((x[:, :1] > 0.5) ^ (x[:, 1:] > 0.5)).to(DRAW_DTYPE)
    return placed(x + noise * torch.randn(n, 2, generator=generator, **DRAWN), y, device, dtype)


def make_gaussians(
    n: int,
    *,
    seed: int | None = None,
    noise: float = 0.1,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """Two Gaussian blobs, class 1 around (0.3, 0.3) and class 0 around (0.7, 0.7); std = ``noise``."""
    check_n(n)
    generator = make_generator(seed)
    y = _alternating(n)
    center = _per_class(y, 0.3, 0.7).expand(n, 2)
    return placed(center + noise * torch.randn(n, 2, generator=generator, **DRAWN), y, device, dtype)


def make_spiral(
    n: int,
    arms: int = 2,
    *,
    seed: int | None = None,
    noise: float = 0.02,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """``arms`` interleaved spirals around (0.5, 0.5) (2 … 6 arms, one class each), 3/``arms`` turns each.

    Point i lies on arm j = i mod ``arms``: at t ~ U(0, 1), angle (6/``arms``)πt + 2πj/``arms``, radius
    0.05 + 0.4t, plus Gaussian jitter of std ``noise``. The turns shrink as arms are added so that neighbouring
    arms stay 0.4/3 ≈ 0.13 apart, as the two arms are (1.5 turns each): more arms, not a harder spiral.
    Arm j holds class ``arms`` − 1 − j, so the classes cycle ``arms`` − 1, …, 1, 0 and two arms are the original
    two-class spiral, point for point (class 1 at angle 3πt, class 0 at 3πt + π).
    """
    check_n(n)
    check_classes(arms, "arms")
    generator = make_generator(seed)
    arm = cyclic(n, arms)
    y = (arms - 1 - arm).to(DRAW_DTYPE).unsqueeze(1)
    phase = torch.tensor([2 * math.pi * j / arms for j in range(arms)], **DRAWN)[arm].unsqueeze(1)
    t = torch.rand(n, 1, generator=generator, **DRAWN)
    angle = t * (6 / arms) * math.pi + phase  # 6 / 2 = 3.0: the two-arm spiral's 3πt, bit for bit
    x = ring(angle, 0.05 + 0.4 * t)
    return placed(x + noise * torch.randn(n, 2, generator=generator, **DRAWN), y, device, dtype)


def make_blobs(
    n: int,
    classes: int = 3,
    *,
    seed: int | None = None,
    noise: float = 0.1,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """``classes`` Gaussian clusters (2 … 6), one per class; point i belongs to class i mod ``classes``.

    Class c's centre is at angle π/2 + 2πc/``classes`` on the circle of radius `BLOB_RADIUS` (0.3) around
    (0.5, 0.5) (class 0 at the top); each point is its centre plus Gaussian jitter of std ``noise``.
    """
    check_n(n)
    check_classes(classes)
    generator = make_generator(seed)
    label = cyclic(n, classes)
    angles = [math.pi / 2 + 2 * math.pi * c / classes for c in range(classes)]
    centers = torch.tensor(
        [[CENTER + BLOB_RADIUS * math.cos(a), CENTER + BLOB_RADIUS * math.sin(a)] for a in angles], **DRAWN
    )
    x = centers[label] + noise * torch.randn(n, 2, generator=generator, **DRAWN)
    return placed(x, label.to(DRAW_DTYPE).unsqueeze(1), device, dtype)
