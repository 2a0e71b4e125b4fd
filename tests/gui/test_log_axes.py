"""Log loss axes (the report's figures and the app's "Log loss"): no SI-prefix scaling, ticks as powers of ten."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

from minidl_gui import figures
from minidl_gui.model.history import COLUMNS, History
from minidl_gui.plots.curves import CurvesView


def shown_ticks(axis: pg.AxisItem) -> list[str]:
    """The tick strings ``axis`` draws for its view's range, with the scale it uses."""
    low, high = axis.linkedView().viewRange()[1]
    return [
        s
        for spacing, values in axis.tickValues(low, high, 500)
        for s in axis.tickStrings(values, axis.autoSIPrefixScale, spacing)
    ]


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def assert_readable(axis: pg.AxisItem, label: str) -> None:
    assert axis.logMode and axis.autoSIPrefixScale == 1.0
    assert axis.labelString().endswith(f">{label} </span>")  # no "(x0.001)"
    ticks = shown_ticks(axis)
    assert "10⁻²" in ticks and "5·10⁻³" in ticks and not any("10¹" in t or "10²" in t for t in ticks), ticks
    assert "3·10⁻³" not in ticks and "9·10⁻³" not in ticks, ticks  # minor ticks labelled at 2 and 5 only


def test_the_report_loss_figure_labels_its_log_axis_with_plain_powers_of_ten(qtbot):
    epochs = list(range(1, 51))
    columns = {"epoch": epochs, "lr": [0.01] * 50}
    columns |= {"train_loss": list(np.geomspace(0.3, 2e-3, 50)), "test_loss": list(np.geomspace(0.3, 3e-3, 50))}
    widget = figures.loss_figure(2, "sgd", {0: columns})
    qtbot.addWidget(widget)
    widget.show()
    settle()
    assert_readable(widget.getPlotItem().getAxis("left"), "MSE loss (log scale)")


def test_the_apps_log_loss_axis_too(qtbot):
    view = CurvesView()
    qtbot.addWidget(view)
    view.resize(400, 500)
    view.show()
    history = History()
    for epoch, loss in enumerate(np.geomspace(0.3, 2e-3, 50), 1):
        row = dict.fromkeys(COLUMNS, None) | {"epoch": epoch, "train_loss": loss, "test_loss": 1.5 * loss}
        history.append(type("Row", (), row)())
    view.set_log_loss(True)
    view.show_history(history)
    settle()
    assert_readable(view.loss_plot.getPlotItem().getAxis("left"), "loss")


def test_tick_strings_are_powers_of_ten_with_a_mantissa_for_minor_ticks():
    from minidl_gui.plots.log_axis import LogAxis

    axis = LogAxis("left")
    axis.setLogMode(False, True)
    values = [-3.0, math.log10(0.003), -1.0, 0.0, 1.0, math.log10(20), 2.0]
    assert axis.tickStrings(values, 1.0, 1.0) == ["10⁻³", "3·10⁻³", "0.1", "1", "10", "20", "10²"]


def labelled_ticks(low: float, high: float) -> tuple[int, list[str]]:
    """How many tick marks a log axis over [low, high] draws, and its labels (bottom to top)."""
    from minidl_gui.plots.log_axis import LogAxis

    axis = LogAxis("left")
    axis.setLogMode(False, True)
    ticks = sorted(
        (value, text)
        for spacing, values in axis.tickValues(math.log10(low), math.log10(high), 500)
        for value, text in zip(values, axis.tickStrings(values, 1.0, spacing), strict=True)
    )
    return len(ticks), [text for _, text in ticks if text]


def test_minor_ticks_keep_their_marks_but_are_labelled_at_2_and_5_only():
    marks, labels = labelled_ticks(1.5e-3, 0.35)
    assert marks == 8 + 9 + 3  # a mark at every mantissa from 2e-3 to 0.3...
    assert labels == ["2·10⁻³", "5·10⁻³", "10⁻²", "2·10⁻²", "5·10⁻²", "0.1", "0.2"]  # ...labelled at 1, 2 and 5


def test_beyond_three_decades_only_powers_of_ten_are_labelled():
    marks, labels = labelled_ticks(1.5e-6, 1.5)
    assert marks > 7 * 2 and labels == ["10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "0.1", "1"]


def test_within_a_decade_every_tick_is_labelled():
    marks, labels = labelled_ticks(0.019, 0.081)
    assert marks == 7 and labels == [f"{m}·10⁻²" for m in range(2, 9)]
