"""One user seed → independent seeds for each random choice of a run, so runs are reproducible."""

from __future__ import annotations

from dataclasses import dataclass

_STREAMS = 5
MAX_SEED = (2**63 - _STREAMS) // 10
"""The largest user seed whose derived seeds (``10s + 4`` at most) fit a signed 64-bit integer, as torch needs."""


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
        """The seeds of a run from user seed ``seed``, which must be in ``0..MAX_SEED``."""
        if not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seed must be in 0..{MAX_SEED}, got {seed}")
        return cls(*(10 * seed + k for k in range(_STREAMS)))
