"""Seeded random generators, so every random choice in minidl is reproducible."""

from __future__ import annotations

import torch


def make_generator(seed: int | None) -> torch.Generator:
    """A CPU generator (whatever torch's default device is) seeded with ``seed``, or from fresh entropy when
    ``seed`` is None."""
    generator = torch.Generator(device="cpu")
    if seed is None:
        generator.seed()
    else:
        generator.manual_seed(seed)
    return generator
