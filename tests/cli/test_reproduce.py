"""``minidl reproduce``, scaled down with its hidden ``--scale`` flag: the table, the CSVs, the figures."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from minidl.cli import main
from minidl.cli.reproduce import draw_figures

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# --scale 0.02: 20 train + 20 test points, SGD 10 epochs, both Adam runs 2 epochs.
TINY = ["reproduce", "--scale", "0.02", "--quiet"]


def test_prints_mean_and_std_beside_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*TINY, "--seeds", "2"]) == 0
    out = capsys.readouterr().out
    assert "20 train + 20 test disc points; 2 seeds (0-1)" in out
    sgd = next(line for line in out.splitlines() if line.startswith("SGD lr 5e-5, 10 epochs"))
    adam = next(line for line in out.splitlines() if line.startswith("Adam lr 5e-3, 2 epochs"))
    annealed = next(line for line in out.splitlines() if line.startswith("Adam annealed lr 5e-3, 2 epochs"))
    assert "97.7 %" in sgd and "98.3 %" in adam and annealed.split()[-5] == "–"  # not in the report
    assert "Adam, annealed: cosine schedule, sigmoid output, BCE loss" in out
    assert " ± " in sgd and "total wall time" in out


def test_out_writes_histories_points_and_three_png_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results"
    assert main([*TINY, "--seeds", "2", "--first-seed", "3", "--out", str(out)]) == 0
    with open(out / "history.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 2 * (10 + 2 + 2)
    assert {(row["experiment"], row["seed"]) for row in rows} == {
        ("sgd", "3"),
        ("sgd", "4"),
        ("adam", "3"),
        ("adam", "4"),
        ("adam-annealed", "3"),
        ("adam-annealed", "4"),
    }
    with open(out / "summary.csv", newline="") as file:
        assert len(list(csv.DictReader(file))) == 6
    assert len((out / "points_train.csv").read_text().splitlines()) == 1 + 20
    for name in ("figure1_data.png", "figure2_sgd_loss.png", "figure3_adam_loss.png"):
        data = (out / name).read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 5000, name
    assert "figure3_adam_loss.png" in capsys.readouterr().out


def test_no_figures_writes_the_csvs_only(tmp_path: Path) -> None:
    assert main([*TINY, "--seeds", "1", "--out", str(tmp_path), "--no-figures"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "history.csv",
        "points_test.csv",
        "points_train.csv",
        "summary.csv",
    ]


def test_failed_figures_are_reported_in_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert draw_figures(tmp_path) == 1  # an empty directory: the figures module refuses it
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "the figures were not drawn" in err and "has no points_train.csv or history.csv" in err


def test_unwritable_out_is_refused_before_training(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(SystemExit) as raised:
        main([*TINY, "--out", str(blocker / "results")])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "cannot write to --out" in err
