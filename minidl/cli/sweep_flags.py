"""A sweep's ``minidl train`` flags, checked with train's own parser before any run starts.

The sweep sets ``--seed``, ``--json`` and ``--quiet`` of every run itself, so they may be neither varied nor
fixed; a flag may be varied or fixed, not both. Every problem is a `TrainFlagError` of one line that names
the flag and the value.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from minidl.cli import train
from minidl.cli.arguments import ArgumentParser
from minidl.cli.sweep_grid import SWITCH_VALUES, Configuration, PlannedRun, Variation

SET_BY_SWEEP = {
    "seed": "the sweep sets --seed of each run: use --seeds N or --seed-list S,S,...",
    "json": "the sweep sets --json of each run (it reads each run's JSON result)",
    "quiet": "the sweep sets --quiet of each run (it shows one progress bar for the sweep)",
}
_UNSET = object()


class TrainFlagError(ValueError):
    """A ``--vary`` or a fixed flag that ``minidl train`` would refuse, or that the sweep cannot use."""


class _RaisingParser(ArgumentParser):
    """Train's parser, raising `TrainFlagError` instead of exiting, so the sweep words the error."""

    def error(self, message: str) -> NoReturn:
        raise TrainFlagError(message)


class TrainFlags:
    """``minidl train``'s flags: looks up the option a ``--vary`` names and checks argument lists."""

    def __init__(self) -> None:
        top = _RaisingParser(prog="minidl")
        self.parser = train.add_parser(top.add_subparsers(), "")
        # argparse has no public list of a parser's options.
        self._actions = list(self.parser._actions)
        self._options = {option: a for a in self._actions for option in a.option_strings if option.startswith("--")}

    def given(self, argv: Sequence[str]) -> set[str]:
        """The destinations (``"lr"``, ``"batch_size"``) that ``argv`` sets; `TrainFlagError` if train refuses
        ``argv`` or it sets what the sweep sets."""
        namespace = argparse.Namespace(**{action.dest: _UNSET for action in self._actions})
        self._parse(argv, namespace, "minidl train flags after --")
        dests = {a.dest for a in self._actions if getattr(namespace, a.dest, _UNSET) is not _UNSET}
        refused = sorted(dests & SET_BY_SWEEP.keys())
        if refused:
            raise TrainFlagError(f"--{refused[0]} after --: {SET_BY_SWEEP[refused[0]]}")
        return dests

    def variations(self, vary: Sequence[Sequence[str]], fixed: Sequence[str]) -> tuple[Variation, ...]:
        """The `Variation` of each ``--vary FLAG VALUE...`` in ``vary``, checked with the ``fixed`` flags (which
        are checked first); a flag varied twice is refused."""
        fixed_dests = self.given(fixed)
        variations: list[Variation] = []
        for words in vary:
            variation = self.variation(words, fixed, fixed_dests)
            if any(v.option == variation.option for v in variations):
                raise TrainFlagError(f"--vary {variation.name} is given twice: list all its values in one --vary")
            variations.append(variation)
        return tuple(variations)

    def variation(self, words: Sequence[str], fixed: Sequence[str], fixed_dests: set[str]) -> Variation:
        """The `Variation` of ``--vary FLAG VALUE...`` (``words``: FLAG and the values), each value checked by
        train's parser together with the ``fixed`` flags (which set ``fixed_dests``)."""
        name, *values = words
        name = name.lstrip("-")
        option = f"--{name}"
        action = self._options.get(option)
        if name in SET_BY_SWEEP:
            raise TrainFlagError(f"--vary {name}: {SET_BY_SWEEP[name]}")
        if action is None or (action.nargs == 0 and action.const is not True):
            raise TrainFlagError(f"--vary {name}: minidl train has no flag {option} to vary")
        if not values:
            raise TrainFlagError(f"--vary {name}: give its values after the flag, like --vary {name} A B")
        if action.dest in fixed_dests:
            raise TrainFlagError(f"{option} is both varied and fixed (after --): give it in one place")
        repeated = next((value for i, value in enumerate(values) if value in values[:i]), None)
        if repeated is not None:
            raise TrainFlagError(f"--vary {name} lists {repeated} twice")
        variation = Variation(option, tuple(values), switch=action.nargs == 0)
        for value in values:
            if variation.switch and value not in SWITCH_VALUES:
                raise TrainFlagError(f"--vary {name} {value}: {option} is a switch: vary it over on and off")
            choice = Configuration(((variation, value),))
            self._parse([*fixed, *choice.argv()], argparse.Namespace(), f"--vary {name} {value}", option)
        return variation

    def check(self, run: PlannedRun) -> None:
        """`TrainFlagError` unless train accepts the flags of ``run``."""
        self._parse(run.argv(), argparse.Namespace(), f"configuration {run.configuration.label}")

    def _parse(self, argv: Sequence[str], namespace: argparse.Namespace, where: str, option: str = "") -> None:
        """Parse ``argv`` into ``namespace``; a refusal is re-raised as ``"WHERE: reason"``, without
        argparse's ``"argument OPTION: "`` when ``where`` names the option already."""
        try:
            self.parser.parse_args(list(argv), namespace)
        except TrainFlagError as error:
            reason = str(error).removeprefix(f"argument {option}: ") if option else str(error)
            raise TrainFlagError(f"{where}: {reason}") from None
