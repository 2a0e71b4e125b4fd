"""Argument parsing helpers: a one-line-error parser, a help formatter, and value types for flags."""

from __future__ import annotations

import argparse
import itertools
import math
from collections.abc import Callable, Sequence
from typing import NoReturn, TypeVar

from minidl.cli.limits import FLOAT32_MAX, MAX_HIDDEN_LAYERS, MAX_PARAMETERS, MAX_SEED, MAX_WIDTH

Number = TypeVar("Number", int, float)


class ArgumentParser(argparse.ArgumentParser):
    """An `argparse.ArgumentParser` whose errors are one line on stderr, exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Shows ``(default: …)`` after every option that has a meaningful default (not None/False)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if "%(default)" in text or default is None or default is False or default == argparse.SUPPRESS:
            return text
        if not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


def _number(
    kind: Callable[[str], Number],
    name: str,
    check: Callable[[Number], bool],
    rule: str,
    high: Number | None = None,
    high_rule: str = "",
) -> Callable[[str], Number]:
    """A flag type: ``text`` parsed by ``kind``, refused with a one-line reason unless ``check`` holds
    (the rule it states) and, given ``high``, the value's size is at most ``high`` (the rule ``high_rule``)."""

    def parse(text: str) -> Number:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(_not_a(name, text)) from None
        if not check(value):
            raise argparse.ArgumentTypeError(f"must be {rule}, got {text}")
        if high is not None and abs(value) > high:
            raise argparse.ArgumentTypeError(f"must be {high_rule}, got {text}")
        return value

    parse.__name__ = name  # argparse names the type in some messages
    return parse


def _not_a(name: str, text: str) -> str:
    """Why ``text`` is not ``name``; ``"1e9"`` for a whole number gets the digits to write instead."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if name == "a whole number" and math.isfinite(value) and value.is_integer():
        return f"expected a whole number written in digits ({text.strip()} is {int(value)}), got {text!r}"
    return f"expected {name}, got {text!r}"


def whole_number(low: int, high: int | None = None, limit: str = "") -> Callable[[str], int]:
    """A flag type for a whole number ``>= low`` and, given ``high``, at most ``high`` (named ``limit``)."""
    return _number(int, "a whole number", lambda v: v >= low, f">= {low}", high, f"at most {high} ({limit})")


def _float32(check: Callable[[float], bool], rule: str) -> Callable[[str], float]:
    """A flag type for a finite number that holds ``check`` and fits in float32, where it ends up."""
    return _number(float, "a number", lambda v: math.isfinite(v) and check(v), rule, FLOAT32_MAX, FLOAT32_RULE)


FLOAT32_RULE = f"within float32's range (at most {FLOAT32_MAX:g} in size)"
positive_int = whole_number(1)
non_negative_int = whole_number(0)
user_seed = whole_number(0, MAX_SEED, "MAX_SEED")
finite_float = _float32(lambda v: True, "a finite number")
positive_float = _float32(lambda v: v > 0, "a finite number > 0")
non_negative_float = _float32(lambda v: v >= 0, "a finite number >= 0")
fraction = _number(float, "a number", lambda v: 0 <= v < 1, "in [0, 1)")


def int_list(text: str) -> tuple[int, ...]:
    """``"25,25,25"`` → ``(25, 25, 25)``; ``""`` or ``"none"`` → ``()`` (no hidden layer)."""
    if text.strip().lower() in ("", "none"):
        return ()
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected whole numbers separated by commas like 25,25,25, got {text!r}"
        ) from None
    if any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"layer sizes must be >= 1, got {text!r}")
    return values


def hidden_layers(inputs: int, outputs: int) -> Callable[[str], tuple[int, ...]]:
    """A type for the hidden layer sizes of an ``inputs``-...-``outputs`` net, within the width, depth
    and parameter limits (`minidl.cli.limits`)."""

    def parse(text: str) -> tuple[int, ...]:
        sizes = int_list(text)
        if len(sizes) > MAX_HIDDEN_LAYERS:
            raise argparse.ArgumentTypeError(
                f"at most {MAX_HIDDEN_LAYERS} hidden layers (MAX_HIDDEN_LAYERS), got {len(sizes)}"
            )
        if any(size > MAX_WIDTH for size in sizes):
            raise argparse.ArgumentTypeError(f"layer sizes must be at most {MAX_WIDTH} (MAX_WIDTH), got {text!r}")
        reason = too_many_parameters((inputs, *sizes, outputs))
        if reason:
            raise argparse.ArgumentTypeError(reason)
        return sizes

    parse.__name__ = "layer sizes"
    return parse


def too_many_parameters(layers: Sequence[int]) -> str | None:
    """Why a net of these layer widths (inputs, hidden..., outputs) is too large, or None when its weights and
    biases, Σ (n_in + 1) · n_out, are within `MAX_PARAMETERS`."""
    count = sum((n_in + 1) * n_out for n_in, n_out in itertools.pairwise(layers))
    if count <= MAX_PARAMETERS:
        return None
    return (
        f"a {'-'.join(map(str, layers))} net has {count:,} parameters: the limit is {MAX_PARAMETERS:,} "
        f"(MAX_PARAMETERS); use fewer or narrower layers"
    )


def name_list(choices: tuple[str, ...]) -> Callable[[str], tuple[str, ...]]:
    """A type for ``"relu"`` or ``"relu,tanh,relu"``: each name must be one of ``choices``."""

    def parse(text: str) -> tuple[str, ...]:
        names = tuple(part.strip() for part in text.split(","))
        unknown = [n for n in names if n not in choices]
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown {unknown[0]!r}: choose from {', '.join(choices)}")
        return names

    return parse


def betas(text: str) -> tuple[float, float]:
    """``"0.9,0.999"`` → ``(0.9, 0.999)``, each in [0, 1)."""
    try:
        pair = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected two numbers like 0.9,0.999, got {text!r}") from None
    if len(pair) != 2 or not all(0 <= b < 1 for b in pair):
        raise argparse.ArgumentTypeError(f"expected two numbers in [0, 1) like 0.9,0.999, got {text!r}")
    return pair[0], pair[1]
