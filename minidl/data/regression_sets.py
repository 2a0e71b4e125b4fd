"""Regression data sets: TensorFlow Playground's two (``regressPlane``, ``regressGaussian`` in its
src/dataset.ts), mapped onto the unit square. ``x`` has shape (n, 2), ``y`` (n, 1) the target in [-1, 1].

The mapping: TensorFlow Playground draws points uniformly in [-6, 6]²; a point ``u`` there is ``x = 0.5 + u/12``
here (``u = 12 (x − 0.5)``), so its square is our unit square and its origin our centre (0.5, 0.5). Its noise
(the slider's 0 … 50 %, i.e. ``noise`` 0 … 0.5) does not move the points: the target is computed at the point
shifted by ``noise · U(-6, 6)`` on each axis (``noise · U(-0.5, 0.5)`` here), and the point keeps its place.

Drawn as `minidl.data.drawing` says (float32 on the CPU, then cast and moved): one seed, one set on every device
and dtype; the points do not depend on ``noise`` (they are drawn first).
"""

from __future__ import annotations

import torch
from torch import Tensor

from minidl._random import make_generator
from minidl.data.drawing import CENTER, DRAWN, check_n, placed
from minidl.factory import Device

TF_RADIUS = 6.0
"""TensorFlow Playground's square is [-TF_RADIUS, TF_RADIUS]²; ours is [0, 1]²: ``x = 0.5 + u / 12``."""
TF_SCALE = 2 * TF_RADIUS

GAUSSIANS = (
    (-4.0, 2.5, 1.0),
    (0.0, 2.5, -1.0),
    (4.0, 2.5, 1.0),
    (-4.0, -2.5, -1.0),
    (0.0, -2.5, 1.0),
    (4.0, -2.5, -1.0),
)
"""regressGaussian's bumps in TensorFlow Playground's coordinates: centre (cx, cy) and sign."""
GAUSSIAN_REACH = 2.0
"""A bump falls linearly from ±1 at its centre to 0 at this distance (in TensorFlow Playground's units)."""


def _draw(n: int, seed: int | None, noise: float) -> tuple[Tensor, Tensor]:
    """The points ``x`` (n, 2) uniform in [0, 1]², and where their targets are computed (the noisy points)."""
    check_n(n)
    generator = make_generator(seed)
    x = torch.rand(n, 2, generator=generator, **DRAWN)
    if not noise:
        return x, x
    return x, x + noise * (torch.rand(n, 2, generator=generator, **DRAWN) - 0.5)


def make_plane(
    n: int,
    *,
    seed: int | None = None,
    noise: float = 0.0,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """A tilted plane: target = x1 + x2 − 1 (at the noisy point, see the module), clipped to [-1, 1].

    TensorFlow Playground's ``regressPlane`` is ``(u1 + u2) / 10`` at ``u = 12 (x − 0.5)``, which runs to ±1.2 in
    the square's corners; dividing by 12 instead makes the noiseless plane fill exactly [-1, 1] (so a linear
    model fits it exactly): our target is TensorFlow's × 10/12, clipped to [-1, 1] where noise pushes it past.
    """
    x, at = _draw(n, seed, noise)
    y = (at - CENTER).sum(1, keepdim=True).clamp_(-1.0, 1.0)
    return placed(x, y, device, dtype)


def make_multi_gauss(
    n: int,
    *,
    seed: int | None = None,
    noise: float = 0.0,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """Six bumps of alternating sign, TensorFlow Playground's ``regressGaussian`` at ``u = 12 (x − 0.5)``.

    Bump (cx, cy, s) of `GAUSSIANS` is ``s · clip(1 − d/2, 0, 1)`` with d the distance from u to (cx, cy); the
    target is the bump largest in absolute value (the first on a tie), in [-1, 1], at the noisy point. The bumps
    sit at x = 1/6, 1/2, 5/6 and y ≈ 0.708, 0.292 here, each reaching 1/6 of the square's side.
    """
    x, at = _draw(n, seed, noise)
    u = (at - CENTER) * TF_SCALE
    centers = torch.tensor([[cx, cy] for cx, cy, _ in GAUSSIANS], **DRAWN)
    signs = torch.tensor([sign for _, _, sign in GAUSSIANS], **DRAWN)
    distance = (u.unsqueeze(1) - centers).pow(2).sum(2).sqrt()
    bumps = signs * (1 - distance / GAUSSIAN_REACH).clamp(0.0, 1.0)
    y = bumps.gather(1, bumps.abs().argmax(1, keepdim=True))
    return placed(x, y, device, dtype)
