"""One user seed → independent seeds for each random choice of a run, so runs are reproducible."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunSeeds:
    """Seed ``s`` uses ``10s`` for the training points, ``10s + 1`` for the test points, ``10s + 2``
    for the initial weights, ``10s + 3`` for the shuffling order and ``10s + 4`` for a validation split."""

    train_points: int
    test_points: int
    weights: int
    shuffle: int
    validation: int

    @classmethod
    def from_seed(cls, seed: int) -> RunSeeds:
        return cls(*(10 * seed + k for k in range(5)))
