"""The largest values ``minidl train`` accepts: beyond them a run would overflow float32, exhaust memory, or
overflow the random generators' seeds. Flags over a limit are refused with a message naming it."""

from __future__ import annotations

from minidl.float32 import FLOAT32_MAX
from minidl.seeds import MAX_SEED

MAX_POINTS = 1_000_000
"""Generated points per set, and the largest batch (a batch larger than the data set is the whole set)."""

MAX_WIDTH = 4096
"""Neurons in one hidden layer."""

MAX_HIDDEN_LAYERS = 100

MAX_PARAMETERS = 10_000_000
"""Weights and biases of the whole net (40 MB of float32, plus as much again per gradient and optimizer state)."""

__all__ = ["FLOAT32_MAX", "MAX_HIDDEN_LAYERS", "MAX_PARAMETERS", "MAX_POINTS", "MAX_SEED", "MAX_WIDTH"]
