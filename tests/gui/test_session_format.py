"""Session files: exact round trip, identical continuation, atomic saves, and a loader that refuses bad files."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
import math
import os
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minidl import SGD, Adam, BCEWithLogitsLoss, CosineAnnealingLR, StepLR, mlp
from minidl.data import make_disc
from minidl.problem import MAX_CLASSES
from minidl.training import StopRules, Trainer
from minidl_gui.model import json_document
from minidl_gui.model.config import INPUTS, MAX_EPOCHS, MAX_HIDDEN_LAYERS, MAX_INPUTS, MAX_POINTS, MAX_WIDTH, Config
from minidl_gui.model.history import COLUMNS
from minidl_gui.model.saved_session import capture, capture_session, session_from_saved
from minidl_gui.model.session import Session
from minidl_gui.model.session_format import (
    SessionData,
    SessionFileError,
    load_session,
    loads_session,
    save_session,
    session_document,
    session_from_document,
    storage,
)
from minidl_gui.model.session_format.version import MIGRATIONS, VERSION, migrate

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make_trainer(
    optimizer: str = "adam", schedule: str | None = "step", hidden=(6, 5), model_seed=0, shuffle_seed=1, data_seed=2
) -> Trainer:
    model = mlp(hidden=hidden, seed=model_seed)
    if optimizer == "adam":
        opt = Adam(model.param(), lr=0.02, weight_decay=1e-3)
    else:
        opt = SGD(model.param(), lr=0.1, momentum=0.9, nesterov=optimizer == "nesterov")
    scheduler = {"step": lambda: StepLR(opt, step_size=2, gamma=0.5), "cosine": lambda: CosineAnnealingLR(opt, 10)}
    return Trainer(
        model,
        BCEWithLogitsLoss(),
        opt,
        make_disc(40, seed=data_seed),
        make_disc(16, seed=data_seed + 1),
        batch_size=7,
        scheduler=scheduler[schedule]() if schedule else None,
        stop=StopRules(max_epochs=None),
        seed=shuffle_seed,
    )


def train(trainer: Trainer, epochs: int) -> list[float]:
    return [result.train_loss for result in itertools.islice(trainer.run(), epochs)]


def restore_into(trainer: Trainer, saved: SessionData) -> None:
    """Continue ``saved`` in ``trainer``: its state (all or nothing), then its points."""
    trainer.load_state_dict(saved.trainer)
    trainer.set_train_data(saved.train[0].clone(), saved.train[1].clone())
    trainer.test = None if saved.test is None else (saved.test[0].clone(), saved.test[1].clone())


def with_trainer(session: SessionData, **changes) -> SessionData:  # noqa: ANN003
    """``session`` with the given entries of its trainer state replaced."""
    return dataclasses.replace(session, trainer={**session.trainer, **changes})


def live_tensors(trainer: Trainer) -> list[torch.Tensor]:
    """Everything that decides the next epoch, as tensors: weights, optimizer buffers, shuffle state, data."""
    loader = trainer.loader
    return [*trainer.optimizer.params_and_state(), loader.generator.get_state(), loader.x, loader.y]


def assert_all_equal(a: list[torch.Tensor], b: list[torch.Tensor]) -> None:
    assert len(a) == len(b)
    for left, right in zip(a, b, strict=True):
        assert left.dtype == right.dtype and torch.equal(left, right)


def assert_same_session(a: SessionData, b: SessionData) -> None:
    at, bt = a.trainer, b.trainer
    assert list(at) == list(bt)
    tensors = [
        (a.train, b.train),
        (a.test, b.test),
        (list(at["model"].values()), list(bt["model"].values())),
        ([at["generator_state"]], [bt["generator_state"]]),
    ]
    for left, right in tensors:
        assert_all_equal(list(left), list(right))
    assert list(at["model"]) == list(bt["model"])
    assert at["optimizer"]["state"].keys() == bt["optimizer"]["state"].keys()
    for name, chunks in at["optimizer"]["state"].items():
        assert_all_equal(chunks, bt["optimizer"]["state"][name])
    assert {k: at["optimizer"][k] for k in ("type", "hyperparameters", "step")} == {
        k: bt["optimizer"][k] for k in ("type", "hyperparameters", "step")
    }
    assert (a.config, a.seed, at["scheduler"]) == (b.config, b.seed, bt["scheduler"])
    keys = ("epoch", "elapsed", "batch_size", "best_validation_loss", "epochs_without_improvement")
    assert [at[k] for k in keys] == [bt[k] for k in keys]
    assert json.dumps(a.history) == json.dumps(b.history)  # NaN == NaN here
    assert a.gradient_norms == b.gradient_norms


@pytest.fixture(scope="module")
def session() -> SessionData:
    trainer = make_trainer()
    losses = train(trainer, 3)
    history = {"epoch": [1, 2, 3], "train_loss": losses, "test_loss": [None, math.nan, math.inf]}
    return capture({"network": {"hidden": [6, 5]}, "name": "é ✓"}, trainer, history, seed=7, gradient_norms=NORMS)


NORMS = np.array([[0.5, 1e-3, 2.0], [math.nan, 0.1 + 0.2, 3], [1e-30, math.inf, 7.25]])
"""Three epochs of three layers' gradient norms; NaN and infinity are saved as "unknown"."""


