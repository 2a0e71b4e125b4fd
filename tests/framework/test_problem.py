"""`Problem`: binary, k classes or regression; its text, output width, fitting losses and one-line refusals."""

from __future__ import annotations

import pytest

import minidl
from minidl.losses import LOSSES
from minidl.problem import MAX_CLASSES, MIN_CLASSES, Problem

ALL = [Problem.classification(k) for k in range(MIN_CLASSES, MAX_CLASSES + 1)] + [Problem.regression()]


def test_the_three_kinds() -> None:
    binary, three, regression = Problem.classification(2), Problem.classification(3), Problem.regression()
    assert binary == Problem() == Problem("binary", 2) and minidl.Problem is Problem
    assert (str(binary), str(three), str(regression)) == ("binary", "3 classes", "regression")
    assert (binary.adjective, three.adjective, regression.adjective) == ("binary", "3-class", "regression")
    assert (binary.out_features, three.out_features, regression.out_features) == (1, 3, 1)
    assert binary.is_classification and three.is_classification and not regression.is_classification
    assert Problem.classification(6).out_features == 6 == MAX_CLASSES and MIN_CLASSES == 2


@pytest.mark.parametrize("problem", ALL, ids=str)
def test_text_round_trips(problem: Problem) -> None:
    assert Problem.parse(str(problem)) == problem
    assert Problem.parse(f"  {problem}  ") == problem


@pytest.mark.parametrize("text", ["", "ternary", "1 classes", "7 classes", "three classes", "2 class"])
def test_bad_text_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Problem.parse(text)


@pytest.mark.parametrize("classes", [0, 1, 7])
def test_class_counts_outside_two_to_six_are_refused(classes: int) -> None:
    with pytest.raises(ValueError, match=r"the number of classes must be in 2\.\.6, got"):
        Problem.classification(classes)


@pytest.mark.parametrize(
    ("kind", "classes"), [("binary", 3), ("multiclass", 2), ("multiclass", 7), ("regression", 2), ("ordinal", 3)]
)
def test_inconsistent_fields_are_refused(kind: str, classes: int) -> None:
    with pytest.raises(ValueError):
        Problem(kind, classes)  # type: ignore[arg-type]


def test_losses_per_kind_are_known_and_the_default_comes_first() -> None:
    assert Problem().losses == ("mse", "mae", "bce", "bce_logits")
    assert Problem.classification(4).losses == ("cross_entropy",)
    assert Problem.regression().losses == ("mse", "mae")
    for problem in ALL:
        assert set(problem.losses) <= set(LOSSES) and problem.default_loss == problem.losses[0]
        # The losses that take class indices are exactly those of k classes.
        assert all(LOSSES[name].class_targets == (problem.kind == "multiclass") for name in problem.losses)


@pytest.mark.parametrize(
    ("problem", "loss", "message"),
    [
        (
            Problem.regression(),
            "cross_entropy",
            "the cross_entropy loss does not fit a regression problem: .*use mse or mae",
        ),
        (Problem.classification(4), "bce", "the bce loss does not fit a 4-class problem: .*use cross_entropy"),
        (Problem(), "cross_entropy", "does not fit a binary problem: .*mse, mae, bce or bce_logits"),
    ],
)
def test_a_loss_that_does_not_fit_is_one_line_saying_what_to_use(problem: Problem, loss: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        problem.check_loss(loss)
    assert "\n" not in str(raised.value)
    assert problem.why_not(loss) == str(raised.value)
    assert problem.why_not(problem.default_loss) is None
