"""``python -m minidl_gui.figures`` refuses a directory without the CSV files in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

figures = pytest.importorskip("minidl_gui.figures")


def test_missing_csv_files_exit_2_naming_what_to_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert figures.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and f"minidl reproduce --out {tmp_path}" in err


def test_wrong_number_of_arguments_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert figures.main([]) == 2
    assert "usage: python -m minidl_gui.figures DIR" in capsys.readouterr().err
