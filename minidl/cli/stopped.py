"""How a command reports training that ended early: one line on stderr, and its exit code."""

from __future__ import annotations

import sys

from minidl.training import TrainingDiverged

EXIT_DIVERGED = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl+C


def stopped_early(prog: str, error: TrainingDiverged | KeyboardInterrupt, done: str) -> int:
    """Say why training stopped (``done``: how far it got, e.g. ``"12 epochs"``); the command's exit code."""
    if isinstance(error, KeyboardInterrupt):
        print(f"{prog}: interrupted after {done}", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"{prog}: error: {error}", file=sys.stderr)
    return EXIT_DIVERGED
