"""``minidl train --data FILE``: files from real tools train; every refused file is one error line, exit code 2."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from minidl.cli import main

SAMPLES = Path(__file__).parents[1] / "framework" / "csv_samples"
SMALL = ["train", "--quiet", "--epochs", "1", "--hidden", "4"]


def _refusal(capsys: pytest.CaptureFixture[str], path: Path | str, *flags: str) -> str:
    """The one stderr line of a refused ``--data path FLAGS``."""
    with pytest.raises(SystemExit) as raised:
        main([*SMALL, "--data", str(path), *flags])
    assert raised.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("minidl train: error: ")
    return lines[0]


@pytest.mark.parametrize("name", ["pandas_default.csv", "excel_csv_utf8.csv", "pandas_decimal_comma.csv"])
def test_files_from_real_tools_train(capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert main([*SMALL, "--json", "--data", str(SAMPLES / name), "--test-fraction", "0.25"]) == 0
    config = json.loads(capsys.readouterr().out)["config"]
    assert (config["train_points"], config["test_points"]) == (3, 1)


@pytest.mark.parametrize(
    ("row", "what", "flags"),
    [
        ("0.5,,1", "line 3: empty cell", ()),
        ("0.5,nan,1", "line 3: coordinates must be finite numbers", ()),
        ("1e39,0.5,1", "line 3: coordinate '1e39' is too large", ()),
        # A label 2 is a third class, unless two classes are asked for.
        ("0.5,0.25,2", "line 3: label must be 0 or 1", ("--classes", "2")),
        ("0.5,0.25,nan", "line 3: labels must be finite numbers", ()),
        ("1_000,0.25,1", "line 3: not a number: '1_000'", ()),
        ("0.5,0.25", "line 3: expected 3 values", ()),
        ("0.5," * 500_000, "line 3: expected 3 values", ()),
    ],
)
def test_a_bad_row_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, what: str, flags: tuple[str, ...]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"x1,x2,label\n0.1,0.2,1\n{row}\n", encoding="utf-8")
    line = _refusal(capsys, path, *flags)
    assert f"bad.csv, {what}" in line and len(line) < 400


def test_special_and_oversized_files_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert "pipe.csv is a named pipe (FIFO), not a CSV points file" in _refusal(capsys, fifo)
    assert "/dev/zero is a character device" in _refusal(capsys, "/dev/zero")
    assert "is a folder" in _refusal(capsys, tmp_path)
    big = tmp_path / "big.csv"
    with open(big, "wb") as file:
        file.truncate(16 * 2**20 + 1)  # sparse: no 16 MB written
    assert "big.csv is too large for a CSV points file (16 MB): the limit is 16 MB" in _refusal(capsys, big)


def test_a_file_that_is_not_utf8_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("x1,x2,label\n0.5,0.5,1\n# café\n".encode("latin-1"))
    assert "latin1.csv, line 3: not a text file (not UTF-8)" in _refusal(capsys, path)