@pytest.fixture(scope="module")
def valid_bytes(session: SessionData) -> bytes:
    return json.dumps(session_document(session)).encode()


# -- round trip and continuation ------------------------------------------------------------------
def test_save_then_load_gives_back_every_value_bit_exactly(tmp_path: Path, session: SessionData) -> None:
    path = tmp_path / "run.minidl"
    save_session(path, session)
    assert_same_session(load_session(path), session)
    assert os.listdir(tmp_path) == ["run.minidl"]


def test_gradient_norms_round_trip_with_unknown_values_as_null(tmp_path: Path, session: SessionData) -> None:
    assert session.gradient_norms == [[0.5, 1e-3, 2.0], [None, 0.1 + 0.2, 3.0], [1e-30, None, 7.25]]
    path = tmp_path / "run.minidl"
    save_session(path, session)
    assert json.loads(path.read_text())["gradient_norms"] == session.gradient_norms
    assert load_session(path).gradient_norms == session.gradient_norms


def test_a_file_written_before_gradient_norms_were_saved_still_opens(valid_bytes: bytes, session) -> None:
    document = json.loads(valid_bytes)
    del document["gradient_norms"]
    old = loads_session(json.dumps(document).encode(), "old.minidl")
    assert old.gradient_norms is None
    assert_same_session(old, dataclasses.replace(session, gradient_norms=None))
    assert "gradient_norms" not in session_document(old)  # and it is saved again without them


def test_capture_copies_so_later_training_does_not_change_the_session() -> None:
    trainer = make_trainer()
    train(trainer, 1)
    snapshot = capture({}, trainer, {}, None)
    weights = [t.clone() for t in snapshot.trainer["model"].values()]
    train(trainer, 1)
    assert_all_equal(list(snapshot.trainer["model"].values()), weights)
    assert snapshot.epoch == 1


@pytest.mark.parametrize(
    ("optimizer", "schedule"), [("adam", "step"), ("nesterov", "cosine"), ("momentum", None)], ids=str
)
def test_open_and_train_continues_on_exactly_the_same_trajectory(tmp_path: Path, optimizer, schedule) -> None:
    path = tmp_path / "run.minidl"
    original = make_trainer(optimizer, schedule)
    train(original, 3)
    save_session(path, capture({"k": 1}, original, {}, seed=0))
    expected_losses = train(original, 4)

    # Other initial weights, shuffle seed and data: everything must come from the file.
    reopened = make_trainer(optimizer, schedule, model_seed=9, shuffle_seed=8, data_seed=20)
    restore_into(reopened, load_session(path))
    assert reopened.epoch == 3
    assert train(reopened, 4) == expected_losses
    assert_all_equal(live_tensors(reopened), live_tensors(original))
    assert reopened.optimizer.state_dict()["step"] == original.optimizer.state_dict()["step"]
    assert reopened.optimizer.lr == original.optimizer.lr
    assert reopened.epoch == original.epoch == 7


