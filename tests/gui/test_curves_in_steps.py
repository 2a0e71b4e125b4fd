"""`CurvesView.history_steps`: the curves drawn in steps (one per event-loop slice while training); no plot paints
before its last step, each plot paints once, in a step of its own, and the picture is the one `show_history` draws."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from minidl_gui.model.history import History
from minidl_gui.plots.curves import CurvesView
from tests.gui.test_paint_ready import pixels

pytestmark = pytest.mark.usefixtures("qapp")


def history(epochs: int, scale: float = 1.0) -> History:
    rows = History()
    rows.extend(
        SimpleNamespace(
            epoch=e,
            train_loss=scale / e,
            test_loss=1.1 * scale / e,
            train_accuracy=0.5 + 0.4 * e / epochs,
            test_accuracy=0.49 + 0.4 * e / epochs,
        )
        for e in range(1, epochs + 1)
    )
    return rows


class Paints(QObject):
    """Counts the paints of each watched plot's viewport."""

    def __init__(self, *plots) -> None:
        super().__init__()
        self.counts = {plot.objectName(): 0 for plot in plots}
        for plot in plots:
            plot.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            self.counts[watched.parent().objectName()] += 1
        return False


def shown_view(qtbot) -> CurvesView:
    view = CurvesView()
    qtbot.addWidget(view)
    view.resize(340, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


@pytest.mark.parametrize("plots", [("loss",), ("metric",)])
def test_stepped_curves_paint_each_plot_once_after_their_steps_with_show_historys_pixels(qtbot, plots) -> None:
    """12 → 40 epochs, the losses 1000 times smaller: a new epoch span (both plots' epochs move) and wider tick texts
    (a relayout, which lines the metric plot's epochs up again)."""
    stepped, whole = shown_view(qtbot), shown_view(qtbot)
    for view in (stepped, whole):
        view.show_history(history(12))
        settle()
    paints = Paints(stepped.loss_plot, stepped.accuracy_plot)
    per_step: list[dict[str, int]] = []
    for _ in stepped.history_steps(history(40, 1e-3), plots=plots):
        before = dict(paints.counts)
        settle()  # the events between two slices
        per_step.append({name: paints.counts[name] - before[name] for name in before})
    settle()
    per_step.append(dict(paints.counts))  # the last step's paints (and any after)
    per_step[-1] = {name: paints.counts[name] - sum(step[name] for step in per_step[:-1]) for name in paints.counts}
    painted = [step for step in per_step if any(step.values())]
    assert len(per_step) >= 4  # fed, epochs, ranges, pictures... in steps
    assert all(sum(step.values()) == 1 for step in painted)  # one plot per step, once
    assert sorted(name for step in painted for name, count in step.items() if count) == ["accuracyPlot", "lossPlot"]
    assert not any(any(step.values()) for step in per_step[:-2])  # no paint before the last two steps (the releases)
    whole.show_history(history(40, 1e-3), plots=plots)
    settle()
    for mine, theirs in ((stepped.loss_plot, whole.loss_plot), (stepped.accuracy_plot, whole.accuracy_plot)):
        np.testing.assert_allclose(mine.getPlotItem().vb.viewRange(), theirs.getPlotItem().vb.viewRange())
        np.testing.assert_array_equal(pixels(mine.grab().toImage()), pixels(theirs.grab().toImage()))
    on_screen = [pixels(view.screen().grabWindow(view.winId()).toImage()) for view in (stepped, whole)]
    assert on_screen[0].std() > 0  # a picture, not a blank
    np.testing.assert_array_equal(*on_screen)  # the backing store: what the paints left there


def half_drawn(qtbot) -> tuple[CurvesView, Iterator[None]]:
    """A shown view with 12 epochs drawn, two steps into drawing 40: both plots held, the loss plot's epochs moved,
    the metric plot's not yet."""
    view = shown_view(qtbot)
    view.show_history(history(12))
    settle()
    steps = view.history_steps(history(40))
    next(steps)
    next(steps)
    return view, steps


def test_steps_left_undone_hold_nothing_and_line_the_epochs_up(qtbot) -> None:
    view, steps = half_drawn(qtbot)
    steps.close()
    assert view.loss_plot.updatesEnabled() and view.accuracy_plot.updatesEnabled()
    loss_x, metric_x = (plot.getPlotItem().vb.viewRange()[0] for plot in (view.loss_plot, view.accuracy_plot))
    assert metric_x == pytest.approx(loss_x, abs=1.0)  # lined up (to the pixel offset of their axes)
    assert loss_x[1] == 40


def test_steps_left_undone_when_the_window_is_gone_close_quietly(qtbot) -> None:
    view, steps = half_drawn(qtbot)
    view.deleteLater()  # the window closed with the plots in the middle of a redraw
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    steps.close()  # raised RuntimeError (Internal C++ object already deleted) from its finally before


def test_an_empty_history_still_settles_the_axes_before_the_first_paint(qtbot) -> None:
    """A window just shown draws its first snapshot (no epoch yet) before it is painted: the axes get their pictures
    and widths then, not in that first paint (which would lay the plots out and paint them again)."""
    view = CurvesView()
    qtbot.addWidget(view)
    view.resize(340, 500)
    view.show()  # shown, not painted yet
    for plot in (view.loss_plot, view.accuracy_plot):
        plot.getPlotItem().getAxis("left").picture = None  # as before any paint
    view.show_history(History())
    for plot in (view.loss_plot, view.accuracy_plot):
        item = plot.getPlotItem()
        assert item.layout.isActivated()
        assert all(item.getAxis(name).picture is not None for name in ("left", "bottom"))


def spiral_like(epochs: int) -> History:
    """The first ``epochs`` of a 40-epoch run whose loss starts in a narrow band (1.02 → 0.89: tick texts "0.96")
    and ends spread over 0.06 … 1.02 (tick texts "0.2")."""
    loss = np.r_[1.02, 1.01, 0.95, 0.89, np.linspace(0.87, 0.06, 36)]
    accuracy = np.linspace(0.37, 0.99, 40)
    rows = History()
    rows.extend(
        SimpleNamespace(
            epoch=e + 1,
            train_loss=loss[e],
            test_loss=1.01 * loss[e],
            train_accuracy=accuracy[e],
            test_accuracy=accuracy[e] - 0.01,
        )
        for e in range(epochs)
    )
    return rows


def test_drawn_in_steps_a_run_ends_with_the_axes_and_epochs_drawn_whole_over_the_same_snapshots(qtbot) -> None:
    """The end picture depends on the snapshots drawn on the way, in steps as drawn whole (and at bd5b226): an axis'
    text space shrinks only by more than 10 px (pyqtgraph's `AxisItem._updateMaxTextSize`), so the loss axis keeps
    the width of its early "0.96" ticks, and the x-link lines the metric plot's epochs up with the loss plot's by
    pixels (its range starts below 0 beside a wider loss axis). Drawn as the window does while training — the loss
    plot's steps (side tab), then the metric plot's, the events of a slice between two steps — the plots end as
    `show_history` over the same snapshots leaves them, to the pixel."""
    stepped, whole, final_only = shown_view(qtbot), shown_view(qtbot), shown_view(qtbot)
    for epochs in (0, 3, 40):
        snapshot = spiral_like(epochs)  # one history for both plots' steps, as the window's
        for plots in (("loss",), ("metric",)):
            for _ in stepped.history_steps(snapshot, plots=plots):
                settle()
        whole.show_history(spiral_like(epochs))
        settle()
    final_only.show_history(spiral_like(40))
    settle()

    def left_width(view: CurvesView) -> float:
        return view.loss_plot.getPlotItem().getAxis("left").width()

    assert left_width(whole) > left_width(final_only) + 5  # the early ticks' width stayed: the case at hand
    for mine, theirs in ((stepped.loss_plot, whole.loss_plot), (stepped.accuracy_plot, whole.accuracy_plot)):
        item, other = mine.getPlotItem(), theirs.getPlotItem()
        assert item.getAxis("left").width() == other.getAxis("left").width()
        assert item.vb.geometry() == other.vb.geometry()
        np.testing.assert_allclose(item.vb.viewRange(), other.vb.viewRange())
        np.testing.assert_array_equal(pixels(mine.grab().toImage()), pixels(theirs.grab().toImage()))
    assert stepped.loss_plot.getPlotItem().vb.viewRange()[0] == [0, 40]
