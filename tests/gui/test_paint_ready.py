"""`prepare_for_paint`: a plot settled before its paint (view box, axes' pictures, the relayout a new tick text width
asks for) paints once, with the same pixels as one pyqtgraph settles in its paint; and the curves view uses it."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from minidl_gui.model.history import History
from minidl_gui.plots.curves import CurvesView
from minidl_gui.plots.held_updates import HeldUpdates
from minidl_gui.plots.paint_ready import prepare_for_paint, prepare_steps, record_axis_picture

pytestmark = pytest.mark.usefixtures("qapp")
NARROW = ([0, 1, 2, 3], [10, 20, 30, 40])
"""Tick texts two digits wide..."""
WIDE = ([0, 1, 2, 3], [0.0010, 0.0015, 0.0020, 0.0025])
"""...and wider: the left axis grows, the plot is laid out again."""


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : 4 * image.width()].reshape(image.height(), image.width(), 4).copy()


def shown_plot(qtbot, data: tuple[list, list]) -> tuple[pg.PlotWidget, pg.PlotDataItem]:
    plot = pg.PlotWidget(background="w")
    qtbot.addWidget(plot)
    plot.resize(300, 200)
    curve = plot.plot(*data)
    plot.show()
    qtbot.waitExposed(plot)
    for _ in range(3):
        QApplication.processEvents()
    return plot, curve


def paints_after(plot: pg.PlotWidget) -> int:
    counter = PaintCounter()
    plot.viewport().installEventFilter(counter)
    for _ in range(5):
        QApplication.processEvents()
    plot.viewport().removeEventFilter(counter)
    return counter.paints


def test_pyqtgraph_alone_paints_twice_when_the_tick_texts_widen(qtbot) -> None:
    """Why it exists: the axis learns its new width while painting, then the plot is laid out and painted again."""
    plot, curve = shown_plot(qtbot, NARROW)
    curve.setData(*WIDE)
    assert paints_after(plot) >= 2


def test_a_prepared_plot_paints_once_when_the_tick_texts_widen(qtbot) -> None:
    plot, curve = shown_plot(qtbot, NARROW)
    left = plot.getPlotItem().getAxis("left")
    width = left.width()
    curve.setData(*WIDE)
    assert prepare_for_paint(plot) >= 2  # a round measured the new width, a later one found the layout in force
    assert left.width() > width  # laid out before the paint
    assert left.picture is not None and plot.getPlotItem().getAxis("bottom").picture is not None
    assert paints_after(plot) == 1


def test_a_prepared_plot_looks_the_same(qtbot) -> None:
    """The same pixels as pyqtgraph's own settling in the paint: on screen (the backing store, after the paint) and
    drawn afresh."""
    plain, plain_curve = shown_plot(qtbot, NARROW)
    prepared, prepared_curve = shown_plot(qtbot, NARROW)
    plain_curve.setData(*WIDE)
    prepared_curve.setData(*WIDE)
    prepare_for_paint(prepared)
    paints_after(plain)
    paints_after(prepared)
    on_screen = [pixels(w.screen().grabWindow(w.winId()).toImage()) for w in (plain, prepared)]
    np.testing.assert_array_equal(*on_screen)
    np.testing.assert_array_equal(pixels(plain.grab().toImage()), pixels(prepared.grab().toImage()))


def test_nothing_to_settle_takes_one_round_and_keeps_the_pictures(qtbot) -> None:
    plot, _ = shown_plot(qtbot, NARROW)
    axis = plot.getPlotItem().getAxis("left")
    picture = axis.picture
    assert picture is not None  # painted once shown
    assert prepare_for_paint(plot) == 1
    assert axis.picture is picture
    assert not record_axis_picture(axis)


def test_a_hidden_axis_gets_no_picture(qtbot) -> None:
    plot, _ = shown_plot(qtbot, NARROW)
    top = plot.getPlotItem().getAxis("top")  # hidden by default
    assert not top.isVisible()
    assert not record_axis_picture(top)
    assert top.picture is None


def test_the_curves_view_is_settled_before_its_paint(qtbot) -> None:
    """After ``show_history`` the two plots have their axes' pictures and their layouts in force: the paint that
    follows only draws."""
    view = CurvesView()
    qtbot.addWidget(view)
    view.resize(340, 500)
    view.show()
    qtbot.waitExposed(view)
    history = History()
    history.extend(
        [
            {"epoch": e, "train_loss": 1 / e, "test_loss": 1.1 / e, "train_accuracy": 50 + e, "test_accuracy": 49 + e}
            for e in range(1, 13)
        ]
    )
    view.show_history(history)
    for plot in (view.loss_plot, view.accuracy_plot):
        item = plot.getPlotItem()
        assert item.layout.isActivated()
        assert all(item.getAxis(name).picture is not None for name in ("left", "bottom"))


def test_prepared_in_steps_a_plot_is_settled_the_same_and_told_before_its_relayout(qtbot) -> None:
    """`prepare_steps` yields between its pieces of work (the widened axis' picture, the relayout, the pictures of
    what moved) and calls ``before_relayout`` before the layout is applied; then the paint only draws, once, the
    same pixels as pyqtgraph settling in its paint."""
    plain, plain_curve = shown_plot(qtbot, NARROW)
    stepped, stepped_curve = shown_plot(qtbot, NARROW)
    plain_curve.setData(*WIDE)
    stepped_curve.setData(*WIDE)
    layout = stepped.getPlotItem().layout
    told: list[bool] = []
    held = HeldUpdates()
    held.hold(stepped)  # as the curves view does: no paint between the steps
    steps = prepare_steps(stepped, before_relayout=lambda: told.append(layout.isActivated()))
    taken = 0
    for _ in steps:
        taken += 1
        assert paints_after(stepped) == 0  # as between two slices: events run (the posted relayout may), no paint
    assert taken >= 2
    assert told and not told[0]  # told while the layout was still to be applied
    assert layout.isActivated()
    held.release()
    assert paints_after(stepped) == 1
    paints_after(plain)
    np.testing.assert_array_equal(pixels(plain.grab().toImage()), pixels(stepped.grab().toImage()))


def test_nothing_to_settle_takes_no_step(qtbot) -> None:
    plot, _ = shown_plot(qtbot, NARROW)
    prepare_for_paint(plot)
    assert list(prepare_steps(plot)) == []


def test_held_widgets_do_not_paint_and_repaint_once_each_when_released_in_order(qtbot) -> None:
    first, first_curve = shown_plot(qtbot, NARROW)
    second, second_curve = shown_plot(qtbot, NARROW)
    held = HeldUpdates()
    held.hold(first, second, first)  # held once
    assert held.widgets == [first, second]
    first_curve.setData(*WIDE)
    second_curve.setData(*WIDE)
    assert paints_after(first) == 0 and paints_after(second) == 0
    assert held.release_next()  # the first: the second is still held
    assert first.updatesEnabled() and not second.updatesEnabled()
    assert paints_after(first) >= 1 and paints_after(second) == 0
    assert not held.release_next()
    assert paints_after(second) >= 1
    assert not held.release_next() and held.widgets == []


def test_a_widget_disabled_by_someone_else_is_left_alone(qtbot) -> None:
    plot, _ = shown_plot(qtbot, NARROW)
    plot.setUpdatesEnabled(False)
    held = HeldUpdates()
    held.hold(plot)
    held.release()
    assert not plot.updatesEnabled()