def test_restore_refuses_another_architecture_and_changes_nothing(session: SessionData) -> None:
    trainer = make_trainer(hidden=(6, 4))
    before = [t.clone() for t in live_tensors(trainer)]
    with pytest.raises(ValueError, match=r"'2.weight' has shape \[5, 6\] but the model's is \[4, 6\]"):
        restore_into(trainer, session)
    assert_all_equal(live_tensors(trainer), before)
    assert trainer.epoch == 0


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: make_trainer("momentum"), "the saved optimizer is Adam, this trainer's is SGD"),
        (lambda: make_trainer(schedule="cosine"), "scheduler is StepLR, this trainer's is CosineAnnealingLR"),
        (lambda: make_trainer(schedule=None), "scheduler is StepLR, this trainer's is None"),
    ],
)
def test_restore_refuses_another_optimizer_or_scheduler(session: SessionData, build, message: str) -> None:
    trainer = build()
    with pytest.raises(ValueError, match=message):
        restore_into(trainer, session)
    assert trainer.epoch == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda s: {
            "optimizer": {**s["optimizer"], "hyperparameters": {**s["optimizer"]["hyperparameters"], "lr": -1.0}}
        },
        lambda s: {"scheduler": {"type": "StepLR", "state": {**s["scheduler"]["state"], "step_size": 0}}},
        lambda s: {"optimizer": {**s["optimizer"], "state": {"momentum_buffer": s["optimizer"]["state"]["exp_avg"]}}},
    ],
    ids=["negative-lr", "zero-step-size", "sgd-state-in-adam"],
)
def test_restore_of_an_invalid_session_rolls_everything_back(session: SessionData, change) -> None:
    trainer = make_trainer(model_seed=3)
    train(trainer, 1)
    before = [t.clone() for t in live_tensors(trainer)]
    optimizer_before, scheduler_before = trainer.optimizer.state_dict(), trainer.scheduler.state_dict()
    with pytest.raises(ValueError, match="does not fit this trainer"):
        restore_into(trainer, with_trainer(session, **change(session.trainer)))
    assert_all_equal(live_tensors(trainer), before)
    after = trainer.optimizer.state_dict()
    assert (after["hyperparameters"], after["step"]) == (optimizer_before["hyperparameters"], optimizer_before["step"])
    assert trainer.scheduler.state_dict() == scheduler_before
    assert (trainer.epoch, trainer.batch_size) == (1, 7)


# -- format version 1 stays as it is ------------------------------------------------------------
VERSION_1_FILE = Path(__file__).parent / "session_samples" / "v1_adam_step.minidl"
"""Saved by the app at 17ce67e (Adam, a step schedule, 3 epochs), before sessions stored `Trainer.state_dict()`."""


def layout(value):  # noqa: ANN001, ANN201
    """The shape of a JSON document: its objects' keys, nested, and the kinds of its values (not the values)."""
    if isinstance(value, dict):
        return {key: layout(item) for key, item in value.items()}
    if isinstance(value, list):
        return [layout(value[0])] if value else []
    return type(value).__name__


def test_a_file_an_earlier_version_wrote_opens_and_saves_back_byte_for_byte(tmp_path: Path) -> None:
    """Files written before still open, and what this version writes, the earlier version wrote: it opens there."""
    path = tmp_path / "again.minidl"
    save_session(path, load_session(VERSION_1_FILE))
    assert path.read_bytes() == VERSION_1_FILE.read_bytes()


def test_a_file_an_earlier_version_wrote_reopens_as_a_session_that_trains_on() -> None:
    saved = load_session(VERSION_1_FILE)
    session = session_from_saved(saved)
    assert session.epoch == 3 and len(session.history) == 3 and not session.custom_points
    assert_all_equal(list(session.model.state_dict().values()), list(saved.trainer["model"].values()))
    assert session.optimizer.lr == 0.005  # 0.01 halved after epoch 2
    epochs = session.epochs()
    assert [next(epochs).epoch for _ in range(2)] == [4, 5]
    epochs.close()
    assert session.optimizer.lr == 0.0025


def test_a_session_saved_now_has_exactly_the_layout_of_version_1() -> None:
    before = json.loads(VERSION_1_FILE.read_bytes())
    session = Session(Config.from_dict(before["config"]))
    epochs = session.epochs()
    next(epochs)
    epochs.close()
    now = json.loads(json.dumps(session_document(capture_session(session))))
    assert layout(now) == layout(before)
    assert list(now) == list(before) and (now["format"], now["version"]) == ("minidl-session", 1)


def test_migrate_keeps_a_current_document_and_refuses_a_newer_one() -> None:
    document = json.loads(VERSION_1_FILE.read_bytes())
    assert (VERSION, MIGRATIONS) == (1, {})  # a new version adds the step from the one before
    assert migrate(copy.deepcopy(document)) == document
    with pytest.raises(
        SessionFileError, match=r"^run.minidl was written by a newer version of minidl .format version 2,"
    ):
        migrate({**document, "version": 2}, "run.minidl")


