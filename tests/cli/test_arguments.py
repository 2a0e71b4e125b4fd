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


@pytest.mark.parametrize(
    ("argv", "phrase"),
    [
        (["train", "--lr", "1e300"], "--lr: must be within float32's range (at most 3.40282e+38 in size), got 1e300"),
        (["train", "--eps", "1e39"], "argument --eps: must be within float32's range"),
        (["train", "--init-std", "1e39"], "argument --init-std: must be within float32's range"),
        (["train", "--threshold=-1e39"], "argument --threshold: must be within float32's range"),
        (["train", "--threshold", "nan"], "argument --threshold: must be a finite number, got nan"),
        (["train", "--hidden", "100000,100000"], "argument --hidden: layer sizes must be at most 4096 (MAX_WIDTH)"),
        (["train", "--hidden", "4096,4096,4096"], "has 33,579,009 parameters: the limit is 10,000,000"),
        (["train", "--hidden", ",".join(["1"] * 101)], "at most 100 hidden layers (MAX_HIDDEN_LAYERS)"),
        (["train", "--train-points", "2000000"], "must be at most 1000000 (MAX_POINTS), got 2000000"),
        (["train", "--test-points", "99999999999999999999999"], "--test-points: must be at most 1000000 (MAX_POINTS)"),
        (["train", "--train-points", "1e9"], "expected a whole number written in digits (1e9 is 1000000000)"),
        (["train", "--seed", "1e23"], "argument --seed: expected a whole number written in digits"),
        (["train", "--seed", str(2**63)], "argument --seed: must be at most 922337203685477580 (MAX_SEED)"),
        (["train", "--seed", "-1"], "argument --seed: must be >= 0, got -1"),
        (["train", "--batch-size", "10" * 12], "argument --batch-size: must be at most 1000000 (MAX_POINTS)"),
        (["reproduce", "--first-seed", str(2**63)], "argument --first-seed: must be at most 922337203685477580"),
        (
            ["reproduce", "--first-seed", "922337203685477580", "--seeds", "2"],
            "the last seed, 922337203685477581, is beyond 922337203685477580 (MAX_SEED): lower --first-seed or --seeds",
        ),
    ],
)
def test_values_beyond_the_limits_are_one_line_naming_the_limit(
    capsys: pytest.CaptureFixture[str], argv: list[str], phrase: str
) -> None:
    assert phrase in _fails_with(capsys, argv)
