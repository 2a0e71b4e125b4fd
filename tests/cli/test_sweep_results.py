"""``minidl sweep``'s results CSV: a header recording the fixed flags, one row per run, resumed, refused if foreign."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from minidl.cli.sweep_record import RunRecord
from minidl.cli.sweep_results import RECORD_COLUMNS, ResultsFile, ResultsFileError, SweepRow

FIXED = ["--epochs", "3", "--data", "my points.csv"]
GOOD = RunRecord(0.9, 0.95, 0.1, 0.05, 3, "3 epochs done", 1.5)
DIVERGED = RunRecord(None, None, None, None, 2, "diverged at epoch 2", 0.25, 'the loss is "inf", lower --lr')


def _row(lr: str, seed: int, record: RunRecord = GOOD) -> SweepRow:
    return SweepRow(f"lr={lr}", {"--lr": lr}, seed, record)


def _write(path: Path, *rows: SweepRow, fixed: list[str] = FIXED) -> None:
    with ResultsFile(path, fixed, ["--lr"]) as results:
        for row in rows:
            results.append(row)


def test_the_file_starts_with_the_fixed_flags_then_the_header_then_one_row_per_run(tmp_path: Path) -> None:
    path = tmp_path / "sweep.csv"
    _write(path, _row("0.1", 0), _row("0.01", 0, DIVERGED))
    lines = path.read_text().splitlines()
    assert lines[0] == "# minidl sweep; every run: minidl train --epochs 3 --data 'my points.csv'"
    rows = list(csv.DictReader(lines[1:]))
    assert list(rows[0]) == ["configuration", "--lr", "seed", *RECORD_COLUMNS]
    assert rows[0]["configuration"] == "lr=0.1" and rows[0]["--lr"] == "0.1" and rows[0]["seed"] == "0"
    assert float(rows[0]["test_accuracy"]) == 0.9 and rows[0]["stop_reason"] == "3 epochs done"
    assert rows[1]["test_accuracy"] == "" and rows[1]["error"] == 'the loss is "inf", lower --lr'


def test_reopening_reads_the_rows_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "sweep.csv"
    written = [_row("0.1", 0), _row("0.01", 3, DIVERGED)]
    _write(path, *written)
    with ResultsFile(path, FIXED, ["--lr"]) as results:
        assert list(results.rows.values()) == written
        results.append(_row("0.1", 1))
    with ResultsFile(path, FIXED, ["--lr"]) as results:
        assert set(results.rows) == {("lr=0.1", 0), ("lr=0.01", 3), ("lr=0.1", 1)}
    assert path.read_text().count("# minidl sweep") == 1


def test_a_truncated_last_line_is_ignored_and_cut_off_before_appending(tmp_path: Path) -> None:
    path = tmp_path / "sweep.csv"
    _write(path, _row("0.1", 0), _row("0.1", 1))
    text = path.read_text()
    path.write_text(text[: text.rindex("3 epochs done")])  # killed while writing the second row
    with ResultsFile(path, FIXED, ["--lr"]) as results:
        assert set(results.rows) == {("lr=0.1", 0)}
        results.append(_row("0.1", 1))
    with ResultsFile(path, FIXED, ["--lr"]) as results:
        assert list(results.rows.values()) == [_row("0.1", 0), _row("0.1", 1)]


def test_a_file_killed_while_writing_its_header_is_completed(tmp_path: Path) -> None:
    path = tmp_path / "sweep.csv"
    _write(path)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text(lines[0] + lines[1][:5])
    _write(path, _row("0.1", 0))
    assert path.read_text().splitlines()[1].startswith("configuration,--lr,seed,")


def test_other_fixed_flags_are_refused_naming_them_and_suggesting_another_out(tmp_path: Path) -> None:
    path = tmp_path / "sweep.csv"
    _write(path, _row("0.1", 0))
    with pytest.raises(ResultsFileError, match=r"other fixed flags \(minidl train --epochs 3 .*another --out"):
        _write(path, fixed=["--epochs", "4"])


def test_other_varied_flags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "sweep.csv"
    _write(path, _row("0.1", 0))
    with pytest.raises(ResultsFileError, match="varying --lr, this one varies --lr, --hidden: .*another --out"):
        ResultsFile(path, FIXED, ["--lr", "--hidden"]).open()


@pytest.mark.parametrize("text", ["x1,x2,label\n0.1,0.2,1\n", "\xff\xfe\n", "# minidl sweep; every run: x\nfoo,bar\n"])
def test_a_file_that_is_no_sweeps_results_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "points.csv"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(ResultsFileError):
        _write(path)
    assert path.read_bytes() == text.encode("latin-1")


def test_a_damaged_row_is_refused_with_its_line_number(tmp_path: Path) -> None:
    path = tmp_path / "sweep.csv"
    _write(path, _row("0.1", 0))
    with path.open("a") as file:
        file.write("lr=0.2,0.2,zero" + "," * len(RECORD_COLUMNS) + "\n")
    with pytest.raises(ResultsFileError, match="line 4 of"):
        _write(path)


@pytest.mark.parametrize("text", ["x1,x2,label\n0.1,0.2,1", "my notes, no newline", "x1,x2,label"])
def test_a_foreign_file_without_a_last_newline_is_refused_untouched(tmp_path: Path, text: str) -> None:
    # Its last line is not a partial row of this sweep's: cutting it off would destroy the user's data.
    path = tmp_path / "points.csv"
    path.write_text(text)
    with pytest.raises(ResultsFileError):
        _write(path)
    assert path.read_text() == text


def test_a_file_killed_while_writing_its_first_line_is_completed(tmp_path: Path) -> None:
    path = tmp_path / "sweep.csv"
    _write(path)
    first = path.read_text().splitlines()[0]
    path.write_text(first[:12])
    _write(path, _row("0.1", 0))
    assert path.read_text().splitlines()[0] == first and len(path.read_text().splitlines()) == 3


def test_a_regressions_test_r2_is_recorded_and_a_file_written_before_that_column_resumes(tmp_path: Path) -> None:
    path = tmp_path / "sweep.csv"
    regression = RunRecord(None, None, 0.01, 0.02, 3, "3 epochs done", 1.5, test_r2=0.97)
    _write(path, _row("0.1", 0, regression))
    with ResultsFile(path, FIXED, ["--lr"]) as results:
        assert results.rows[("lr=0.1", 0)].record.test_r2 == 0.97
    old = tmp_path / "old.csv"  # as written before test_r2 was recorded
    lines = path.read_text().splitlines()
    old.write_text("\n".join([lines[0], lines[1].removesuffix(",test_r2"), lines[2].removesuffix(",0.97")]) + "\n")
    with ResultsFile(old, FIXED, ["--lr"]) as results:
        assert results.rows[("lr=0.1", 0)].record == RunRecord(None, None, 0.01, 0.02, 3, "3 epochs done", 1.5)
        results.append(_row("0.1", 1))
    with ResultsFile(old, FIXED, ["--lr"]) as results:
        assert set(results.rows) == {("lr=0.1", 0), ("lr=0.1", 1)}
