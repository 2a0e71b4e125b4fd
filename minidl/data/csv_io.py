"""Points as CSV: one ``x1,x2,label`` row per point, an optional header line of exactly that text."""

from __future__ import annotations

import math
import os
from pathlib import Path

import torch
from torch import Tensor

from minidl.files import atomic_write

HEADER = "x1,x2,label"


class CSVFormatError(ValueError):
    """A malformed points file; the message names the file, the line number and what was wrong."""


def parse_points(text: str, source: str = "<text>") -> tuple[Tensor, Tensor]:
    """Parse CSV text into ``(x, y)``; raise `CSVFormatError` naming the first bad line."""
    rows: list[tuple[float, float, float]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or (number == 1 and line.replace(" ", "") == HEADER):
            continue
        fields = [f.strip() for f in line.split(",")]
        if len(fields) != 3:
            raise CSVFormatError(
                f"{source}, line {number}: expected 3 values 'x1,x2,label', got {len(fields)}: {raw!r}"
            )
        try:
            x1, x2, label = (float(f) for f in fields)
        except ValueError:
            raise CSVFormatError(f"{source}, line {number}: not a number in {raw!r}") from None
        if not (math.isfinite(x1) and math.isfinite(x2)):
            raise CSVFormatError(f"{source}, line {number}: coordinates must be finite numbers: {raw!r}")
        if label not in (0.0, 1.0):
            raise CSVFormatError(f"{source}, line {number}: label must be 0 or 1, got {fields[2]!r}")
        rows.append((x1, x2, label))
    data = torch.tensor(rows, dtype=torch.float32).reshape(-1, 3)
    return data[:, :2].contiguous(), data[:, 2:].contiguous()


def load_points(path: str | os.PathLike[str]) -> tuple[Tensor, Tensor]:
    """Read ``(x, y)`` from a CSV file written by `save_points` (or by hand)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CSVFormatError(f"{path}: not a text file; expected CSV rows 'x1,x2,label'") from None
    return parse_points(text, source=str(path))


def format_points(x: Tensor, y: Tensor) -> str:
    """CSV text with a header line and one ``x1,x2,label`` row per point."""
    lines = [HEADER] + [f"{a:.9g},{b:.9g},{int(c)}" for (a, b), c in zip(x.tolist(), y.view(-1).tolist(), strict=True)]
    return "\n".join(lines) + "\n"


def save_points(path: str | os.PathLike[str], x: Tensor, y: Tensor) -> None:
    """Write ``(x, y)`` as CSV, atomically (a temporary file renamed over the target)."""
    text = format_points(x, y)
    atomic_write(path, lambda file: file.write(text))
