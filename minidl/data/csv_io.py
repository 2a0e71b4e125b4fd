"""Points files: read (bounded, any of the CSV dialects `parse_points` accepts) and written as ``x1,x2,label``
(classes) or ``x1,x2,target`` (a regression)."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from typing import NoReturn

import torch
from torch import Tensor

from minidl.data.csv_parsing import CSVFormatError, parse_points
from minidl.data.labels import infer_problem, is_class
from minidl.factory import Device
from minidl.files import FileRefusedError, atomic_write, read_bounded
from minidl.problem import Problem

HEADER = "x1,x2,label"
REGRESSION_HEADER = "x1,x2,target"
MAX_CSV_BYTES = 16 * 2**20  # about 1,000,000 rows of ``x1,x2,label`` written by `save_points`
WHAT = "CSV points file"


def load_points(
    path: str | os.PathLike[str],
    *,
    problem: Problem | None = None,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """Read ``(x, y)`` from a CSV points file (see `minidl.data.csv_parsing` for what is accepted), on ``device``
    in ``dtype`` (None: torch's defaults). The labels are true/false, class indices or regression targets
    (`minidl.data.labels`); with ``problem`` each must fit it, else the error names its line and what is allowed.
    `infer_problem` tells the problem of the labels read.

    Raises `CSVFormatError` for a malformed file, one that is not UTF-8 (or BOM-marked UTF-16) text, not a
    regular file (a FIFO, a device, a folder) or larger than `MAX_CSV_BYTES`; `OSError` when it cannot be read.
    """
    try:
        raw = read_bounded(path, MAX_CSV_BYTES, WHAT)
    except FileRefusedError as error:
        raise CSVFormatError(str(error)) from None
    encoding = _encoding(raw)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode(encoding, errors="ignore")
        _not_text(path, before.count("\n") + 1, encoding)
    if "\0" in text:  # valid UTF-8, but no text file holds NUL characters (UTF-16 without its mark does)
        _not_text(path, text.count("\n", 0, text.index("\0")) + 1, encoding)
    return parse_points(text, source=str(path), problem=problem, device=device, dtype=dtype)


def _not_text(path: str | os.PathLike[str], line: int, encoding: str) -> NoReturn:
    name = "UTF-16" if encoding == "utf-16" else "UTF-8"
    raise CSVFormatError(
        f"{path}, line {line}: not a text file (not {name}); save it as CSV UTF-8 with rows x1,x2,label"
    )


def _encoding(raw: bytes) -> str:
    """UTF-16 when the bytes start with its byte-order mark (Excel's "Unicode Text", Windows' Notepad),
    else UTF-8 (``utf-8-sig`` drops the mark Excel's "CSV UTF-8" starts with)."""
    return "utf-16" if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"


def format_points(x: Tensor, y: Tensor, problem: Problem | None = None) -> str:
    """CSV text with a header line and one row per point: ``x1,x2,label`` with the integer class (a
    classification) or ``x1,x2,target`` with the target value (a regression); ``problem`` None: `infer_problem`.

    Each number is written with the digits that read back to exactly it in its tensor's dtype: 9 significant
    digits for float32 (and narrower), the shortest round-tripping repr for float64. ValueError when a label is
    not a class of the given classification ``problem``.
    """
    problem = infer_problem(y) if problem is None else problem
    coordinate, value = _number(x), _number(y)
    labels = y.view(-1).tolist()
    if problem.is_classification:
        bad = next((label for label in labels if not is_class(label, problem.classes)), None)
        if bad is not None:
            raise ValueError(f"label {bad!r} is not a class of a {problem.adjective} problem: save it as another")
        header, cells = HEADER, [str(int(label)) for label in labels]
    else:
        header, cells = REGRESSION_HEADER, [value(label) for label in labels]
    rows = zip(x.tolist(), cells, strict=True)
    lines = [header] + [f"{coordinate(a)},{coordinate(b)},{c}" for (a, b), c in rows]
    return "\n".join(lines) + "\n"


def _number(tensor: Tensor) -> Callable[[float], str]:
    """How to write the numbers of ``tensor`` so that each reads back to exactly itself in its dtype."""
    return repr if tensor.dtype.itemsize > 4 else "{:.9g}".format


def save_points(path: str | os.PathLike[str], x: Tensor, y: Tensor, problem: Problem | None = None) -> None:
    """Write ``(x, y)`` as CSV (see `format_points`), atomically (a temporary file renamed over the target)."""
    text = format_points(x, y, problem)
    atomic_write(path, lambda file: file.write(text))
