"""A sweep's results file: one CSV row per finished run, appended and flushed as the run ends.

The file's first line, ``# minidl sweep; every run: minidl train FIXED FLAGS``, records the flags every run
shares; the second is the CSV header: ``configuration``, one column per varied flag (``--lr``), ``seed``,
then the run's final metrics, epochs, stop reason, seconds, error and a regression's test R². Opening the
file again for the same sweep (the same fixed flags and varied flags) resumes it: its rows are the runs
already done. A last line without its newline (the sweep was killed while writing it) is cut off; the run is
trained again. A file written before the ``test_r2`` column existed resumes with its own columns.
"""

from __future__ import annotations

import csv
import io
import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from types import TracebackType
from typing import TextIO

from minidl.cli.sweep_record import RunRecord
from minidl.files import check_regular_file

MAX_RESULTS_BYTES = 2**30
"""A results file larger than this is refused (at ~200 bytes a row, five million runs)."""

RECORD_COLUMNS = tuple(field.name for field in fields(RunRecord) if field.name != "interrupted")
LEGACY_RECORD_COLUMNS = RECORD_COLUMNS[: RECORD_COLUMNS.index("test_r2")]
"""The record's columns in files written before a regression's ``test_r2`` was recorded."""
_FLOATS = {"test_accuracy", "train_accuracy", "test_loss", "train_loss", "seconds", "test_r2"}


class ResultsFileError(ValueError):
    """The results file holds another sweep's runs, or is no sweep's results file; the message says what to do."""


@dataclass(frozen=True)
class SweepRow:
    """One finished run: its configuration's label and varied values (option → value), seed and record."""

    label: str
    values: dict[str, str]
    seed: int
    record: RunRecord

    @property
    def key(self) -> tuple[str, int]:
        """What identifies a run within its sweep: ``(configuration label, seed)``."""
        return self.label, self.seed


class ResultsFile:
    """The results file at ``path`` of the sweep with ``fixed`` flags and varied ``options`` (``"--lr"``).

    `open` (or entering it as a context manager) creates the file or reads its `rows`; `append` adds one.
    """

    def __init__(self, path: str | os.PathLike, fixed: Sequence[str], options: Sequence[str]) -> None:
        self.path = Path(path)
        self.first_line = " ".join(["# minidl sweep; every run: minidl train", shlex.join(fixed)]).rstrip()
        self.options = tuple(options)
        self.columns = ("configuration", *self.options, "seed", *RECORD_COLUMNS)
        self.record_columns = RECORD_COLUMNS
        self.rows: dict[tuple[str, int], SweepRow] = {}
        self._file: TextIO | None = None

    def open(self) -> None:
        """Create the file with its two header lines, or read the `rows` of the same sweep from it (cutting off
        a partial last line); `ResultsFileError` if it holds another sweep's runs, `OSError` if unreadable."""
        lines = self._complete_lines()
        if len(lines) >= 1:
            self._check_first_line(lines[0])
        if len(lines) >= 2:
            self._check_header(lines[1])
        for number, line in enumerate(lines[2:], start=3):
            row = self._parse(line, number)
            self.rows.setdefault(row.key, row)
        self._file = open(self.path, "a", encoding="utf-8", newline="")  # noqa: SIM115 -- closed by close()
        if len(lines) < 2:
            self._write(([self.first_line + "\n"] if not lines else []) + [_csv_line(self.columns)])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> ResultsFile:
        self.open()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def append(self, row: SweepRow) -> None:
        """Write ``row`` as one line and flush it, so it survives the sweep being stopped."""
        cells = [row.label, *(row.values[option] for option in self.options), row.seed]
        cells += [_cell(getattr(row.record, column)) for column in self.record_columns]
        self._write([_csv_line(cells)])
        self.rows.setdefault(row.key, row)

    def _write(self, lines: list[str]) -> None:
        assert self._file is not None, "append inside the with block"
        self._file.write("".join(lines))  # one write: Ctrl-C cannot split a line
        self._file.flush()

    def _complete_lines(self) -> list[str]:
        """The file's complete lines; a trailing partial line is cut off the file, once its first line shows it is
        a sweep's (or all of it is the start of this sweep's first line). None for a new file."""
        if not self.path.exists():
            return []
        check_regular_file(self.path, MAX_RESULTS_BYTES, "sweep results file")
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        try:
            lines = data[:end].decode("utf-8").splitlines()
        except UnicodeDecodeError:
            raise self._not_ours() from None
        if end < len(data):
            # Cut only a sweep's own partial line: a file of another kind is refused untouched.
            if lines:
                self._check_first_line(lines[0])
            elif not (self.first_line + "\n").encode("utf-8").startswith(data):
                raise self._not_ours()
            os.truncate(self.path, end)
        return lines

    def _check_first_line(self, line: str) -> None:
        if line == self.first_line:
            return
        if not line.startswith("# minidl sweep; every run: "):
            raise self._not_ours()
        recorded = line.removeprefix("# minidl sweep; every run: ")
        raise ResultsFileError(
            f"{self.path} holds a sweep of other fixed flags ({recorded}): repeat those after -- to resume it, "
            f"or choose another --out"
        )

    def _check_header(self, line: str) -> None:
        header = tuple(next(csv.reader([line]), []))
        if header == self.columns:
            return
        legacy = (*self.columns[: -len(RECORD_COLUMNS)], *LEGACY_RECORD_COLUMNS)
        if header == legacy:
            self.columns, self.record_columns = legacy, LEGACY_RECORD_COLUMNS
            return
        if header[:1] != ("configuration",) or "seed" not in header:
            raise self._not_ours()
        varied = ", ".join(header[1 : header.index("seed")]) or "no flag"
        raise ResultsFileError(
            f"{self.path} holds a sweep varying {varied}, this one varies {', '.join(self.options) or 'no flag'}: "
            f"vary the same flags to resume it, or choose another --out"
        )

    def _parse(self, line: str, number: int) -> SweepRow:
        cells = next(csv.reader([line]), [])
        if len(cells) != len(self.columns):
            raise ResultsFileError(
                f"line {number} of {self.path} has {len(cells)} cells, not {len(self.columns)}: "
                f"repair or remove that line, or choose another --out"
            )
        k = len(self.options)
        named = dict(zip(self.record_columns, cells[k + 2 :], strict=True))
        try:
            record = RunRecord(**{name: _value(name, text) for name, text in named.items()})  # type: ignore[arg-type]
            seed = int(cells[k + 1])
        except ValueError as error:
            raise ResultsFileError(f"line {number} of {self.path} is not a sweep result ({error})") from None
        return SweepRow(cells[0], dict(zip(self.options, cells[1 : k + 1], strict=True)), seed, record)

    def _not_ours(self) -> ResultsFileError:
        return ResultsFileError(f"{self.path} is not a minidl sweep results file: choose another --out")


def _cell(value: float | int | str | None) -> str | float | int:
    """A CSV cell: None (no metric) is empty; numbers are written in full (``repr``)."""
    return "" if value is None else value


def _value(column: str, text: str) -> float | int | str | None:
    """A cell of ``column`` read back: empty is None for the numbers; ``epochs`` is whole."""
    if column in _FLOATS or column == "epochs":
        if text == "":
            return None if column != "seconds" else 0.0
        return int(text) if column == "epochs" else float(text)
    return text


def _csv_line(cells: Sequence[object]) -> str:
    """``cells`` as one CSV line ending in ``\\n``."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()
