"""``minidl train`` on every problem: k classes (confusion matrices), regression (RMSE, MAE, R²), input features,
and every flag combination that cannot train refused in one line with exit code 2 before anything is drawn."""

from __future__ import annotations

import doctest
import json
from pathlib import Path
from typing import Any

import pytest

from minidl.cli import main, train_report
from minidl.cli import train as train_command
from minidl.data import make_blobs, make_plane, save_points
from minidl.features import FEATURE_NAMES
from minidl.problem import Problem

SMALL = ["train", "--train-points", "40", "--test-points", "30", "--quiet", "--epochs", "2", "--hidden", "8"]
SMALL += ["--batch-size", "8"]


def _train_json(capsys: pytest.CaptureFixture[str], *flags: str) -> dict[str, Any]:
    assert main([*SMALL, "--json", *flags]) == 0
    return json.loads(capsys.readouterr().out)


def _train_text(capsys: pytest.CaptureFixture[str], *flags: str) -> str:
    assert main([*SMALL, *flags]) == 0
    return capsys.readouterr().out


def _total(matrix: list[list[int]]) -> int:
    return sum(map(sum, matrix))


def test_the_confusion_table_docstring_example_holds() -> None:
    results = doctest.testmod(train_report)
    assert results.attempted >= 1 and results.failed == 0


def test_blobs_with_four_classes_trains_four_logits_with_cross_entropy(capsys: pytest.CaptureFixture[str]) -> None:
    result = _train_json(capsys, "--dataset", "blobs", "--classes", "4")
    config, final = result["config"], result["final"]
    assert (config["problem"], config["classes"], config["loss"]) == ("4 classes", 4, "cross_entropy")
    assert config["output_activation"] == "identity" and config["layers"] == [2, 8, 4]
    assert config["features"] == ["x1", "x2"]
    for split, points in (("train", 40), ("test", 30)):
        matrix = final[f"{split}_confusion_matrix"]
        assert len(matrix) == 4 and all(len(row) == 4 for row in matrix) and _total(matrix) == points
        right = sum(matrix[i][i] for i in range(4))
        assert final[f"{split}_accuracy"] == pytest.approx(right / points)
    assert final["test_accuracy"] == result["history"][-1]["test_accuracy"]
    assert "test_rmse" not in final and result["history"][-1]["test_rmse"] is None


def test_spiral_takes_a_class_count_too(capsys: pytest.CaptureFixture[str]) -> None:
    config = _train_json(capsys, "--dataset", "spiral", "--classes", "3", "--epochs", "1")["config"]
    assert (config["problem"], config["layers"][-1]) == ("3 classes", 3)


def test_blobs_default_to_their_own_class_count(capsys: pytest.CaptureFixture[str]) -> None:
    config = _train_json(capsys, "--dataset", "blobs", "--epochs", "1")["config"]
    assert (config["problem"], config["classes"]) == ("3 classes", 3)


