"""Plain-text tables and the machine description printed above them."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from pathlib import Path

import torch


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns right-aligned to their widest cell, a rule under the header."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or what `platform` knows elsewhere."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine_header() -> str:
    """One line: torch version, torch threads, CPU model and logical core count."""
    return (
        f"torch {torch.__version__}, torch threads {torch.get_num_threads()}, "
        f"CPU {cpu_model()} ({os.cpu_count()} logical cores), Python {platform.python_version()}"
    )
