"""History as CSV and weights alone: exact, atomic, and refusing files that do not fit."""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
import torch

from minidl import mlp
from minidl_gui.model import json_document
from minidl_gui.model.export import load_weights, save_weights, write_history_csv
from minidl_gui.model.json_document import SessionFileError


def read_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


def weights(model) -> list[torch.Tensor]:  # noqa: ANN001
    return [p.clone() for p in model.parameters()]


# -- history CSV ------------------------------------------------------------------------------------
def test_history_csv_has_a_header_and_one_exact_row_per_epoch(tmp_path: Path) -> None:
    losses = [0.6931471805599453, 1 / 3, 1e-300]
    path = tmp_path / "history.csv"
    write_history_csv(path, {"epoch": [1, 2, 3], "train_loss": losses, "test_loss": [None, math.nan, 0.25]})
    rows = read_rows(path)
    assert rows[0] == ["epoch", "train_loss", "test_loss"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert [float(row[1]) for row in rows[1:]] == losses
    assert [row[2] for row in rows[1:]] == ["", "nan", "0.25"]


def test_history_csv_accepts_numpy_and_tensor_columns(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    write_history_csv(path, {"epoch": np.arange(1, 3), "lr": torch.tensor([0.5, 0.25], dtype=torch.float64)})
    assert read_rows(path) == [["epoch", "lr"], ["1", "0.5"], ["2", "0.25"]]


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ({"epoch": [1, 2], "loss": [0.1]}, "different lengths"),
        ({"epoch": [1, "two"]}, "column 'epoch' of 'history' should be a list of numbers"),
    ],
)
def test_a_bad_history_is_refused_and_the_previous_csv_kept(tmp_path: Path, history, message: str) -> None:
    path = tmp_path / "history.csv"
    write_history_csv(path, {"epoch": [1]})
    previous = path.read_bytes()
    with pytest.raises(ValueError, match=message):
        write_history_csv(path, history)
    assert path.read_bytes() == previous
    assert os.listdir(tmp_path) == ["history.csv"]


# -- weights alone -----------------------------------------------------------------------------------
def test_saved_weights_load_bit_exactly_into_a_freshly_built_model(tmp_path: Path) -> None:
    path = tmp_path / "weights.json"
    trained = mlp(hidden=(6, 5), seed=0)
    save_weights(path, trained)
    fresh = mlp(hidden=(6, 5), seed=1)
    load_weights(path, fresh)
    for saved, loaded in zip(trained.parameters(), fresh.parameters(), strict=True):
        assert torch.equal(saved, loaded)
    assert json.loads(path.read_text())["format"] == "minidl-weights"
    assert os.listdir(tmp_path) == ["weights.json"]


@pytest.mark.parametrize(
    ("other", "message"),
    [
        (lambda: mlp(hidden=(6, 5, 4), seed=1), r"missing \['6.weight', '6.bias'\], unexpected \[\]"),
        # Same names, other sizes: the first tensors fit, the third does not, and none may be copied.
        (lambda: mlp(hidden=(6, 4), seed=1), r"'2.weight' has shape \[5, 6\] but the model's is \[4, 6\]"),
    ],
)
def test_weights_that_do_not_fit_are_refused_and_nothing_is_copied(tmp_path: Path, other, message: str) -> None:
    path = tmp_path / "weights.json"
    save_weights(path, mlp(hidden=(6, 5), seed=0))
    model = other()
    before = weights(model)
    with pytest.raises(SessionFileError, match=rf"weights.json: the weights do not fit this model: .*{message}"):
        load_weights(path, model)
    for old, new in zip(before, model.parameters(), strict=True):
        assert torch.equal(old, new)


def damaged(document: dict, change: str) -> dict:
    if change == "version":
        document["version"] = 7
    elif change == "nan":
        document["model"]["0.bias"]["data"][0] = math.nan
    elif change == "count":
        document["model"]["0.weight"]["data"].pop()
    elif change == "missing":
        del document["model"]
    return document


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("version", "written by a newer version of minidl"),
        ("nan", "tensor 'model.0.bias' holds NaN"),
        ("count", r"tensor 'model.0.weight' has 11 values but shape \[6, 2\]"),
        ("missing", "field 'model' is missing"),
    ],
)
def test_a_damaged_weights_file_is_refused_with_a_clear_message(tmp_path: Path, change: str, message: str) -> None:
    path = tmp_path / "weights.json"
    save_weights(path, mlp(hidden=(6, 5), seed=0))
    path.write_text(json.dumps(damaged(json.loads(path.read_text()), change)))
    model = mlp(hidden=(6, 5), seed=1)
    before = weights(model)
    with pytest.raises(SessionFileError, match=message):
        load_weights(path, model)
    for old, new in zip(before, model.parameters(), strict=True):
        assert torch.equal(old, new)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x80garbage", "not a minidl weights file .not UTF-8 text"),
        (b'{"format": "minidl-session", "version": 1}', "not a minidl weights file .its 'format' is 'minidl-session'"),
        (b"[]", "not a minidl weights file .the top level is a list"),
    ],
)
def test_a_file_that_is_not_weights_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "weights.json"
    path.write_bytes(content)
    with pytest.raises(SessionFileError, match=message):
        load_weights(path, mlp(hidden=(6, 5)))


def test_saving_weights_is_atomic(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "weights.json"
    save_weights(path, mlp(hidden=(3,), seed=0))
    previous = path.read_bytes()

    def crash(document, file) -> None:  # noqa: ANN001
        file.write("{")
        raise OSError("disk full")

    monkeypatch.setattr(json_document.json, "dump", crash)
    with pytest.raises(OSError, match="disk full"):
        save_weights(path, mlp(hidden=(3,), seed=1))
    assert path.read_bytes() == previous
    assert os.listdir(tmp_path) == ["weights.json"]


def test_non_finite_weights_are_refused_before_writing(tmp_path: Path) -> None:
    model = mlp(hidden=(3,), seed=0)
    model.parameters()[0][0, 0] = math.inf
    with pytest.raises(ValueError, match="cannot save these weights: tensor 'model.0.weight' holds NaN, infinity"):
        save_weights(tmp_path / "weights.json", model)
    assert os.listdir(tmp_path) == []