def test_the_summary_prints_labelled_kxk_confusion_matrices_summing_to_the_points(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = _train_text(capsys, "--dataset", "blobs", "--classes", "3").splitlines()
    assert "data     blobs (3 classes): 40 train, 0 validation, 30 test points (seed 0)" in lines
    assert "training cross_entropy loss, adam lr 0.005, batch 8" in lines  # no threshold for k logits
    for split, points in (("train", 40), ("test", 30)):
        start = lines.index(f"{split} confusion matrix (rows: true class, columns: predicted class)")
        assert lines[start + 1].split() == ["pred", "0", "pred", "1", "pred", "2"]
        rows = lines[start + 2 : start + 5]
        assert [row.split()[:2] for row in rows] == [["true", "0"], ["true", "1"], ["true", "2"]]
        assert sum(int(n) for row in rows for n in row.split()[2:]) == points


def test_binary_keeps_its_output_and_gains_a_train_confusion_matrix_in_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = _train_json(capsys)
    config, final = result["config"], result["final"]
    assert (config["problem"], config["classes"], config["loss"], config["layers"]) == ("binary", 2, "mse", [2, 8, 1])
    assert _total(final["train_confusion_matrix"]) == 40 and _total(final["test_confusion_matrix"]) == 30
    text = _train_text(capsys)
    assert "data     disc: 40 train, 0 validation, 30 test points (seed 0)" in text
    assert "training mse loss, adam lr 0.005, batch 8, threshold 0.5" in text
    assert "test     true 0 -> predicted 0: " in text and "confusion matrix" not in text


@pytest.mark.parametrize("dataset", ["plane", "multi_gauss"])
def test_a_regression_set_reports_rmse_mae_and_r2_instead_of_accuracy(
    capsys: pytest.CaptureFixture[str], dataset: str
) -> None:
    result = _train_json(capsys, "--dataset", dataset)
    config, final, last = result["config"], result["final"], result["history"][-1]
    assert (config["problem"], config["classes"], config["loss"]) == ("regression", None, "mse")
    assert config["output_activation"] == "identity" and config["layers"] == [2, 8, 1]
    assert final["train_accuracy"] is None and final["test_accuracy"] is None and last["test_accuracy"] is None
    assert (final["test_rmse"], final["test_r2"]) == (last["test_rmse"], last["test_r2"])
    assert (final["train_rmse"], final["train_r2"]) == (last["train_rmse"], last["train_r2"])
    assert 0 <= final["test_mae"] <= final["test_rmse"] and 0 <= final["train_mae"] <= final["train_rmse"]
    assert final["test_rmse"] ** 2 == pytest.approx(last["test_loss"], rel=1e-4)  # mse loss = RMSE²
    assert "test_confusion_matrix" not in final and "train_confusion_matrix" not in final


def test_plane_summary_prints_rmse_and_r2_per_epoch_and_rmse_mae_r2_at_the_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = _train_text(capsys, "--dataset", "plane", "--hidden", "none", "--epochs", "3").splitlines()
    assert "data     plane (regression): 40 train, 0 validation, 30 test points (seed 0)" in lines
    header = next(line for line in lines if line.lstrip().startswith("epoch"))
    assert header.split() == ["epoch", "train", "loss", "test", "loss", "train", "RMSE", "test", "RMSE"] + [
        "train",
        "R²",
        "test",
        "R²",
    ]
    rows = lines[lines.index(header) + 1 : lines.index(header) + 4]
    assert [row.split()[0] for row in rows] == ["1", "2", "3"] and all(len(row.split()) == 7 for row in rows)
    final = next(line for line in lines if line.startswith("final"))
    assert final.startswith("final    test RMSE ") and "; train RMSE " in final and final.count("R² ") == 2
    assert "accuracy" not in "\n".join(lines) and "threshold" not in "\n".join(lines)


def test_features_widen_the_first_layer_and_change_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    plain = _train_json(capsys)
    squares = _train_json(capsys, "--features", "x1,x2,x1^2,x2^2")
    assert squares["config"]["features"] == ["x1", "x2", "x1^2", "x2^2"] and squares["config"]["layers"] == [4, 8, 1]
    assert [r["train_loss"] for r in squares["history"]] != [r["train_loss"] for r in plain["history"]]
    text = _train_text(capsys, "--features", "sin(x1),x1*x2", "--dataset", "blobs")
    assert "model    2-8-3, relu -> identity" in text and "features sin(x1), x1*x2" in text


def test_the_raw_features_are_the_model_without_a_features_module(capsys: pytest.CaptureFixture[str]) -> None:
    # As in the app: x1,x2 is the default, the same run (and the same summary) as without the flag.
    plain = _train_json(capsys)
    raw = _train_json(capsys, "--features", "x1, x2")
    assert [r["train_loss"] for r in raw["history"]] == [r["train_loss"] for r in plain["history"]]
    assert raw["config"]["layers"] == [2, 8, 1] and raw["config"]["features"] == ["x1", "x2"]
    assert "\nfeatures " not in _train_text(capsys, "--features", "x1,x2")


def test_a_csv_of_class_indices_is_k_classes_and_of_numbers_a_regression(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    classes = tmp_path / "classes.csv"
    save_points(classes, *make_blobs(40, 3, seed=1), problem=Problem.classification(3))
    result = _train_json(capsys, "--data", str(classes), "--test-fraction", "0.25")
    assert result["config"]["problem"] == "3 classes" and _total(result["final"]["test_confusion_matrix"]) == 10
    assert _train_json(capsys, "--data", str(classes), "--classes", "5")["config"]["layers"][-1] == 5
    targets = tmp_path / "targets.csv"
    save_points(targets, *make_plane(40, seed=1), problem=Problem.regression())
    result = _train_json(capsys, "--data", str(targets))
    assert result["config"]["problem"] == "regression" and result["final"]["test_r2"] is not None
    with pytest.raises(SystemExit) as raised:
        main([*SMALL, "--data", str(targets), "--loss", "bce"])
    assert raised.value.code == 2
    line = capsys.readouterr().err.strip()
    assert line.startswith(f"minidl train: error: the labels of {targets} make a regression problem: ")
    assert _why_not(Problem.regression(), "bce") in line


def _refusal(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *flags: str) -> str:
    """The one stderr line of ``minidl train FLAGS``, refused with exit code 2 before any point is drawn."""

    def no_data(*args: object, **kwargs: object) -> None:
        raise AssertionError("the data were drawn before the flags were checked")

    monkeypatch.setattr(train_command, "make_dataset", no_data)
    with pytest.raises(SystemExit) as raised:
        main([*SMALL, *flags])
    assert raised.value.code == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert captured.out == "" and len(lines) == 1 and lines[0].startswith("minidl train: error: ")
    return lines[0]


def _why_not(problem: Problem, loss: str) -> str:
    message = problem.why_not(loss)
    assert message is not None
    return message


@pytest.mark.parametrize(
    ("flags", "problem", "loss"),
    [
        (["--dataset", "plane", "--loss", "cross_entropy"], Problem.regression(), "cross_entropy"),
        (["--dataset", "multi_gauss", "--loss", "bce"], Problem.regression(), "bce"),
        (["--loss", "cross_entropy"], Problem.classification(2), "cross_entropy"),
        (["--dataset", "blobs", "--classes", "4", "--loss", "bce"], Problem.classification(4), "bce"),
        (["--dataset", "blobs", "--classes", "4", "--loss", "bce_logits"], Problem.classification(4), "bce_logits"),
        (["--dataset", "blobs", "--classes", "4", "--loss", "mse"], Problem.classification(4), "mse"),
    ],
)
def test_a_loss_that_does_not_fit_the_problem_is_the_problems_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, flags: list[str], problem: Problem, loss: str
) -> None:
    line = _refusal(capsys, monkeypatch, *flags)
    assert line == f"minidl train: error: {_why_not(problem, loss)} (see 'minidl train --help')"


@pytest.mark.parametrize(
    ("flags", "phrase"),
    [
        (
            ["--dataset", "blobs", "--output-activation", "sigmoid"],
            "--output-activation sigmoid does not fit: leave --output-activation out (identity)",
        ),
        (["--dataset", "disc", "--classes", "3"], "--classes 3 does not fit --dataset disc"),
        (["--dataset", "plane", "--classes", "4"], "--classes 4 does not fit --dataset plane"),
        (["--dataset", "blobs", "--classes", "7"], "argument --classes: must be at most 6 (MAX_CLASSES), got 7"),
        (["--dataset", "blobs", "--classes", "1"], "argument --classes: must be >= 2, got 1"),
        (["--dataset", "blobs", "--threshold", "0.3"], "--threshold splits the one output of a binary problem"),
        (["--dataset", "plane", "--threshold", "0.3"], "a regression problem has none to split"),
    ],
)
def test_a_bad_combination_is_one_line_exit_2_before_any_point_is_drawn(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, flags: list[str], phrase: str
) -> None:
    assert phrase in _refusal(capsys, monkeypatch, *flags)


@pytest.mark.parametrize(("value", "phrase"), [("x1,x3", "'x3'"), ("x1,x1", "'x1'"), ("", "at least one")])
def test_an_unknown_repeated_or_missing_feature_is_one_line_listing_the_allowed_names(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, value: str, phrase: str
) -> None:
    line = _refusal(capsys, monkeypatch, "--features", value)
    assert "argument --features: " in line and phrase in line
    assert all(name in line for name in FEATURE_NAMES)


def test_a_csv_label_outside_the_classes_asked_for_is_one_line_naming_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "points.csv"
    path.write_text("x1,x2,label\n0.1,0.2,0\n0.3,0.4,4\n")
    with pytest.raises(SystemExit) as raised:
        main([*SMALL, "--data", str(path), "--classes", "3"])
    assert raised.value.code == 2
    line = capsys.readouterr().err.strip()
    assert "\n" not in line and "points.csv" in line and "line 3" in line


def test_help_offers_the_new_sets_losses_and_a_quoted_features_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = capsys.readouterr().out
    for expected in ("blobs", "plane", "multi_gauss", "cross_entropy", "--classes K", "--features 'x1,x2,x1^2,x2^2'"):
        assert expected in text
    assert all(name in text for name in FEATURE_NAMES)


@pytest.mark.cuda
@pytest.mark.parametrize("dataset", ["blobs", "plane"])
def test_k_classes_and_a_regression_train_on_cuda_as_on_the_cpu(
    capsys: pytest.CaptureFixture[str], dataset: str
) -> None:
    cuda, cpu = (_train_json(capsys, "--dataset", dataset, "--device", device) for device in ("cuda", "cpu"))
    assert cuda["config"]["device"] == "cuda"
    losses = [[row["train_loss"] for row in result["history"]] for result in (cuda, cpu)]
    assert losses[0] == pytest.approx(losses[1], rel=1e-3)
    if dataset == "blobs":
        assert _total(cuda["final"]["test_confusion_matrix"]) == 30
    else:
        assert cuda["final"]["test_mae"] == pytest.approx(cpu["final"]["test_mae"], rel=1e-3)


@pytest.mark.parametrize(
    ("flags", "threshold"), [([], 0.5), (["--dataset", "blobs"], None), (["--dataset", "plane"], None)]
)
def test_the_json_threshold_is_a_binary_problems_only(capsys, flags, threshold) -> None:
    """k logits and a regression split nothing at 0.5: --json said threshold 0.5 for them (--threshold is refused)."""
    assert _train_json(capsys, *flags)["config"]["threshold"] == threshold
