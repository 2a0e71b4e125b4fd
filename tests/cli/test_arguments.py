"""Bad flags are refused with one line on stderr and exit code 2; help and version are readable."""

from __future__ import annotations

import pytest

from minidl import __version__
from minidl.cli import main


def _fails_with(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("minidl")
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "phrase"),
    [
        ([], "required: COMMAND"),
        (["fly"], "invalid choice: 'fly'"),
        (["train", "--lr", "-1"], "argument --lr: must be a finite number >= 0, got -1"),
        (["train", "--lr", "fast"], "argument --lr: expected a number, got 'fast'"),
        (["train", "--hidden", "25,x"], "argument --hidden: expected whole numbers"),
        (["train", "--hidden", "25,0"], "layer sizes must be >= 1"),
        (["train", "--dataset", "moons"], "argument --dataset: invalid choice: 'moons'"),
        (["train", "--activation", "relu,swish"], "unknown 'swish'"),
        (["train", "--betas", "0.9"], "expected two numbers in [0, 1)"),
        (["train", "--batch-size", "0"], "argument --batch-size: must be >= 1, got 0"),
        (["train", "--validation-fraction", "1.5"], "must be in [0, 1)"),
        (["train", "--epochs", "2", "--no-such-flag"], "unrecognized arguments: --no-such-flag"),
        (["reproduce", "--seeds", "0"], "argument --seeds: must be >= 1, got 0"),
    ],
)
def test_bad_flag_is_one_line_and_exit_code_2(capsys: pytest.CaptureFixture[str], argv: list[str], phrase: str) -> None:
    assert phrase in _fails_with(capsys, argv)


@pytest.mark.parametrize(
    ("argv", "phrase"),
    [
        (["--activation", "relu,tanh"], "--activation lists 2 names for 3 hidden layers"),
        (["--loss", "bce", "--output-activation", "relu"], "--loss bce needs outputs in [0, 1]"),
        (["--optimizer", "sgd", "--nesterov"], "Nesterov momentum requires a momentum"),
        (["--train-points", "0"], "no training points"),
    ],
)
def test_bad_combination_found_after_parsing_is_one_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], phrase: str
) -> None:
    line = _fails_with(capsys, ["train", "--epochs", "1", "--quiet", *argv])
    assert line.startswith("minidl train: error:")
    assert phrase in line


def test_version_names_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out.strip() == f"minidl {__version__}"


def test_train_help_shows_every_flag_group_and_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = capsys.readouterr().out
    for expected in (
        "--hidden N,N,...",
        "(default: 25,25,25)",
        "(default: relu)",
        "(default: adam)",
        "(default: 0.9,0.999)",
        "--scheduler",
        "--patience",
        "--data FILE.csv",
        "examples:",
    ):
        assert expected in text


def test_top_level_help_lists_both_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "reproduce" in text and "train" in text