# -- atomic saves --------------------------------------------------------------------------------
def test_a_crash_while_writing_leaves_the_previous_file_intact(tmp_path: Path, session, monkeypatch) -> None:
    path = tmp_path / "run.minidl"
    save_session(path, session)
    previous = path.read_bytes()

    def crash(document, file) -> None:  # noqa: ANN001
        file.write(json.dumps(document)[:1000])
        raise OSError("No space left on device")

    monkeypatch.setattr(json_document.json, "dump", crash)
    with pytest.raises(OSError, match="No space left"):
        save_session(path, with_trainer(session, epoch=99))
    assert path.read_bytes() == previous
    assert os.listdir(tmp_path) == ["run.minidl"]


def test_a_failed_rename_removes_the_temporary_file(tmp_path: Path, session, monkeypatch) -> None:
    def refuse(source, target) -> None:  # noqa: ANN001
        raise PermissionError("read-only directory")

    monkeypatch.setattr(json_document.os, "replace", refuse)
    with pytest.raises(PermissionError):
        save_session(tmp_path / "run.minidl", session)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: {"config": {"bad": object()}}, "configuration is not JSON data"),
        (
            lambda s: {"train": (torch.zeros(2, 2), torch.tensor([[0.0], [0.5]]))},
            r"labels in 'data.train.y' should all",
        ),
        (lambda s: {"trainer": {**s.trainer, "model": {"w": torch.tensor([math.nan])}}}, "tensor 'model.w' holds NaN"),
        (lambda s: {"history": {"a": [1], "b": []}}, "different lengths"),
    ],
)
def test_save_refuses_what_could_not_be_reopened_before_writing(tmp_path: Path, session, change, message) -> None:
    with pytest.raises(ValueError, match=message):
        save_session(tmp_path / "run.minidl", dataclasses.replace(session, **change(session)))
    assert os.listdir(tmp_path) == []


# -- clear messages for bad files ----------------------------------------------------------------
def mutated(valid_bytes: bytes, mutate) -> bytes:  # noqa: ANN001
    document = json.loads(valid_bytes)
    mutate(document)
    return json.dumps(document).encode()


