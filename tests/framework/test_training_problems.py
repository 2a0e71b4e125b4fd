"""Training each kind of problem through the public API: k classes, a regression, input features.

The data are drawn here with torch (the data sets' generators are tested in their own files), in float64.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import torch
from torch import Tensor

import minidl
from minidl.data import make_disc
from minidl.features import Features
from minidl.losses import CrossEntropyLoss, MSELoss
from minidl.problem import Problem
from minidl.training import (
    EpochResult,
    Measurement,
    RunSettings,
    StopRules,
    Trainer,
    build_model,
    build_run,
    update_run,
)
from tests.framework.torch_oracle import F64

Data = tuple[Tensor, Tensor]
THREE = Problem.classification(3)


def clusters(n: int, classes: int = 3, seed: int = 0) -> Data:
    """``classes`` Gaussian clusters (std 0.07) around points on a circle of radius 0.3 about the centre; y the
    (n, 1) float class index, as every data set gives it."""
    g = torch.Generator().manual_seed(seed)
    labels = torch.arange(n) % classes
    angles = labels.to(F64) * (2 * math.pi / classes)
    centres = torch.stack([0.5 + 0.3 * angles.cos(), 0.5 + 0.3 * angles.sin()], 1)
    return centres + 0.07 * torch.randn(n, 2, generator=g, dtype=F64), labels.to(F64).view(-1, 1)


def plane(n: int, seed: int = 0) -> Data:
    """Points in the unit square and the target y = x1 − x2."""
    x = torch.rand(n, 2, generator=torch.Generator().manual_seed(seed), dtype=F64)
    return x, x[:, :1] - x[:, 1:]


CLASSES = RunSettings(
    problem=THREE, loss="cross_entropy", hidden=(8,), init="torch", lr=0.01, stop=StopRules(8), dtype="float64"
)
REGRESSION = RunSettings(
    problem=Problem.regression(), hidden=(8,), activation="tanh", init="torch", lr=0.01, stop=StopRules(15),
    dtype="float64",
)  # fmt: skip


def last(trainer: Trainer) -> EpochResult:
    *_, result = trainer.run()
    return result


# -- reaching a stated quality ------------------------------------------------------------------------------
@pytest.mark.parametrize("classes", [3, 5])
def test_k_gaussian_clusters_reach_95_percent_test_accuracy(classes: int) -> None:
    settings = replace(CLASSES, problem=Problem.classification(classes))
    trainer = build_run(settings, clusters(200, classes), clusters(100, classes, seed=1))
    assert trainer.problem == settings.problem and trainer.model[-1].out_features == classes
    result = last(trainer)
    assert result.test_accuracy >= 0.95 and result.train_accuracy >= 0.95
    assert (result.train_rmse, result.train_r2, result.test_rmse, result.test_r2) == (None,) * 4
    matrix = minidl.training.confusion_matrix(trainer.model.forward(trainer.test[0]), trainer.test[1])
    assert matrix.shape == (classes, classes) and int(matrix.sum()) == 100


def test_the_plane_regression_reaches_r2_of_099() -> None:
    trainer = build_run(REGRESSION, plane(200), plane(100, seed=1))
    result = last(trainer)
    assert result.test_r2 >= 0.99 and result.train_r2 >= 0.99
    assert result.test_rmse < 0.05 and result.train_accuracy is None and result.test_accuracy is None
    measured = trainer.measure(trainer.test)
    assert measured == Measurement(result.test_loss, None, result.test_rmse, result.test_r2)
    assert trainer.evaluate(trainer.test) == (result.test_loss, None)


def test_squared_features_let_a_linear_model_learn_the_disc() -> None:
    settings = RunSettings(
        hidden=(), features=("x1^2", "x2^2"), loss="bce_logits", threshold=0.0, init="torch", lr=0.05,
        stop=StopRules(20), dtype="float64",
    )  # fmt: skip
    x, y = make_disc(300, seed=0, dtype=F64)
    linear = build_run(replace(settings, features=None), (x, y), make_disc(200, seed=1, dtype=F64))
    squared = build_run(settings, (x, y), make_disc(200, seed=1, dtype=F64))
    assert isinstance(squared.model[0], Features) and squared.model[1].in_features == 2
    assert last(squared).test_accuracy >= 0.95 > last(linear).test_accuracy


# -- RunSettings --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("problem", "loss", "message"),
    [
        (Problem(), "cross_entropy", "the cross_entropy loss does not fit a binary problem"),
        (Problem.regression(), "cross_entropy", "the cross_entropy loss does not fit a regression problem"),
        (THREE, "bce", "the bce loss does not fit a 3-class problem: .*use cross_entropy"),
        (THREE, "mse", "the mse loss does not fit a 3-class problem"),
    ],
)
def test_run_settings_refuse_a_loss_that_does_not_fit_in_one_line(problem: Problem, loss: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        RunSettings(problem=problem, loss=loss)
    assert "\n" not in str(raised.value)


def test_k_classes_need_logits_out() -> None:
    with pytest.raises(ValueError, match=r"3-class model ends with its logits, not 'sigmoid': .*'identity'"):
        RunSettings(problem=THREE, loss="cross_entropy", output_activation="sigmoid")


def test_run_settings_check_and_normalise_features_and_problem() -> None:
    settings = RunSettings(problem="4 classes", loss="cross_entropy", features=["x1", "sin(x2)"])  # type: ignore[arg-type]
    assert settings.problem == Problem.classification(4) and settings.features == ("x1", "sin(x2)")
    assert RunSettings().problem == Problem() and RunSettings().features is None
    with pytest.raises(ValueError, match="Unknown feature 'x9': choose from x1, x2"):
        RunSettings(features=("x9",))


def test_build_model_gives_the_problems_outputs_and_the_features() -> None:
    model = build_model(replace(CLASSES, problem=Problem.classification(4), features=("x1", "x2", "x1*x2")))
    assert isinstance(model[0], Features) and model[0].names == ("x1", "x2", "x1*x2")
    assert model[1].in_features == 3 and model[-1].out_features == 4
    assert build_model(REGRESSION)[-1].out_features == 1
    plain = build_model(RunSettings(dtype="float64"))
    assert not isinstance(plain[0], Features) and plain[0].in_features == 2


@pytest.mark.parametrize(
    "change", [{"features": ("x1", "x2", "x1^2")}, {"problem": Problem.classification(4)}], ids=["features", "problem"]
)
def test_update_run_refuses_to_change_features_or_problem(change: dict) -> None:
    trainer = build_run(CLASSES, clusters(30))
    name = next(iter(change))
    with pytest.raises(ValueError, match=f"the {name} of a running trainer cannot change: build a new run"):
        update_run(trainer, CLASSES, replace(CLASSES, **change))


# -- the Trainer ----------------------------------------------------------------------------------------------
def small(out_features: int) -> minidl.Sequential:
    return minidl.mlp(hidden=(4,), out_features=out_features, seed=0, dtype=F64)


def test_the_problem_is_inferred_from_the_criterion_and_the_model() -> None:
    model = small(4)
    trainer = Trainer(model, CrossEntropyLoss(), minidl.SGD(model.param(), lr=0.1), clusters(8, 4))
    assert trainer.problem == Problem.classification(4)
    model = small(1)
    assert Trainer(model, MSELoss(), minidl.SGD(model.param(), lr=0.1), plane(8)).problem == Problem()
    given = Trainer(model, MSELoss(), minidl.SGD(model.param(), lr=0.1), plane(8), problem=Problem.regression())
    assert given.problem == Problem.regression()
    with pytest.raises(ValueError, match=r"CrossEntropyLoss needs a model with 2\.\.6 outputs.*has 1.*problem="):
        Trainer(model, CrossEntropyLoss(), minidl.SGD(model.param(), lr=0.1), clusters(8))


def test_class_index_criteria_get_long_targets_and_others_get_the_model_dtype_again() -> None:
    model = small(3).to(torch.float32)
    x, y = clusters(12)
    trainer = Trainer(model, MSELoss(), minidl.SGD(model.param(), lr=0.1), (x, y), (x, y), validation=(x, y))
    assert trainer.loader.y.dtype == torch.float32 and trainer.loader.y.shape == (12, 1)
    trainer.criterion = CrossEntropyLoss()
    for targets in (trainer.loader.y, trainer.test[1], trainer.validation[1]):
        assert targets.dtype == torch.int64 and targets.tolist() == y.view(-1).long().tolist()
    trainer.to(dtype=F64)  # a move keeps the class indices as they are
    assert trainer.loader.y.dtype == torch.int64 and trainer.loader.x.dtype == F64
    trainer.criterion = MSELoss()
    for targets in (trainer.loader.y, trainer.test[1], trainer.validation[1]):
        assert targets.dtype == F64 and torch.equal(targets, y)


def test_class_index_criteria_refuse_targets_that_are_no_class_indices() -> None:
    model = small(3)
    x, _ = clusters(6)
    with pytest.raises(ValueError, match="CrossEntropyLoss learns classes: the targets must be class indices"):
        Trainer(model, CrossEntropyLoss(), minidl.SGD(model.param(), lr=0.1), (x, torch.full((6, 1), 0.5)))


def test_evaluate_and_measure_a_classification() -> None:
    model = small(3)
    data = clusters(9)
    trainer = Trainer(model, CrossEntropyLoss(), minidl.SGD(model.param(), lr=0.1), data)
    loss, right = trainer.evaluate(data)
    output = model.forward(data[0])
    expected = torch.nn.functional.cross_entropy(output, data[1].view(-1).long())
    assert loss == pytest.approx(expected.item(), rel=1e-12)
    assert right == minidl.training.accuracy(output, data[1])
    assert trainer.measure(data) == Measurement(loss, right)
    assert trainer.evaluate((data[0][:0], data[1][:0]))[1] == 0.0


def test_a_cross_entropy_run_continues_exactly_from_its_state() -> None:
    settings = replace(CLASSES, batch_size=4, stop=StopRules(4))
    data = clusters(40)
    first = build_run(settings, data)
    results = list(first.run())
    second = build_run(replace(settings, stop=StopRules(2)), data)
    list(second.run())
    resumed = build_run(settings, data)
    resumed.load_state_dict(second.state_dict())
    assert [r.train_loss for r in resumed.run()] == [r.train_loss for r in results[2:]]
