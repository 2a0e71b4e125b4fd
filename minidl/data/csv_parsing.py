"""The rules for reading points CSV text as ordinary tools write it.

* The separator is sniffed from the first line that is not blank or a ``#`` comment: a tab if it has
  one, else ``;`` if it has one, else ``,`` if it has one, else runs of spaces (numpy's default
  ``savetxt``: ``5.0e-01 2.5e-01 1.0e+00``). With ``;`` or tab separators a ``,`` is a decimal comma
  (European Excel writes ``0,5;0,25;1``).
* That first line is a header when none of its cells is a number; columns are taken by position,
  whatever the header calls them. A header with an empty first cell and four cells (pandas' default
  ``to_csv``: ``,x1,x2,label``) marks an index column, which is skipped on every row.
* Quoted cells (``"0.5"``), a UTF-8 byte order mark, CRLF line ends, blank lines, rows of empty cells
  (Excel's empty rows) and ``#`` comment lines (numpy's ``savetxt(header=...)``) are accepted.
* Every other row holds exactly ``x1, x2, label``: coordinates by `parse_coordinate`, the label by
  `parse_label` (true/false, a class index or a regression target; checked against a `Problem` when given).
  The first bad row is refused with its line number and (at most `QUOTE_CHARS` characters of) its text.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import torch
from torch import Tensor

from minidl.data.csv_numbers import parse_coordinate, show
from minidl.data.labels import parse_label
from minidl.factory import Device, place, resolve_device, resolve_dtype
from minidl.float32 import FLOAT32_MAX
from minidl.problem import Problem

MAX_CSV_ROWS = 1_000_000
QUOTE_CHARS = 80
WHITESPACE = " "  # the separator of files whose columns are separated by runs of spaces
SEPARATOR_NAMES = {",": "','", ";": "';'", "\t": "tabs", WHITESPACE: "spaces"}


class CSVFormatError(ValueError):
    """A malformed or refused points file; the message names the file, the line number and what was wrong."""


@dataclass(frozen=True)
class _Layout:
    """How the rows of one file are laid out."""

    separator: str
    skip: int = 0  # columns before x1: 1 for pandas' unnamed index column
    problem: Problem | None = None  # the problem the labels must fit, if any

    @property
    def decimal_comma(self) -> bool:
        return self.separator not in (",", WHITESPACE)


@dataclass
class _Rows:
    """The non-empty rows read, their line numbers, and why reading stopped early (line, reason), if it did."""

    cells: list[list[str]]
    numbers: list[int]
    stop: tuple[int, str] | None = None


def sniff_separator(text: str) -> str:
    """The separator of points CSV ``text``: tab, ``;``, ``,`` or `WHITESPACE`, from its first data line."""
    lines = (line for line in io.StringIO(text, newline="") if line.strip() and not line.lstrip().startswith("#"))
    first = next(lines, "")
    return next((separator for separator in ("\t", ";", ",") if separator in first), "," if not first else WHITESPACE)


def parse_points(
    text: str,
    source: str = "<text>",
    *,
    problem: Problem | None = None,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """Parse points CSV text into ``(x, y)`` of shapes ``(N, 2)`` and ``(N, 1)`` on ``device`` in ``dtype``
    (None: torch's defaults, as ``torch.tensor``): each number as written, rounded once to ``dtype``.
    With ``problem`` every label must fit it (see `minidl.data.labels`); without, any label is taken
    (`minidl.data.labels.infer_problem` tells the problem the labels pose).

    Raises `CSVFormatError` naming ``source``, the line and what was wrong with the first bad row.
    """
    device, dtype = resolve_device(device), resolve_dtype(dtype)
    text = text.removeprefix("\ufeff")
    layout = _Layout(sniff_separator(text), problem=problem)
    rows = _read_rows(text, layout.separator)
    if rows.cells and _is_header(rows.cells[0], layout.decimal_comma):
        header, number = rows.cells.pop(0), rows.numbers.pop(0)
        layout = _Layout(layout.separator, 1 if len(header) == 4 and not header[0].strip() else 0, problem)
        if len(header) != 3 + layout.skip:
            raise _error(source, text, number, f"the header has {len(header)} columns; expected 3: x1, x2, label")
    if len(rows.cells) > MAX_CSV_ROWS:
        rows.stop = (rows.numbers[MAX_CSV_ROWS], f"more than {MAX_CSV_ROWS:,} points: split the file")
        del rows.cells[MAX_CSV_ROWS:], rows.numbers[MAX_CSV_ROWS:]
    table = _fast_table(rows.cells, layout) if "_" not in text else None
    if table is None:
        table = _checked_table(rows, layout, source, text)
    if rows.stop is not None:
        raise _error(source, text, *rows.stop)
    table = place(table, device, dtype)
    return table[:, :2].contiguous(), table[:, 2:].contiguous()


def _read_rows(text: str, separator: str) -> _Rows:
    """The rows with a non-empty cell (Excel writes an empty row as ``,,``), at most `MAX_CSV_ROWS` + 2."""
    lines: Iterable[str] = io.StringIO(text, newline="")
    if "#" in text:  # a comment becomes an empty line, so line numbers stay right
        lines = ("\n" if line.lstrip().startswith("#") else line for line in lines)
    if separator == WHITESPACE:
        return _split_rows(lines)
    reader = csv.reader(lines, delimiter=separator)
    rows = _Rows([], [])
    previous = 0
    try:
        for row in reader:
            if reader.line_num != previous + 1:
                rows.stop = (previous + 1, 'a quote (") opens a value that is not closed on this line')
                return rows
            previous = reader.line_num
            if row and (row[0].strip() or any(map(str.strip, row))):
                rows.cells.append(row)
                rows.numbers.append(previous)
                if len(rows.cells) > MAX_CSV_ROWS + 1:  # one more than a header and the most points
                    return rows
    except csv.Error as error:
        rows.stop = (previous + 1, f"not CSV ({error})")
    return rows


def _split_rows(lines: Iterable[str]) -> _Rows:
    """The non-empty rows of ``lines`` split on runs of whitespace, at most `MAX_CSV_ROWS` + 2 (as `_read_rows`)."""
    rows = _Rows([], [])
    for number, line in enumerate(lines, start=1):
        row = line.split()
        if row:
            rows.cells.append(row)
            rows.numbers.append(number)
            if len(rows.cells) > MAX_CSV_ROWS + 1:
                break
    return rows


def _is_header(row: list[str], decimal_comma: bool) -> bool:
    """No cell is a number: ``x1,x2,label``, ``X,Y,Class``, ``,x1,x2,label`` (a mistyped first row is no header)."""
    for cell in row:
        try:
            float(cell.replace(",", ".") if decimal_comma else cell)
        except ValueError:
            continue
        return False
    return True


def _fast_table(cells: list[list[str]], layout: _Layout) -> Tensor | None:
    """The float64 CPU ``(N, 3)`` table when every row is plainly valid, else None; equal to `_checked_table`
    when not None.

    For text without ``_`` (see `parse_coordinate`), `float` accepts exactly the cells it does.
    """
    width, skip = 3 + layout.skip, layout.skip
    if any(len(row) != width for row in cells):
        return None
    number = (lambda cell: float(cell.replace(",", "."))) if layout.decimal_comma else float
    try:
        pairs = [(number(row[skip]), number(row[skip + 1])) for row in cells]
        coordinates = torch.tensor(pairs, dtype=torch.float64, device="cpu")
        labels = {
            text: parse_label(text, layout.decimal_comma, layout.problem) for text in {row[skip + 2] for row in cells}
        }
    except ValueError:
        return None
    if not bool(coordinates.abs().le(FLOAT32_MAX).all()):  # NaN compares false
        return None
    y = torch.tensor([labels[row[skip + 2]] for row in cells], dtype=torch.float64, device="cpu")
    return torch.cat([coordinates.reshape(-1, 2), y.reshape(-1, 1)], dim=1)


def _checked_table(rows: _Rows, layout: _Layout, source: str, text: str) -> Tensor:
    """The float64 CPU ``(N, 3)`` table, row by row; raises `CSVFormatError` for the first bad row."""
    values: list[tuple[float, float, float]] = []
    skip, decimal_comma = layout.skip, layout.decimal_comma
    for row, number in zip(rows.cells, rows.numbers, strict=True):
        if len(row) != 3 + skip:
            expected = "an index, then x1, x2, label" if skip else "x1,x2,label"
            what = f"expected {3 + skip} values '{expected}' separated by {SEPARATOR_NAMES[layout.separator]}"
            raise _error(source, text, number, f"{what}, got {len(row)}")
        try:
            x1, x2 = (parse_coordinate(cell, decimal_comma) for cell in row[skip : skip + 2])
            values.append((x1, x2, parse_label(row[skip + 2], decimal_comma, layout.problem)))
        except ValueError as error:
            raise _error(source, text, number, str(error)) from None
    return torch.tensor(values, dtype=torch.float64, device="cpu").reshape(-1, 3)


def _error(source: str, text: str, number: int, what: str) -> CSVFormatError:
    """The error for line ``number`` of ``text``: ``SOURCE, line N: WHAT, in row '…'``."""
    line = next(itertools.islice(io.StringIO(text, newline=""), number - 1, None), "")
    return CSVFormatError(f"{source}, line {number}: {what}, in row {show(line, QUOTE_CHARS)}")
