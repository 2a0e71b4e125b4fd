"""Argument parsing helpers: a one-line-error parser, a help formatter, and value types for flags."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import NoReturn, TypeVar

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
    kind: Callable[[str], Number], name: str, check: Callable[[Number], bool], rule: str
) -> Callable[[str], Number]:
    """A flag type: ``text`` parsed by ``kind``, refused with a one-line reason unless ``check`` holds."""

    def parse(text: str) -> Number:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {name}, got {text!r}") from None
        if not check(value):
            raise argparse.ArgumentTypeError(f"must be {rule}, got {text}")
        return value

    parse.__name__ = name  # argparse names the type in some messages
    return parse


positive_int = _number(int, "a whole number", lambda v: v >= 1, ">= 1")
non_negative_int = _number(int, "a whole number", lambda v: v >= 0, ">= 0")
positive_float = _number(float, "a number", lambda v: math.isfinite(v) and v > 0, "a finite number > 0")
non_negative_float = _number(float, "a number", lambda v: math.isfinite(v) and v >= 0, "a finite number >= 0")
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
