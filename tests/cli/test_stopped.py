"""Training that ends early: one line on stderr and the exit code, the same for every command."""

from __future__ import annotations

import pytest

from minidl.cli.stopped import EXIT_DIVERGED, EXIT_INTERRUPTED, stopped_early
from minidl.training import TrainingDiverged


def test_divergence_is_an_error_line_and_exit_code_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert stopped_early("minidl train", TrainingDiverged(3, 0.5), "2 epochs") == EXIT_DIVERGED == 1
    assert capsys.readouterr().err.startswith("minidl train: error: Training diverged at epoch 3")


def test_ctrl_c_says_how_far_it_got_and_exits_130(capsys: pytest.CaptureFixture[str]) -> None:
    assert stopped_early("minidl reproduce", KeyboardInterrupt(), "4 runs") == EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err == "minidl reproduce: interrupted after 4 runs\n"