def _set(path: str, value) -> Callable[[dict], None]:  # noqa: ANN001
    """A mutation setting the value at a '/'-separated path of the document."""

    def mutate(document) -> None:  # noqa: ANN001
        *parents, last = path.split("/")
        for key in parents:
            document = document[int(key) if isinstance(document, list) else key]
        document[int(last) if isinstance(document, list) else last] = value

    return mutate


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("model"), "damaged minidl session file: field 'model' is missing"),
        (lambda d: d["trainer"].pop("generator_state"), "field 'trainer.generator_state' is missing"),
        (_set("version", 2), "written by a newer version of minidl .format version 2, this version reads up to 1"),
        (_set("format", "zip"), r"not a minidl session file \(its 'format' is 'zip'\)"),
        (_set("version", "1"), "its 'version' is '1'"),
        (
            lambda d: d["optimizer"]["state"]["exp_avg"][2]["data"].pop(),
            r"'optimizer.state.exp_avg\[2\]' has 29 values",
        ),
        (_set("model/0.weight/shape", [50000, 50000]), r"'model.0.weight' has 12 values but shape \[50000, 50000\]"),
        (_set("model/0.weight/shape", [-6, -2]), r"tensor 'model.0.weight' has shape \[-6, -2\]"),
        (_set("model/0.weight/dtype", "int64"), "has dtype 'int64'; expected float32 or float64"),
        (_set("model/0.weight/data/3", "1.0"), "holds a value that is not a number"),
        (_set("model/0.weight/data/3", 1e999), "holds NaN, infinity"),
        (_set("model/0.weight/data/3", 1e300), "too large for float32"),
        (_set("model/0.weight", [1, 2]), "field 'model.0.weight' should be an object, not a list"),
        (_set("optimizer/state/exp_avg/0/shape", [2, 6]), r"has shape \[2, 6\] but parameter '0.weight' has shape"),
        (_set("optimizer/step", -1), "field 'optimizer.step' should be a whole number from 0"),
        (_set("optimizer/hyperparameters/lr", None), "'optimizer.hyperparameters.lr' should be a finite number"),
        (_set("data/train/y/0", 2), "labels in 'data.train.y' should all be 0 or 1"),
        (_set("data/train/y/0", True), "labels in 'data.train.y' should all be 0 or 1"),
        (_set("data/test/x/3", [0.5]), "point 3 of 'data.test.x' should be a list of 2 numbers"),
        (_set("data/train/x/0/1", math.nan), "'data.train.x' holds NaN"),
        (lambda d: d["data"]["train"]["x"].pop(), "'data.train' has 39 points but 40 labels"),
        (_set("history/epoch", [1, 2]), "the columns of 'history' have different lengths"),
        (_set("history/epoch/0", "one"), "column 'epoch' of 'history' should be a list of numbers"),
        (_set("gradient_norms", None), "field 'gradient_norms' should be a list of rows .lists., not null"),
        (_set("gradient_norms", {"W1": [1.0]}), "field 'gradient_norms' should be a list of rows .lists., not an"),
        (_set("gradient_norms/1", 0.5), "field 'gradient_norms' should be a list of rows"),
        (lambda d: d["gradient_norms"].pop(), "field 'gradient_norms' has 2 rows but the history has 3 epochs"),
        (_set("gradient_norms/1", [1.0, 2.0]), "row 1 of 'gradient_norms' has 2 values but the model has 3 Linear"),
        (_set("gradient_norms/2/0", math.nan), r"row 2 of 'gradient_norms' should hold finite numbers >= 0 \(or nu"),
        (_set("gradient_norms/2/0", -math.inf), "row 2 of 'gradient_norms' should hold finite numbers"),
        (_set("gradient_norms/0/2", "2.0"), "row 0 of 'gradient_norms' should hold finite numbers"),
        (_set("gradient_norms/0/2", True), "row 0 of 'gradient_norms' should hold finite numbers"),
        (_set("trainer/batch_size", 0), "field 'trainer.batch_size' should be a whole number from 1"),
        (_set("trainer/elapsed", -1.0), "field 'trainer.elapsed' should be a finite number >= 0"),
        (_set("trainer/generator_state/data/0", 256), "should hold whole numbers from 0 to 255"),
        (_set("trainer/generator_state/data", [0] * 5056), "is not a random generator state"),
        (_set("seed", 1.5), "field 'seed' should be a whole number from 0"),
        (_set("config", []), "field 'config' should be an object, not a list"),
        (_set("scheduler/state/gamma", "x"), "field 'scheduler.state.gamma' should be a finite number"),
        # numbers too large for a float, dtypes and limits of the configuration (issue #8)
        (_set("history/epoch/1", 10**400), "column 'epoch' of 'history' should be a list of numbers"),
        (_set("history/train_loss/1", 10**400), "column 'train_loss' of 'history' should be a list of numbers"),
        (_set("trainer/epoch", 10**400), "field 'trainer.epoch' should be a whole number from 0 to 100000,"),
        (_set("data/dtype", "float64"), "field 'data.dtype' should be 'float32' .the dtype the app trains with."),
        (
            _set("optimizer/hyperparameters/lr", 1e308),
            "'optimizer.hyperparameters.lr' should be a finite number from 0 to 100,",
        ),
        (
            _set("optimizer/hyperparameters/eps", 0),
            "'optimizer.hyperparameters.eps' should be a finite number from 1e-12 to 1,",
        ),
        (_set("optimizer/hyperparameters/betas", [0.9, 1.0]), r"'optimizer.hyperparameters.betas\[1\]' should be"),
        (_set("optimizer/hyperparameters/betas", [0.9]), "'optimizer.hyperparameters.betas' should be a list of 2"),
        (_set("optimizer/hyperparameters/weight_decay", 11.0), "'optimizer.hyperparameters.weight_decay' should be"),
        (lambda d: d["optimizer"]["hyperparameters"].pop("eps"), "'optimizer.hyperparameters' of Adam should have"),
        (_set("optimizer/hyperparameters/amsgrad", True), "'optimizer.hyperparameters' of Adam should have"),
        (_set("optimizer/type", "Adamax"), "field 'optimizer.type' should be Adam or SGD, not 'Adamax'"),
        (_set("optimizer/state/momentum_buffer", []), "field 'optimizer.state' of Adam should have"),
        (_set("trainer/batch_size", 10**12), "field 'trainer.batch_size' should be a whole number from 1 to 10000,"),
        (_set("seed", 2**31), "field 'seed' should be a whole number from 0 to 2147483647 or null"),
        (_set("seed", -1), "field 'seed' should be a whole number from 0 to 2147483647 or null"),
        (_set("scheduler/type", "LambdaLR"), "field 'scheduler.type' should be .*StepLR.*, not 'LambdaLR'"),
        (_set("scheduler/state/step_size", 0), "field 'scheduler.state.step_size' should be a whole number from 1"),
        (_set("scheduler/state/gamma", 2.0), "field 'scheduler.state.gamma' should be a finite number from 1e-06 to 1"),
        (_set("scheduler/state/base_lr", 1e308), "field 'scheduler.state.base_lr' should be a finite number"),
        (_set("scheduler/state/T_max", 3), r"field 'scheduler.state' of StepLR should have .*'step_size'"),
        (_set("data/train/x/0", [0.5]), "point 0 of 'data.train.x' should be a list of 2 numbers"),
        (_set("data/features", 3), "field 'data.features' should be a whole number from 2 to 2"),
        (_set("gradient_norms/0", [1.0] * 5000), "row 0 of 'gradient_norms' has 5000 values but the model has 3 Lin"),
        (lambda d: d["gradient_norms"].__setitem__(slice(None), [[1.0] * 5000] * 3), "has 5000 values but the model"),
        (_set("gradient_norms/0/0", -1.0), "row 0 of 'gradient_norms' should hold finite numbers >= 0"),
        (_set("history/epoch", [1, 3, 2]), r"column 'epoch' of 'history' should count the epochs 1, 2, 3"),
        (_set("history/epoch", [0, 1, 2]), r"column 'epoch' of 'history' should count the epochs 1, 2, 3"),
        (_set("history/epoch/2", None), r"column 'epoch' of 'history' should count the epochs 1, 2, 3"),
        (_set("history/elapsed", [0.1, -0.5, 0.3]), "column 'elapsed' of 'history' should hold finite numbers >= 0"),
        (_set("history/train_loss/0", -math.inf), "column 'train_loss' of 'history' should hold numbers >= 0"),
        (_set("history/train_accuracy", [0.5, 1.5, None]), "column 'train_accuracy' of 'history' should hold"),
        (_set("history/lr", [0.1, 1e308, 0.1]), "column 'lr' of 'history' should hold finite numbers from 0 to 100"),
        (_set("history/weights", [1, 2, 3]), "column 'weights' of 'history' is not one of epoch, train_loss"),
    ],
)
def test_a_damaged_file_is_refused_with_a_message_naming_the_problem(valid_bytes, mutate, message) -> None:
    with pytest.raises(SessionFileError, match=message):
        loads_session(mutated(valid_bytes, mutate), "run.minidl")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "invalid JSON at line 1, column 1"),
        (b'{"format": "minidl-session", "vers', "invalid JSON"),
        (b"\xff\xfe{}", "not UTF-8 text: byte 0 is invalid"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"1" * 5000, "Exceeds the limit"),
        (b"[1, 2]", r"the top level is a list, not an object"),
        (b"null", r"the top level is null, not an object"),
        (b'{"format": "minidl-weights", "version": 1}', "its 'format' is 'minidl-weights'"),
    ],
    ids=["empty", "truncated", "utf16", "deep", "huge-int", "list", "null", "weights"],
)
def test_bytes_that_are_not_a_session_are_refused(raw: bytes, message: str) -> None:
    with pytest.raises(SessionFileError, match=rf"^run.minidl: not a minidl session file \(.*{message}"):
        loads_session(raw, "run.minidl")


