"""``minidl sweep`` checks every run's flags with ``minidl train``'s parser before any run: one line, exit 2."""

from __future__ import annotations

import argparse
import sys

import pytest

from minidl.cli import main
from minidl.cli.main import build_parser
from minidl.cli.sweep import _plan, normalize_argv, seed_list

TINY = ["--", "--epochs", "1", "--train-points", "20", "--test-points", "20", "--hidden", "4"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--vary", "lr", "0.1", "abc"], "--vary lr abc: expected a number, got 'abc'"),
        (["--vary", "--lr", "-1"], "--vary lr -1: must be a finite number >= 0, got -1"),
        (["--vary", "optimizer", "sgd", "adamw"], "--vary optimizer adamw: invalid choice: 'adamw'"),
        (["--vary", "nesterov", "yes"], "--vary nesterov yes: --nesterov is a switch: vary it over on and off"),
        (["--vary", "lrr", "1"], "--vary lrr: minidl train has no flag --lrr to vary"),
        (["--vary", "help", "on"], "--vary help: minidl train has no flag --help to vary"),
        (["--vary", "lr"], "--vary lr: give its values after the flag"),
        (["--vary", "lr", "1", "--vary", "--lr", "2"], "--vary lr is given twice"),
        (["--vary", "lr", "1", "1"], "--vary lr lists 1 twice"),
        (["--vary", "seed", "1", "2"], "--vary seed: the sweep sets --seed of each run: use --seeds N or --seed-list"),
        (["--vary", "json", "on"], "--vary json: the sweep sets --json"),
        (["--vary", "lr", "1", "--", "--lr", "2"], "--lr is both varied and fixed (after --)"),
        (["--", "--seed", "3"], "--seed after --: the sweep sets --seed"),
        (["--", "--quiet"], "--quiet after --: the sweep sets --quiet"),
        (["--", "--epochs", "2", "--bogus"], "minidl train flags after --: unrecognized arguments: --bogus"),
        (["--", "--epochs", "two"], "minidl train flags after --: argument --epochs: expected a whole number"),
        (["--seed-list", "3,x"], "argument --seed-list: expected a whole number, got 'x'"),
        (["--seed-list", "3,5,3"], "argument --seed-list: lists seed 3 twice"),
        (["--seeds", "2", "--seed-list", "3"], "not allowed with argument --seeds"),
        (["--random", "0"], "argument --random: must be >= 1"),
        (["--jobs", "0"], "argument --jobs: must be >= 1"),
        (["--jobs", "100000"], "argument --jobs: must be at most"),  # 4 per core: each worker imports torch
    ],
)
def test_a_bad_flag_is_one_line_naming_it_exit_2_before_anything_runs(
    argv: list[str], message: str, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep.csv"
    with pytest.raises(SystemExit) as raised:
        main(["sweep", "--out", str(out), *argv])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("minidl sweep: error: ")
    assert message in err
    assert not out.exists()  # nothing ran, nothing was written


def test_a_results_file_of_another_sweep_is_one_line_exit_2(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "points.csv"
    out.write_text("x1,x2,label\n")
    with pytest.raises(SystemExit) as raised:
        main(["sweep", "--out", str(out), "--vary", "lr", "0.1", *TINY])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "is not a minidl sweep results file: choose another --out" in err


def test_without_the_distributed_package_dask_says_what_to_install(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    out = tmp_path / "sweep.csv"
    with pytest.raises(SystemExit) as raised:
        main(["sweep", "--quiet", "--out", str(out), "--dask", "tcp://127.0.0.1:8786", *TINY])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "pip install minidl[distributed]" in err
    assert not out.exists()


def test_vary_accepts_the_flag_with_or_without_its_dashes_and_leaves_the_train_flags_alone() -> None:
    argv = ["sweep", "--vary", "--lr", "1", "--vary", "hidden", "4", "--", "--vary", "--x"]
    assert normalize_argv(argv) == ["sweep", "--vary", "lr", "1", "--vary", "hidden", "4", "--", "--vary", "--x"]


def test_seed_list_reads_seeds_train_accepts() -> None:
    assert seed_list("3, 5,7") == (3, 5, 7)
    with pytest.raises(argparse.ArgumentTypeError, match="must be >= 0"):
        seed_list("3,-1")


@pytest.mark.parametrize("where", ["folder", "device"])
def test_an_out_that_is_not_a_regular_file_is_one_line_exit_2(
    where: str, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path if where == "folder" else "/dev/null"
    with pytest.raises(SystemExit) as raised:
        main(["sweep", "--out", str(out), "--vary", "lr", "0.1", *TINY])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("minidl sweep: error: ")
    assert "not a sweep results file" in err


VALUES = [str(value) for value in range(1, 101)]


@pytest.mark.parametrize(
    "argv",
    [
        ["--vary", "t-max", *VALUES, "--vary", "batch-size", *VALUES, "--vary", "step-size", *VALUES],  # 10⁶
        ["--vary", "t-max", *VALUES, "--vary", "batch-size", *VALUES, "--seeds", "1000"],  # 10⁴ x 1000 seeds
        ["--seeds", "1000000000"],
    ],
)
def test_a_sweep_of_too_many_runs_is_refused_before_it_is_planned(
    argv: list[str], tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep.csv"
    with pytest.raises(SystemExit) as raised:
        main(["sweep", "--out", str(out), *argv, *TINY])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "runs; at most 100000" in err and "--random" in err
    assert not out.exists()


def test_a_random_sample_of_a_huge_grid_is_not_too_many(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["sweep", "--random", "3", "--seeds", "2"]
    argv += ["--vary", "t-max", *VALUES, "--vary", "batch-size", *VALUES, "--vary", "step-size", *VALUES, *TINY]
    args = build_parser(["sweep"]).parse_args(normalize_argv(argv))
    assert len(_plan(args, check_dask=False).runs) == 6
