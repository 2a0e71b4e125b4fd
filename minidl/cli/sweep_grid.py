"""The configurations of a sweep: every combination of the varied flags' values (a grid), or a seeded sample.

A grid over flags F1 (values a1..an), F2 (b1..bm), ... holds n · m · ... configurations, in
`itertools.product` order: the last flag varies fastest. Torch-free.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

SWITCH_VALUES = ("on", "off")
"""The values of a varied switch (a flag without a value, such as ``--nesterov``): given, or left out."""


@dataclass(frozen=True)
class Variation:
    """One ``--vary``: a ``minidl train`` long option (``"--lr"``) and the values it takes, in order.
    A ``switch`` takes the values ``on`` and ``off``."""

    option: str
    values: tuple[str, ...]
    switch: bool = False

    @property
    def name(self) -> str:
        """The option without its dashes, as configurations are labelled: ``"batch-size"``."""
        return self.option.lstrip("-")


@dataclass(frozen=True)
class Configuration:
    """One value for each varied flag, in the order the flags were given."""

    choices: tuple[tuple[Variation, str], ...]

    @property
    def label(self) -> str:
        """``"lr=0.01 hidden=8,8"``; ``"-"`` when nothing is varied (a sweep over seeds only)."""
        return " ".join(f"{variation.name}={value}" for variation, value in self.choices) or "-"

    @property
    def values(self) -> dict[str, str]:
        """Option (with dashes) → value, as the results file's columns hold them."""
        return {variation.option: value for variation, value in self.choices}

    def argv(self) -> list[str]:
        """The ``minidl train`` flags: ``--lr 0.01``; a switch is its option when ``on``, nothing when ``off``."""
        words: list[str] = []
        for variation, value in self.choices:
            if not variation.switch:
                words += [variation.option, value]
            elif value == "on":
                words.append(variation.option)
        return words


MAX_RUNS = 100_000
"""The most runs one sweep plans (configurations × seeds): more would take days and a long plan before the first
run; a larger search is a ``--random`` sample, or several sweeps."""


RUN_FLAGS = ("--json", "--quiet")
"""Flags of every run besides its ``--seed``: the sweep reads the JSON result, and shows its own progress."""


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sweep: a configuration trained from a seed."""

    configuration: Configuration
    seed: int
    fixed: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, int]:
        """``(configuration label, seed)``, as the results file identifies the run."""
        return self.configuration.label, self.seed

    def argv(self) -> list[str]:
        """The run's ``minidl train`` flags: the fixed ones, the configuration's, the seed, ``--json --quiet``."""
        return [*self.fixed, *self.configuration.argv(), "--seed", str(self.seed), *RUN_FLAGS]


def grid_size(variations: Sequence[Variation]) -> int:
    """How many configurations the grid holds: the product of the numbers of values (1 with no variation)."""
    return math.prod(len(variation.values) for variation in variations)


def grid(variations: Sequence[Variation]) -> Iterator[Configuration]:
    """Every configuration, the last variation changing fastest."""
    for values in itertools.product(*(variation.values for variation in variations)):
        yield Configuration(tuple(zip(variations, values, strict=True)))


def configuration_at(variations: Sequence[Variation], index: int) -> Configuration:
    """The ``index``-th configuration of `grid` (0-based), without walking the grid: ``index`` is read as a
    mixed-radix number whose last digit counts the last variation's values."""
    values: list[str] = []
    for variation in reversed(variations):
        index, digit = divmod(index, len(variation.values))
        values.append(variation.values[digit])
    return Configuration(tuple(zip(variations, reversed(values), strict=True)))


def random_sample(variations: Sequence[Variation], count: int, seed: int) -> list[Configuration]:
    """``count`` different configurations drawn uniformly from the grid by ``random.Random(seed)``, listed in
    grid order; the whole grid when it holds no more than ``count``. The same seed draws the same sample."""
    size = grid_size(variations)
    if count >= size:
        return list(grid(variations))
    indices = sorted(random.Random(seed).sample(range(size), count))
    return [configuration_at(variations, index) for index in indices]


def plan(configurations: Sequence[Configuration], seeds: Sequence[int], fixed: Sequence[str]) -> list[PlannedRun]:
    """Every configuration for every seed, seed by seed: the first seed of every configuration runs first,
    so a sweep stopped early has seen every configuration."""
    return [PlannedRun(configuration, seed, tuple(fixed)) for seed in seeds for configuration in configurations]