def test_a_file_above_the_size_limit_is_refused_without_parsing(tmp_path, valid_bytes, monkeypatch) -> None:
    path = tmp_path / "big.minidl"
    path.write_bytes(valid_bytes)
    monkeypatch.setattr(json_document, "MAX_FILE_BYTES", len(valid_bytes) - 1)
    with pytest.raises(SessionFileError, match="big.minidl is too large for a minidl session file"):
        load_session(path)


def test_the_largest_session_the_app_allows_fits_under_the_size_limit() -> None:
    widths = [MAX_INPUTS, *[MAX_WIDTH] * MAX_HIDDEN_LAYERS, MAX_CLASSES]  # every input feature, 6 classes
    parameters = sum((fan_in + 1) * fan_out for fan_in, fan_out in itertools.pairwise(widths))
    longest = len(", ") + max(len(repr(float(torch.tensor(v, dtype=torch.float32)))) for v in (-1.2345678e-37, -3.3e38))
    values = (
        3 * parameters  # the weights and Adam's two moment buffers
        + MAX_EPOCHS * (len(COLUMNS) + MAX_HIDDEN_LAYERS + 1)  # history and per-layer gradient norms
        + 2 * MAX_POINTS * (INPUTS + 1)
    )
    assert values * longest + 2**20 <= json_document.MAX_FILE_BYTES
    assert values <= storage.MAX_VALUES  # and the value cap admits it


