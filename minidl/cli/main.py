"""``minidl``: the top-level parser and the entry point of the console script."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from minidl import __version__
from minidl.cli import reproduce, train
from minidl.cli.arguments import ArgumentParser, HelpFormatter

DESCRIPTION = """\
minidl: a deep-learning framework built from torch tensor operations, without autograd.
Run 'minidl COMMAND --help' for the flags of a command.
"""


def build_parser() -> ArgumentParser:
    """The ``minidl`` parser with its ``train`` and ``reproduce`` sub-commands."""
    parser = ArgumentParser(prog="minidl", description=DESCRIPTION, formatter_class=HelpFormatter)
    parser.add_argument("--version", action="version", version=f"minidl {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    reproduce.add_parser(subparsers)
    train.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); returns the exit code.

    0 on success, 1 when training failed (divergence, figures not drawn), 2 for bad flags.
    """
    args: argparse.Namespace = build_parser().parse_args(argv)
    return args.command(args)
