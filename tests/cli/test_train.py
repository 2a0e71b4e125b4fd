"""``minidl train``: JSON and table output, CSV input, stop rules, schedules, divergence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from minidl.cli import main
from minidl.cli.progress import ProgressBar
from minidl.cli.reproduce import run_experiment
from minidl.cli.stopped import EXIT_INTERRUPTED
from minidl.data import make_disc, save_points
from minidl.experiments import EXPERIMENTS

SMALL = ["train", "--train-points", "40", "--test-points", "30", "--quiet"]
DIVERGING = [*SMALL, "--optimizer", "sgd", "--lr", "1e12", "--init-std", "10"]


def _train_json(capsys: pytest.CaptureFixture[str], *flags: str) -> dict[str, Any]:
    assert main([*SMALL, "--json", *flags]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_has_config_one_history_row_per_epoch_and_final_metrics(capsys: pytest.CaptureFixture[str]) -> None:
    result = _train_json(capsys, "--epochs", "2")
    assert [row["epoch"] for row in result["history"]] == [1, 2]
    assert result["config"]["layers"] == [2, 25, 25, 25, 1]
    assert result["config"]["train_points"] == 40 and result["config"]["test_points"] == 30
    final = result["final"]
    assert final["epochs"] == 2 and final["stop_reason"] == "2 epochs done"
    assert final["test_accuracy"] == result["history"][-1]["test_accuracy"]
    assert sum(map(sum, final["test_confusion_matrix"])) == 30


def test_same_seed_gives_the_same_history(capsys: pytest.CaptureFixture[str]) -> None:
    def losses() -> list[float]:
        return [row["train_loss"] for row in _train_json(capsys, "--epochs", "2", "--seed", "7")["history"]]

    assert losses() == losses()


def test_train_with_report_flags_matches_the_reproduce_run_of_the_same_seed(capsys: pytest.CaptureFixture[str]) -> None:
    sgd = EXPERIMENTS[0]
    result = _train_json(capsys, "--optimizer", "sgd", "--epochs", "3", "--test-points", "40", "--seed", "2")
    run = run_experiment(sgd, 2, points=40, epochs=3)
    assert result["config"]["lr"] == sgd.lr
    assert [row["train_loss"] for row in result["history"]] == [r.train_loss for r in run.history]


def test_csv_points_are_split_into_train_and_test(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "points.csv"
    save_points(path, *make_disc(50, seed=1))
    result = _train_json(capsys, "--data", str(path), "--test-fraction", "0.2", "--epochs", "1")
    assert result["config"]["train_points"] == 40 and result["config"]["test_points"] == 10


def test_malformed_csv_is_one_line_naming_the_line_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("x1,x2,label\n0.1,0.2,1\n0.3,oops,0\n")
    with pytest.raises(SystemExit) as raised:
        main([*SMALL, "--data", str(path)])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "line 3" in err


def test_missing_csv_is_one_line_exit_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main([*SMALL, "--data", str(tmp_path / "absent.csv")])
    assert raised.value.code == 2
    assert "absent.csv" in capsys.readouterr().err


def test_divergence_prints_one_line_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*DIVERGING, "--epochs", "3"])
    assert code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("minidl train: error: Training diverged at epoch 1")


def test_bce_gets_a_sigmoid_output_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*SMALL, "--json", "--loss", "bce", "--epochs", "1"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["config"]["output_activation"] == "sigmoid"
    assert "output activation is sigmoid" in captured.err


@pytest.mark.parametrize(("loss", "threshold"), [("mse", 0.5), ("mae", 0.5), ("bce", 0.5), ("bce_logits", 0.0)])
def test_accuracy_threshold_follows_the_loss(capsys: pytest.CaptureFixture[str], loss: str, threshold: float) -> None:
    assert _train_json(capsys, "--loss", loss, "--epochs", "0")["config"]["threshold"] == threshold


def test_patience_stops_early_on_a_validation_split(capsys: pytest.CaptureFixture[str]) -> None:
    # lr 0: the validation loss never improves after the first epoch, so patience 2 stops at epoch 3.
    result = _train_json(capsys, "--lr", "0", "--patience", "2", "--epochs", "50")
    assert result["config"]["validation_points"] == 8 and result["config"]["train_points"] == 32
    assert len(result["history"]) == 3
    assert "did not improve for 2 epochs" in result["final"]["stop_reason"]


def test_target_loss_stops_at_once_when_already_met(capsys: pytest.CaptureFixture[str]) -> None:
    result = _train_json(capsys, "--target-loss", "1e9", "--epochs", "50")
    assert len(result["history"]) == 1 and "target loss" in result["final"]["stop_reason"]


def test_step_scheduler_decays_the_learning_rate(capsys: pytest.CaptureFixture[str]) -> None:
    result = _train_json(
        capsys, "--lr", "0.01", "--scheduler", "step", "--step-size", "2", "--gamma", "0.5", "--epochs", "4"
    )
    assert [row["lr"] for row in result["history"]] == pytest.approx([0.01, 0.01, 0.005, 0.005])


def test_per_layer_activations_and_sgd_hyperparameters_reach_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    flags = [
        "--hidden",
        "8,4",
        "--activation",
        "tanh,relu",
        "--optimizer",
        "sgd",
        "--momentum",
        "0.9",
        "--nesterov",
        "--weight-decay",
        "0.01",
        "--epochs",
        "1",
        "--batch-size",
        "8",
    ]
    config = _train_json(capsys, *flags)["config"]
    assert config["layers"] == [2, 8, 4, 1] and config["activation"] == ["tanh", "relu"]
    assert config["momentum"] == 0.9 and config["nesterov"] is True and config["batch_size"] == 8


def test_plain_output_is_a_summary_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*SMALL, "--epochs", "3", "--dataset", "xor"]) == 0
    out = capsys.readouterr().out
    assert "epoch  train loss" in out and "stopped  3 epochs done" in out and "final    test accuracy" in out


def test_divergence_with_json_prints_the_history_so_far_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    # Three good epochs at the report's rate, then one that blows up: the step scheduler multiplies it by 1e38.
    flags = ["--optimizer", "sgd", "--scheduler", "step", "--step-size", "3", "--gamma", "1e38"]
    assert main([*SMALL, "--json", "--epochs", "6", *flags]) == 1
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["diverged"]["epoch"] == 4 and "diverged at epoch 4" in result["diverged"]["message"]
    assert [row["epoch"] for row in result["history"]] == [1, 2, 3]
    final = result["final"]
    assert final["epochs"] == 3 and final["test_accuracy"] == result["history"][-1]["test_accuracy"]
    assert final["stop_reason"] == "diverged at epoch 4"
    assert sum(map(sum, final["test_confusion_matrix"])) == 30
    assert captured.err.startswith("minidl train: error: Training diverged at epoch 4")


def test_divergence_in_the_first_epoch_with_json_has_no_metrics(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*DIVERGING, "--json", "--epochs", "3"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["history"] == [] and result["diverged"]["epoch"] == 1
    assert result["final"]["test_accuracy"] is None and "test_confusion_matrix" not in result["final"]


def test_divergence_with_adam_eps_0_names_eps(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*SMALL, "--epochs", "3", "--eps", "0"]) == 1
    line = capsys.readouterr().err.strip()
    assert "eps" in line and "learning rate" not in line


def test_divergence_from_huge_initial_weights_names_init_std_not_the_learning_rate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*SMALL, "--epochs", "3", "--init-std", "1e38"]) == 1
    line = capsys.readouterr().err.strip()
    assert "init std" in line and "learning rate below" not in line


def test_ctrl_c_with_json_prints_the_epochs_trained_marked_interrupted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def update(bar: ProgressBar, done: int, note: str = "") -> None:
        if done == 2:
            raise KeyboardInterrupt  # as Ctrl+C between epochs

    monkeypatch.setattr(ProgressBar, "update", update)
    assert main([*SMALL, "--json", "--epochs", "5"]) == EXIT_INTERRUPTED
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["interrupted"] is True and [r["epoch"] for r in result["history"]] == [1, 2]
    assert (
        result["final"]["epochs"] == 2 and result["final"]["stop_reason"] == "interrupted" and "diverged" not in result
    )
    assert captured.err.strip() == "minidl train: interrupted after 2 epochs"
    # Ctrl+C usually lands mid-epoch: the weights then are neither epoch 2's nor a result to report.
    assert "test_confusion_matrix" not in result["final"]


def test_zero_epochs_prints_no_metrics_of_an_untrained_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*SMALL, "--epochs", "0"]) == 0
    out = capsys.readouterr().out
    assert "no epoch trained" in out
    assert "final" not in out and "predicted" not in out and "train loss" not in out


def test_zero_epochs_with_json_is_valid_json_without_a_confusion_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    final = _train_json(capsys, "--epochs", "0")["final"]
    assert final["stop_reason"] == "no epoch trained" and final["test_accuracy"] is None
    assert "test_confusion_matrix" not in final
