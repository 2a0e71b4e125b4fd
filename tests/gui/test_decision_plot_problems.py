"""The decision plot per problem, from hand-made snapshots: binary as before, k classes (class image, class
boundaries, points in class colours, misclassified ringed), regression (value image, colour bar, points by
target), and the "Discretize output" view setting."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QCheckBox

from minidl.problem import Problem
from minidl_gui.model.colours import CLASS_COLOURS, class_image, value_colours, value_image
from minidl_gui.model.snapshot import Points, Snapshot
from minidl_gui.plots.decision_plot import DISCRETIZE_TIP, DecisionPlot, decision_panel

N = 24
EXTENT = (0.0, 1.0, 0.0, 1.0)


def centres() -> tuple[np.ndarray, np.ndarray]:
    c = (np.arange(N) + 0.5) / N
    return np.meshgrid(c, c, indexing="ij")  # grid[i, j] at (xs[i], ys[j])


def three_class_grid() -> np.ndarray:
    """Softmax of three logits: class 0 left, class 1 right-bottom, class 2 right-top."""
    x, y = centres()
    logits = np.stack([6 * (0.5 - x), 6 * (x - 0.5) + 6 * (0.5 - y), 6 * (x - 0.5) + 6 * (y - 0.5)], axis=-1)
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def make_snapshot(problem: Problem, grid: np.ndarray, y_train, y_test, *, wrong=(), version=1) -> Snapshot:
    rng = np.random.default_rng(3)
    y_train, y_test = np.asarray(y_train, dtype=float), np.asarray(y_test, dtype=float)
    train_wrong = np.zeros(len(y_train), dtype=bool)
    train_wrong[list(wrong)] = True
    test_wrong = np.zeros(len(y_test), dtype=bool)
    if problem.is_classification:
        test_wrong[:1] = True
    return Snapshot(
        epoch=3,
        start=0,
        results=(),
        grid=grid,
        extent=EXTENT,
        data_version=version,
        custom_points=False,
        train=Points(rng.random((len(y_train), 2)), y_train),
        test=Points(rng.random((len(y_test), 2)), y_test),
        train_wrong=train_wrong,
        test_wrong=test_wrong,
        problem=problem,
    )


@pytest.fixture
def plot(qtbot) -> DecisionPlot:
    widget = DecisionPlot()
    qtbot.addWidget(widget)
    return widget


def brush_rgb(spot_brush) -> tuple[int, int, int]:
    colour = spot_brush.color()
    return colour.red(), colour.green(), colour.blue()


def test_binary_keeps_the_output_scale_the_colour_bar_and_the_half_boundary(plot):
    x, _ = centres()
    snapshot = make_snapshot(Problem(), x, [0, 1, 1, 0], [1, 0], wrong=[2])
    plot.show_snapshot(snapshot)
    assert np.array_equal(plot.image.image, value_image(x, 0.0, 1.0))
    assert plot.colorbar.isVisible() and tuple(plot.colorbar.levels()) == (0.0, 1.0)
    bx, _ = plot.boundary.getData()
    assert len(bx) > 0 and np.allclose(bx, 0.5)  # the output is x: its 0.5 curve is the line x = 0.5
    brushes = [brush_rgb(spot.brush()) for spot in plot.train_points.points()]
    assert brushes == [CLASS_COLOURS[int(label)] for label in snapshot.train.y]
    assert len(plot.wrong_points) == 2  # one train, one test
    assert "boundary at 0.5" in plot.plot.titleLabel.text


def test_k_classes_show_the_class_image_boundaries_class_colours_and_rings(plot):
    grid = three_class_grid()
    y_train = [0, 1, 2, 2, 1, 0, 2]
    snapshot = make_snapshot(Problem.classification(3), grid, y_train, [2, 0, 1], wrong=[1, 4, 5])
    plot.show_snapshot(snapshot)
    assert np.array_equal(plot.image.image, class_image(grid))
    assert not plot.colorbar.isVisible() and plot.boundary.isVisible()
    bx, by = plot.boundary.getData()
    segments = np.column_stack([bx, by])
    assert len(segments) > 0
    # the boundaries lie where two classes tie: x = 0.5 on the left edge of the right classes, y = 0.5 between those
    tie = three_class_grid_values(segments)
    assert np.all(tie < 0.05), f"boundary points where no two classes tie: {tie.max()}"
    assert np.any(np.isclose(segments[:, 0], 0.5, atol=0.03)) and np.any(np.isclose(segments[:, 1], 0.5, atol=0.03))
    brushes = [brush_rgb(spot.brush()) for spot in plot.train_points.points()]
    assert brushes == [CLASS_COLOURS[c] for c in y_train]
    test_pens = [spot.pen().color().getRgb()[:3] for spot in plot.test_points.points()]
    assert test_pens == [CLASS_COLOURS[c] for c in (2, 0, 1)]
    assert len(plot.wrong_points) == 3 + 1  # the ringed points are the wrong ones, train and test
    plot.set_show_test(False)
    assert len(plot.wrong_points) == 3


def three_class_grid_values(points: np.ndarray) -> np.ndarray:
    """How far from a tie the top two probabilities are at ``points`` (analytic, as `three_class_grid`)."""
    x, y = points[:, 0], points[:, 1]
    logits = np.stack([6 * (0.5 - x), 6 * (x - 0.5) + 6 * (0.5 - y), 6 * (x - 0.5) + 6 * (y - 0.5)], axis=-1)
    p = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    top = np.sort(p, axis=-1)
    return top[:, -1] - top[:, -2]


def test_regression_shows_the_prediction_with_a_colour_bar_and_points_by_target(plot):
    x, y = centres()
    prediction = 2 * x - 1
    targets = np.array([-1.0, -0.2, 0.0, 0.6, 1.0])
    snapshot = make_snapshot(Problem.regression(), prediction, targets, [0.3, -0.7])
    plot.show_snapshot(snapshot)
    assert np.array_equal(plot.image.image, value_image(prediction, -1.0, 1.0))
    assert plot.colorbar.isVisible() and tuple(plot.colorbar.levels()) == (-1.0, 1.0)
    assert plot.colorbar.getAxis("left").labelText == "prediction"
    assert not plot.boundary.isVisible()
    assert len(plot.wrong_points) == 0
    brushes = [brush_rgb(spot.brush()) for spot in plot.train_points.points()]
    assert brushes == [tuple(c[:3]) for c in value_colours(targets, -1.0, 1.0)]
    assert "misclassified" not in [label.text for _, label in plot.legend.items]
    plot.show_snapshot(make_snapshot(Problem(), x, [0, 1], [1], version=2))  # back to two classes
    assert tuple(plot.colorbar.levels()) == (0.0, 1.0) and plot.boundary.isVisible()
    assert plot.colorbar.getAxis("left").labelText == "output"
    assert "misclassified" in [label.text for _, label in plot.legend.items]


def test_regression_targets_beyond_one_widen_the_scale_symmetrically(plot):
    x, _ = centres()
    plot.show_snapshot(make_snapshot(Problem.regression(), x, [-0.5, 2.5], [0.0]))
    assert tuple(plot.colorbar.levels()) == (-2.5, 2.5)
    assert np.array_equal(plot.image.image, value_image(x, -2.5, 2.5))


def test_points_are_set_again_only_when_the_data_changes(plot, monkeypatch):
    grid = three_class_grid()
    first = make_snapshot(Problem.classification(3), grid, [0, 1, 2], [1])
    plot.show_snapshot(first)
    calls = []
    monkeypatch.setattr(plot.train_points, "setData", lambda *a, **k: calls.append(k))
    plot.show_snapshot(make_snapshot(Problem.classification(3), grid * 0.9 + 0.1 / 3, [0, 1, 2], [1]))
    assert calls == []
    plot.set_discretize(True)
    assert calls == []
    plot.show_snapshot(make_snapshot(Problem.classification(3), grid, [0, 1, 2], [1], version=2))
    assert len(calls) == 1


def test_discretize_shows_hard_classes_and_redraws_the_last_snapshot(qtbot):
    plot = DecisionPlot()
    panel = decision_panel(plot)  # the panel owns the plot
    qtbot.addWidget(panel)
    check = panel.findChild(QCheckBox, "discretizeCheck")
    assert check is not None and check.toolTip() == DISCRETIZE_TIP and not check.isChecked()
    grid = three_class_grid()
    plot.show_snapshot(make_snapshot(Problem.classification(3), grid, [0], [1]))
    soft = plot.image.image.copy()
    check.setChecked(True)
    assert plot.discretize
    hard = plot.image.image
    assert np.array_equal(hard, class_image(grid, discretize=True)) and not np.array_equal(hard, soft)
    assert len(np.unique(hard.reshape(-1, 4), axis=0)) == 3  # exactly the three classes' colours
    check.setChecked(False)
    assert np.array_equal(plot.image.image, soft)
    x, _ = centres()
    plot.show_snapshot(make_snapshot(Problem(), x, [0], [1], version=2))
    check.setChecked(True)
    assert np.array_equal(plot.image.image, value_image(x, 0.0, 1.0, discretize=True))
    assert len(np.unique(plot.image.image.reshape(-1, 4), axis=0)) == 2
    plot.show_snapshot(make_snapshot(Problem.regression(), 2 * x - 1, [0.5], [-0.5], version=3))
    assert np.array_equal(plot.image.image, value_image(2 * x - 1, -1.0, 1.0, discretize=True))


def test_the_window_keeps_discretize_in_its_settings(qtbot, temporary_settings):
    from PySide6.QtCore import QSettings

    from minidl_gui.widgets.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.findChild(QCheckBox, "discretizeCheck").setChecked(True)
    assert first.decision.discretize
    first.save_settings(QSettings(temporary_settings, QSettings.Format.IniFormat))
    second = MainWindow()
    qtbot.addWidget(second)
    second.restore_settings(QSettings(temporary_settings, QSettings.Format.IniFormat))
    assert second.decision.discretize and second.findChild(QCheckBox, "discretizeCheck").isChecked()


def test_shrinking_the_plot_after_a_wide_size_keeps_the_layout_inside_it(qtbot, plot):
    """The square's margins from a wide window never hold the layout wider than the widget (clipped)."""
    plot.show()
    qtbot.waitExposed(plot)
    for width in (900, 520):
        plot.resize(width, 560)
        qtbot.waitUntil(lambda w=width: plot.viewport().width() == w)
    qtbot.waitUntil(lambda: plot.ci.geometry().width() <= plot.viewport().width() + 1)
    view = plot.plot.vb
    qtbot.waitUntil(lambda: abs(view.width() - view.height()) <= 2)  # and the data area is square again