def test_a_file_with_more_values_than_a_session_holds_is_refused_before_parsing(valid_bytes, monkeypatch) -> None:
    """A 256 MB file of ``0,0,0,…`` would take ~4 GB to parse: values are counted first."""
    monkeypatch.setattr(storage, "MAX_VALUES", valid_bytes.count(b",") // 2)
    with pytest.raises(SessionFileError, match=r"run.minidl: not a minidl session file \(it holds \d+ values, at most"):
        loads_session(valid_bytes, "run.minidl")


def test_a_session_over_the_size_limit_is_refused_when_saving_and_the_old_file_kept(
    tmp_path: Path, valid_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "run.minidl"
    path.write_bytes(valid_bytes)
    session = loads_session(valid_bytes)
    monkeypatch.setattr(json_document, "MAX_FILE_BYTES", len(valid_bytes) - 1)
    with pytest.raises(
        ValueError, match=r"^cannot save this session: it would take .*, more than the .* a session file"
    ):
        save_session(path, session)
    assert path.read_bytes() == valid_bytes and os.listdir(tmp_path) == ["run.minidl"]


def test_missing_files_raise_os_errors_and_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_session(tmp_path / "missing.minidl")
    with pytest.raises(SessionFileError, match="is a folder, not a minidl session file"):
        load_session(tmp_path)


def test_a_fifo_or_a_device_is_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.minidl"
    os.mkfifo(fifo)
    with pytest.raises(SessionFileError, match="named pipe"):
        load_session(fifo)
    with pytest.raises(SessionFileError, match="character device"):
        load_session("/dev/zero")


# -- fuzzing: anything either loads as a valid session or raises SessionFileError ---------------
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)
EDGE_NUMBERS = [math.nan, math.inf, -math.inf, 1e300, -1, 0, 1, 2, 256, 2**53 + 1, 2**64, 0.5, -0.0]
PLAUSIBLE = JSON_VALUES | st.integers(-2, 60) | st.sampled_from(["float32", "float64", "uint8", "int64", "Adam"])


def load_or_refuse(raw: bytes) -> None:
    """The loader's contract: a valid `SessionData` (that can be saved again) or SessionFileError."""
    try:
        loaded = loads_session(raw)
    except SessionFileError:
        return
    assert_valid(loaded)
    session_from_document(json.loads(json.dumps(session_document(loaded))))


def assert_valid(session: SessionData) -> None:
    """Checks, independent of the loader's, that ``session`` is safe to restore and train on."""
    assert isinstance(session, SessionData)
    state = session.trainer
    params = list(state["model"].values())
    for chunks in [params, *state["optimizer"]["state"].values()]:
        assert [t.shape for t in chunks] == [p.shape for p in params]
        assert all(t.is_floating_point() and torch.isfinite(t).all() for t in chunks)
    for x, y in [session.train] + ([session.test] if session.test is not None else []):
        assert x.dim() == 2 and x.shape[1] == session.train[0].shape[1] and torch.isfinite(x).all()
        assert y.shape == (len(x), 1) and bool(((y == 0) | (y == 1)).all())
    torch.Generator().set_state(state["generator_state"])
    assert type(state["epoch"]) is int and state["epoch"] >= 0 and type(state["batch_size"]) is int
    assert state["batch_size"] >= 1 and math.isfinite(state["elapsed"]) and state["elapsed"] >= 0
    assert len({len(column) for column in session.history.values()}) <= 1
    if session.gradient_norms is not None:
        epochs = max((len(column) for column in session.history.values()), default=0)
        assert len(session.gradient_norms) == epochs and len({len(row) for row in session.gradient_norms}) <= 1
        assert all(v is None or (type(v) is float and math.isfinite(v)) for row in session.gradient_norms for v in row)
    assert isinstance(session.config, dict) and session.seed is None or type(session.seed) is int


@FUZZ
@given(raw=st.binary(max_size=300))
def test_fuzz_random_bytes(raw: bytes) -> None:
    load_or_refuse(raw)


@FUZZ
@given(data=st.data())
def test_fuzz_truncated_files(valid_bytes: bytes, data) -> None:
    load_or_refuse(valid_bytes[: data.draw(st.integers(0, len(valid_bytes)))])


@FUZZ
@given(value=JSON_VALUES, fields=st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=5))
def test_fuzz_random_json(value, fields) -> None:
    load_or_refuse(json.dumps(value).encode())
    load_or_refuse(json.dumps({"format": "minidl-session", "version": 1, **fields}).encode())


