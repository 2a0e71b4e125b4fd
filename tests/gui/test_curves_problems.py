"""The curves per problem: a regression's metric plot shows RMSE and R² (train and test), labelled; a
classification's shows the accuracies, restored after a regression."""

from __future__ import annotations

import numpy as np
import pytest

from minidl.problem import Problem
from minidl.training import EpochResult
from minidl_gui.model.history import History
from minidl_gui.plots.curves import CLASSIFICATION_KEYS, REGRESSION_KEYS, CurvesView, readout_text


def regression_history(epochs: int = 8) -> History:
    history = History()
    for epoch in range(1, epochs + 1):
        rmse = 0.5 / epoch
        history.append(
            EpochResult(epoch, rmse**2, None, 1.1 * rmse**2, None, None, 0.1, 100.0, 0.01,
                        train_rmse=rmse, train_r2=1 - rmse, test_rmse=1.1 * rmse, test_r2=1 - 1.1 * rmse)
        )  # fmt: skip
    return history


def classification_history(epochs: int = 8) -> History:
    history = History()
    for epoch in range(1, epochs + 1):
        history.append(
            EpochResult(epoch, 1 / epoch, 0.5 + 0.05 * epoch, 1.2 / epoch, 0.5 + 0.04 * epoch, None, 0.1, 100.0, 0.01)
        )
    return history


@pytest.fixture
def view(qtbot) -> CurvesView:
    widget = CurvesView()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def metric_items(view: CurvesView) -> set[str]:
    plot = view.accuracy_plot.getPlotItem()
    return {key for key, curve in view.curves.items() if curve in plot.listDataItems()}


def legend_labels(view: CurvesView) -> list[str]:
    return [label.text for _, label in view.accuracy_plot.getPlotItem().legend.items]


def test_a_regression_shows_rmse_and_r2_and_a_classification_the_accuracy_again(view):
    assert metric_items(view) == set(CLASSIFICATION_KEYS)
    history = regression_history()
    view.show_history(history, Problem.regression())
    assert view.regression and metric_items(view) == set(REGRESSION_KEYS)
    plot = view.accuracy_plot.getPlotItem()
    assert "RMSE and R²" in plot.titleLabel.text and "R²" in plot.getAxis("left").labelText
    assert legend_labels(view) == ["RMSE train", "RMSE test", "R² train", "R² test"]
    x, y = view.curves["test_r2"].getData()
    assert np.array_equal(x, history.column("epoch")) and np.allclose(y, history.column("test_r2"))
    x, y = view.curves["train_rmse"].getData()
    assert np.allclose(y, history.column("train_rmse"))
    view.show_history(classification_history(), Problem.classification(3))
    assert not view.regression and metric_items(view) == set(CLASSIFICATION_KEYS)
    assert "Accuracy" in plot.titleLabel.text and legend_labels(view) == ["train", "test"]
    _, y = view.curves["train_accuracy"].getData()
    assert np.allclose(y, 100 * classification_history().column("train_accuracy"))


def test_a_bad_start_does_not_flatten_the_regression_curves(view):
    history = regression_history()
    history.append(EpochResult(9, 1.0, None, 1.0, None, None, 0.1, 100.0, 0.01,
                               train_rmse=2.0, train_r2=-40.0, test_rmse=2.1, test_r2=-44.0))  # fmt: skip
    view.show_history(history, Problem.regression())
    low, high = view.accuracy_plot.getPlotItem().vb.viewRange()[1]
    assert -1.1 < low < -0.9 and 2.0 < high < 2.2  # R² down to −1 only; the RMSE of 2.1 fits
    _, y = view.curves["test_r2"].getData()
    assert y.min() == -44.0  # drawn as it is, only off the chart


def test_without_a_problem_the_history_says_whether_it_is_a_regression(view):
    view.show_history(regression_history())
    assert view.regression
    view.show_history(History())  # empty (a reset): keeps what it shows
    assert view.regression
    view.show_history(classification_history())
    assert not view.regression


def test_the_readout_names_the_problems_metrics():
    text = readout_text(regression_history(), 1, regression=True)
    assert text == "epoch 2 · loss train 0.0625 test 0.06875 · RMSE train 0.25 test 0.275 · R² train 0.750 test 0.725"
    assert "accuracy train 60.0 % test 58.0 %" in readout_text(classification_history(), 1)


def test_switching_the_problem_back_and_forth_with_curves_drawn_raises_nothing(qtbot, view):
    """Curves that hold data are taken out of the metric plot and put back (binary → plane → disc → plane): pyqtgraph
    clips a curve to its view while it is being added, and found the PlotWidget there (AttributeError:
    autoRangeEnabled, in the Qt event loop)."""
    for history, problem in (
        (classification_history(), Problem.classification(2)),
        (regression_history(), Problem.regression()),
        (classification_history(), Problem.classification(4)),
        (regression_history(), Problem.regression()),
    ):
        view.show_history(history, problem)
        assert metric_items(view) == set(REGRESSION_KEYS if problem.kind == "regression" else CLASSIFICATION_KEYS)
    _, y = view.curves["test_r2"].getData()
    assert np.allclose(y, regression_history().column("test_r2"))


def test_another_history_of_the_same_length_with_an_equal_last_record_is_drawn(view):
    """The curves skip a history they show already — the same last record *object* (as `CurvesFrame.matches`
    says), not an equal one: another history (its first epoch's loss differs) must be drawn."""
    first = classification_history()
    view.show_history(first)
    second = History()
    second.append(EpochResult(1, 9.0, 0.55, 1.2, 0.54, None, 0.1, 100.0, 0.01))
    second.extend(EpochResult(**vars(record)) for record in first.records[1:])  # equal records, other objects
    view.show_history(second)
    _, y = view.curves["train_loss"].getData()
    assert y[0] == 9.0
