"""Splitting a data set into two parts (train/test or train/validation)."""

from __future__ import annotations

import torch
from torch import Tensor

from minidl._random import make_generator


def train_test_split(
    x: Tensor, y: Tensor, test_fraction: float = 0.5, *, seed: int | None = None
) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Shuffle, then return ``(x_train, y_train, x_test, y_test)`` with ``round(n·test_fraction)`` test points.

    Use it twice (or with a validation fraction) for a train/validation split. The order is drawn on the CPU
    whatever torch's default device, then moved to the data's device: one seed splits alike everywhere.
    """
    if not 0.0 <= test_fraction <= 1.0:
        raise ValueError(f"test_fraction must be in [0, 1], got {test_fraction}")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)}")
    order = torch.randperm(len(x), generator=make_generator(seed), device="cpu").to(x.device)
    n_test = round(len(x) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


train_validation_split = train_test_split
