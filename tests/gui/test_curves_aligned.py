"""The curves' two stacked plots line up: both left axes as wide as the wider one needs, so both view boxes span the
same columns, and the metric plot's epochs are exactly the loss plot's, [0, `epoch_span`], with the same ticks —
whatever the snapshots drawn on the way, in steps or whole, for a classification or a regression, with log-y."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from minidl.problem import Problem
from minidl_gui.model.history import History
from minidl_gui.plots.curves import CurvesView, epoch_span
from tests.gui.test_curves_in_steps import settle, shown_view, spiral_like
from tests.gui.test_curves_problems import classification_history, regression_history

pytestmark = pytest.mark.usefixtures("qapp")
HISTORIES: dict[str, Callable[[int], History]] = {"classification": spiral_like, "regression": regression_history}


def draw(view: CurvesView, history: History, problem: Problem | None = None, *, stepped: bool) -> None:
    """As the window draws a snapshot while training (the loss plot's steps, then the metric plot's, the events of a
    slice between two steps), or whole."""
    if stepped:
        for plots in (("loss",), ("metric",)):
            for _ in view.history_steps(history, problem, plots=plots):
                settle()
    else:
        view.show_history(history, problem)
    settle()


def assert_aligned(view: CurvesView, span: float) -> None:
    """Both left axes equally wide, both view boxes over the same columns, both epoch ranges [0, span], same ticks."""
    loss, metric = (plot.getPlotItem() for plot in (view.loss_plot, view.accuracy_plot))
    assert loss.getAxis("left").width() == metric.getAxis("left").width()
    for side in ("left", "right"):
        assert getattr(loss.vb.sceneBoundingRect(), side)() == getattr(metric.vb.sceneBoundingRect(), side)()
    for item in (loss, metric):
        np.testing.assert_allclose(item.vb.viewRange()[0], [0, span])
    ticks = [item.getAxis("bottom").tickValues(*item.vb.viewRange()[0], item.vb.width()) for item in (loss, metric)]
    assert ticks[0] == ticks[1]
    assert span in ticks[0][0][1]  # the last epoch's tick, labelled in both plots


@pytest.mark.parametrize("stepped", [True, False], ids=["in_steps", "whole"])
@pytest.mark.parametrize("epochs", [(0, 3, 40), (0, 40)], ids=["0-3-40", "0-40"])
@pytest.mark.parametrize("kind", HISTORIES)
def test_the_plots_line_up_whatever_the_snapshots_drawn_on_the_way(qtbot, kind, epochs, stepped) -> None:
    """0 → 3 → 40 epochs of the spiral-like run widened the loss axis (its early "0.96" ticks) and left the metric
    plot's epochs at [-0.65, 40], their "40" unlabelled, beside a loss plot over [0, 40]."""
    view = shown_view(qtbot)
    for count in epochs:
        draw(view, HISTORIES[kind](count), stepped=stepped)
        assert_aligned(view, epoch_span(count))


@pytest.mark.parametrize("stepped", [True, False], ids=["in_steps", "whole"])
def test_the_plots_line_up_when_the_metric_plots_labels_change(qtbot, stepped) -> None:
    """Classification → regression → classification: the metric plot's tick texts change width, its axis' space
    too; the loss axis follows when the metric axis is the wider."""
    view = shown_view(qtbot)
    for history, problem in (
        (classification_history(40), Problem.classification(2)),
        (regression_history(40), Problem.regression()),
        (classification_history(40), Problem.classification(2)),
        (regression_history(3), Problem.regression()),
    ):
        draw(view, history, problem, stepped=stepped)
        assert_aligned(view, epoch_span(len(history)))


@pytest.mark.parametrize("kind", HISTORIES)
def test_the_plots_line_up_with_a_log_loss_axis(qtbot, kind) -> None:
    view = shown_view(qtbot)
    draw(view, HISTORIES[kind](40), stepped=True)
    for log in (True, False, True):
        view.set_log_loss(log)
        settle()
        assert_aligned(view, 40)
