"""The ``minidl`` command line: ``minidl train`` and ``minidl reproduce``."""

from minidl.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
