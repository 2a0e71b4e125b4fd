"""The ``minidl`` command line: ``minidl train``, ``minidl sweep`` and ``minidl reproduce``."""

from minidl.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
