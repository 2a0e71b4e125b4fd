"""The window's layout (controls never clipped, runs dock out of the way until a run ends) and its cheap
redraws (boundary from marching squares, epoch axis in steps, unchanged or hidden curves not fed)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from minidl_gui.model.contour import cell_centres
from minidl_gui.plots.curves import epoch_span

TIMEOUT = 20_000


@pytest.mark.parametrize(
    ("last", "span"), [(0, 10), (float("nan"), 10), (10, 10), (11, 12), (30, 30), (31, 40), (81, 100), (101, 120)]
)
def test_the_epoch_axis_grows_in_steps(last, span):
    assert epoch_span(last) == span


def test_controls_are_never_narrower_than_their_content(qtbot, playground):
    window = playground().window
    controls = window.controls
    content = controls.widget().minimumSizeHint().width()
    assert controls.minimumSizeHint().width() > content
    assert controls.viewport().width() >= content
    for _ in range(3):
        window.findChild(QAbstractButton, "addLayerButton").click()
    qtbot.waitUntil(lambda: controls.viewport().width() >= controls.widget().minimumSizeHint().width())


def test_runs_dock_opens_when_the_first_run_ends_and_leaves_the_plots_most_height(qtbot, playground, small_config):
    controller = playground(replace(small_config, training=replace(small_config.training, max_epochs=3)))
    window = controller.window
    assert window.runs.isHidden()
    qtbot.mouseClick(window.findChild(QAbstractButton, "trainButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.runs.log) == 1, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.runs.isVisible())
    # The main window lays its docks out in a later event: wait for that, not for a fixed time.
    qtbot.waitUntil(lambda: window.runs.height() < window.decision.height() / 2)


def test_boundary_is_drawn_as_segments_around_the_class_1_region(qtbot, playground):
    controller = playground()
    window = controller.window
    qtbot.mouseClick(window.findChild(QAbstractButton, "trainButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.decision.boundary.getData()[0]) > 0, timeout=TIMEOUT)
    qtbot.mouseClick(window.findChild(QAbstractButton, "trainButton"), Qt.MouseButton.LeftButton)  # pause
    qtbot.waitUntil(lambda: window.toolbar.state == "paused", timeout=TIMEOUT)
    snapshot = window.last_snapshot
    x, y = window.decision.boundary.getData()
    assert len(x) % 2 == 0
    # Each end lies where the output crosses 0.5: between grid cells of either side.
    xs, ys = cell_centres(snapshot.extent, snapshot.grid.shape)
    i = np.clip(np.searchsorted(xs, x) - 1, 0, len(xs) - 2)
    j = np.clip(np.searchsorted(ys, y) - 1, 0, len(ys) - 2)
    corners = np.stack(
        [snapshot.grid[i, j], snapshot.grid[i + 1, j], snapshot.grid[i, j + 1], snapshot.grid[i + 1, j + 1]]
    )
    assert np.all((corners.min(axis=0) <= 0.5) & (corners.max(axis=0) >= 0.5))


def test_curves_skip_unchanged_histories_and_hidden_tabs(qtbot, playground):
    controller = playground()
    window = controller.window
    qtbot.mouseClick(window.findChild(QAbstractButton, "stepButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.history) == 1, timeout=TIMEOUT)
    curve = window.curves.curves["train_loss"]
    fed = []
    curve.sigPlotChanged.connect(lambda *_: fed.append(1))
    window.curves.show_history(window.history)  # the same history again: nothing to draw
    assert not fed
    window.side_tabs.setCurrentIndex(1)  # the network tab hides the curves
    qtbot.mouseClick(window.findChild(QAbstractButton, "stepButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.history) == 2, timeout=TIMEOUT)
    assert not fed and len(curve.getData()[0]) == 1
    window.side_tabs.setCurrentIndex(0)  # shown again: drawn at once
    assert fed and len(curve.getData()[0]) == 2