def pick_location(rng: random.Random, document: dict) -> tuple:
    """A ``(container, key)`` inside ``document``, walking down one level at a time.

    Choosing a child at each level (not among all paths) gives every section of the file the same
    chance, however many tensors it holds; a seeded `random.Random` (Hypothesis' own draws favour
    the first keys) spreads the mutations uniformly over the whole file.
    """
    container, key = document, rng.choice([k for k in document if k not in ("format", "version")])
    while isinstance(container[key], dict | list) and container[key] and rng.random() < 0.85:
        container = container[key]
        key = rng.choice(list(container) if isinstance(container, dict) else range(len(container)))
    return container, key


def mutate(data, rng: random.Random, container, key) -> None:  # noqa: ANN001
    """Delete, replace, or change a value in place the way damage or a hostile edit would."""
    value = container[key]
    kinds = ["delete", "replace", "number"] + (["reverse", "shorten", "lengthen"] if isinstance(value, list) else [])
    kind = rng.choice(kinds)
    if kind == "delete":
        del container[key]
    elif kind == "replace":
        container[key] = data.draw(PLAUSIBLE)
    elif kind == "number":
        container[key] = data.draw(st.sampled_from(EDGE_NUMBERS) | st.floats() | st.integers(-(2**70), 2**70))
    elif kind == "reverse":  # e.g. a shape [6, 2] becomes [2, 6]: same count, wrong layout
        value.reverse()
    elif kind == "shorten":
        del value[-1:]
    else:
        value.append(copy.deepcopy(value[-1]) if value else data.draw(PLAUSIBLE))


@settings(FUZZ, max_examples=1000)
@given(data=st.data(), seed=st.integers(0, 2**32))
def test_fuzz_mutations_of_a_valid_file(valid_bytes: bytes, data, seed: int) -> None:  # noqa: ANN001
    document, rng = json.loads(valid_bytes), random.Random(seed)
    for _ in range(rng.randint(1, 3)):
        mutate(data, rng, *pick_location(rng, document))
    load_or_refuse(json.dumps(document).encode())


def test_the_file_the_fuzzers_mutate_is_itself_valid(valid_bytes: bytes, session: SessionData) -> None:
    assert_same_session(loads_session(valid_bytes), session)


# -- whole-file refusals (issue #8) --------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"format": "minidl-session", "version": 1, "version": 1}', "key 'version' appears twice in an object"),
        (b'{"format": "minidl-session", "version": 1, "data": {"dtype": 1, "dtype": 2}}', "key 'dtype' appears twi"),
    ],
    ids=["top-level", "nested"],
)
def test_duplicate_keys_are_refused_naming_the_key(raw: bytes, message: str) -> None:
    with pytest.raises(SessionFileError, match=rf"^run.minidl: not a minidl session file \(.*{message}"):
        loads_session(raw, "run.minidl")


def test_more_points_than_the_app_allows_are_refused_before_any_tensor_is_built(valid_bytes, monkeypatch) -> None:
    def points(document) -> None:  # noqa: ANN001
        document["data"]["train"] = {"x": [[0.5, 0.5]] * 10_001, "y": [0] * 10_001}

    raw = mutated(valid_bytes, points)
    monkeypatch.setattr(torch, "tensor", lambda *_, **__: pytest.fail("a tensor was built"))
    with pytest.raises(SessionFileError, match="'data.train' has 10001 points; the app allows at most 10000"):
        loads_session(raw, "run.minidl")


def test_points_with_one_or_three_coordinates_are_refused_naming_the_points(valid_bytes) -> None:
    for width in (1, 3):

        def points(document, width=width) -> None:  # noqa: ANN001
            document["data"]["features"] = width
            document["data"]["train"]["x"] = [[0.5] * width for _ in document["data"]["train"]["x"]]

        with pytest.raises(SessionFileError, match="point 0 of 'data.train.x' should be a list of 2 numbers"):
            loads_session(mutated(valid_bytes, points), "run.minidl")


def test_a_file_of_more_lists_than_a_session_can_hold_is_refused_before_parsing(monkeypatch) -> None:
    raw = b'{"format": "minidl-session", "version": 1, "data": [' + b"[]," * 200_000 + b"[]]}"
    monkeypatch.setattr(json_document.json, "loads", lambda *_, **__: pytest.fail("parsed"))
    with pytest.raises(SessionFileError, match=r"\(it holds 200003 lists and objects, at most 130000 allowed\)"):
        loads_session(raw, "run.minidl")
