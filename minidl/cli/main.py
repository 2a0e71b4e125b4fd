"""``minidl``: the top-level parser and the entry point of the console script.

A command's module (and with it torch, several seconds to import) is imported only when that command
runs: ``minidl --help``, ``minidl --version`` and a mistyped command answer at once.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NamedTuple

from minidl import __version__
from minidl.cli.arguments import ArgumentParser, HelpFormatter

DESCRIPTION = """\
minidl: a deep-learning framework built from torch tensor operations, without autograd.
Run 'minidl COMMAND --help' for the flags of a command.
"""


class Command(NamedTuple):
    """A sub-command: the module whose ``add_parser(subparsers, summary)`` registers it, and its one-line help.
    The module may define ``normalize_argv(argv) -> argv``, applied to the command line before parsing."""

    module: str
    summary: str


COMMANDS = {
    "reproduce": Command("minidl.cli.reproduce", "the report's SGD and Adam runs and Adam annealed, over seeds"),
    "sweep": Command("minidl.cli.sweep", "train a grid of train flags x seeds, in parallel"),
    "train": Command("minidl.cli.train", "train one net with every choice as a flag"),
}


def build_parser(commands: Sequence[str] = tuple(COMMANDS)) -> ArgumentParser:
    """The ``minidl`` parser; the flags of ``commands`` are registered (importing their modules), the
    other commands are listed by name and summary only."""
    parser = ArgumentParser(prog="minidl", description=DESCRIPTION, formatter_class=HelpFormatter)
    parser.add_argument("--version", action="version", version=f"minidl {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for name, command in COMMANDS.items():
        if name in commands:
            importlib.import_module(command.module).add_parser(subparsers, command.summary)
        else:
            subparsers.add_parser(name, help=command.summary, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); returns the exit code.

    0 on success, 1 when training failed (divergence, figures not drawn), 2 for bad flags.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    words = [word for word in argv if not word.startswith("-")]
    chosen = words[:1] if words and words[0] in COMMANDS else []
    parser = build_parser(chosen)
    if chosen:
        normalize = getattr(importlib.import_module(COMMANDS[chosen[0]].module), "normalize_argv", None)
        argv = normalize(argv) if normalize is not None else argv
    args: argparse.Namespace = parser.parse_args(argv)
    return args.command(args)
