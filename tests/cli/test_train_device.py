"""``minidl train --device/--dtype/--init-mean``: the run's device and precision, and the normal init's mean."""

from __future__ import annotations

import json
from typing import Any

import pytest
import torch

from minidl.cli import main

SMALL = ["train", "--train-points", "40", "--test-points", "20", "--epochs", "2", "--quiet"]


def _train_json(capsys: pytest.CaptureFixture[str], *flags: str) -> dict[str, Any]:
    assert main([*SMALL, "--json", *flags]) == 0
    return json.loads(capsys.readouterr().out)


def _losses(result: dict[str, Any]) -> list[float]:
    return [row["train_loss"] for row in result["history"]]


def test_json_config_carries_device_dtype_and_init_mean(capsys: pytest.CaptureFixture[str]) -> None:
    config = _train_json(capsys)["config"]
    assert (config["device"], config["dtype"], config["init_mean"]) == ("cpu", "float32", 0.0)
    config = _train_json(capsys, "--dtype", "float64", "--init-mean", "0.25")["config"]
    assert (config["device"], config["dtype"], config["init_mean"]) == ("cpu", "float64", 0.25)


def test_auto_is_the_cpu_on_a_machine_without_cuda(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert _train_json(capsys, "--device", "auto")["config"]["device"] == "cpu"


def test_cuda_without_cuda_is_one_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(SystemExit) as raised:
        main([*SMALL, "--device", "cuda"])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--device cuda needs a CUDA GPU, and this machine has none: use --device cpu (or auto)" in err


def test_float64_trains_the_same_run_in_double_precision(capsys: pytest.CaptureFixture[str]) -> None:
    single, double = _train_json(capsys), _train_json(capsys, "--dtype", "float64")
    assert _losses(single) != _losses(double)  # other rounding ...
    assert _losses(double) == pytest.approx(_losses(single), rel=1e-3)  # ... of the same initial weights and steps


def test_the_init_mean_shifts_the_initial_weights_and_the_summary_names_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert _losses(_train_json(capsys, "--init-mean", "0.5")) != _losses(_train_json(capsys))
    assert main([*SMALL, "--init-mean", "0.5", "--dtype", "float64"]) == 0
    assert "init normal (mean 0.5, std 1), float64 on cpu" in capsys.readouterr().out
    assert main(SMALL) == 0
    assert "init normal (std 1), float32 on cpu" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("value", "phrase"), [("nan", "must be a finite number"), ("1e39", "within float32's range"), ("x", "a number")]
)
def test_a_bad_init_mean_exits_2(capsys: pytest.CaptureFixture[str], value: str, phrase: str) -> None:
    with pytest.raises(SystemExit) as raised:
        main([*SMALL, "--init-mean", value])
    assert raised.value.code == 2 and phrase in capsys.readouterr().err


@pytest.mark.cuda
@pytest.mark.parametrize("device", ["cuda", "auto"])
def test_a_cuda_run_reports_cuda_and_plain_numbers(capsys: pytest.CaptureFixture[str], device: str) -> None:
    result = _train_json(capsys, "--device", device)
    assert result["config"]["device"] == "cuda"
    assert len(result["history"]) == 2 and sum(map(sum, result["final"]["test_confusion_matrix"])) == 20
    assert _losses(result) == pytest.approx(_losses(_train_json(capsys)), rel=1e-3)
