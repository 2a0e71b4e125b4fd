"""The views draw the frames the worker prepared (`Snapshot.decision`, `.curves`, `.network`), set an item only
when its data changed, and fall back to making the frame themselves; "Discretize output" reaches the worker
(`SetView`) from a toggle, through the controller, and from the restored settings."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox

from minidl_gui.model.colours import value_image
from minidl_gui.model.history import History
from minidl_gui.model.session import Session
from minidl_gui.model.view_options import ViewOptions
from minidl_gui.plots.curves import CurvesView
from minidl_gui.plots.decision_plot import DecisionPlot
from minidl_gui.plots.gradient_norms import GradientNormsView
from minidl_gui.plots.network_view import NetworkView
from minidl_gui.worker import TrainingWorker
from minidl_gui.worker_commands import SetView, Step


def spy(monkeypatch, calls: Counter, obj: object, method: str, name: str) -> None:
    """Count the calls of ``obj.method`` under ``name`` (and still make them)."""
    original = getattr(obj, method)

    def counted(*args, **kwargs):
        calls[name] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, method, counted)


@pytest.fixture
def trained(small_config):
    """A session one epoch in, with its history as the window keeps it."""
    session = Session(small_config, resolution=16)
    epochs = session.epochs()
    next(epochs)
    return session, epochs


def window_history(*snapshots) -> History:
    history = History()
    for snapshot in snapshots:
        history.truncate(snapshot.start)
        history.extend(snapshot.results)
    return history


def test_the_decision_plot_shows_the_frame_and_sets_nothing_for_an_unchanged_one(qtbot, monkeypatch, trained):
    session, _ = trained
    plot = DecisionPlot()
    qtbot.addWidget(plot)
    first = session.snapshot()
    plot.show_snapshot(first)
    assert np.array_equal(plot.image.image, first.decision.picture.image)
    x, _ = plot.boundary.getData()
    assert np.array_equal(x, first.decision.picture.boundary[:, 0])
    calls = Counter()
    for name, item, method in (
        ("image", plot.image, "setImage"),
        ("boundary", plot.boundary, "setData"),
        ("train", plot.train_points, "setData"),
        ("test", plot.test_points, "setData"),
        ("wrong", plot.wrong_points, "setData"),
    ):
        spy(monkeypatch, calls, item, method, name)
    plot.show_snapshot(session.snapshot())  # the model did not move: the same picture, points and rings
    assert sum(calls.values()) == 0, calls


def test_a_frame_made_before_a_toggle_is_drawn_with_the_plot_s_setting(qtbot, trained):
    session, _ = trained
    plot = DecisionPlot()
    qtbot.addWidget(plot)
    seen = []
    plot.viewOptionsChanged.connect(seen.append)
    plot.show_snapshot(session.snapshot())
    plot.discretize_check.setChecked(True)  # redrawn at once, here
    snapshot = plot._last
    assert seen == [ViewOptions(discretize=True)]
    assert np.array_equal(plot.image.image, value_image(snapshot.grid, 0.0, 1.0, discretize=True))
    plot.show_snapshot(session.snapshot())  # the worker had not seen the toggle: its frame is soft
    assert np.array_equal(plot.image.image, value_image(snapshot.grid, 0.0, 1.0, discretize=True))
    plot.set_discretize(True)
    assert len(seen) == 1  # no change, no signal


def test_a_snapshot_without_frames_draws_the_same(qtbot, trained):
    session, epochs = trained
    for _ in range(30):
        next(epochs)
    with_frames = session.snapshot()
    bare = replace(with_frames, decision=None, curves=None, network=None)
    plots = [DecisionPlot(), DecisionPlot()]
    for plot, snapshot in zip(plots, (with_frames, bare), strict=True):
        qtbot.addWidget(plot)
        plot.show_snapshot(snapshot)
    assert np.array_equal(plots[0].image.image, plots[1].image.image)
    (x0, y0), (x1, y1) = (plot.boundary.getData() for plot in plots)
    assert len(x0) and np.array_equal(x0, x1) and np.array_equal(y0, y1)
    assert np.array_equal(plots[0].wrong_points.getData()[0], plots[1].wrong_points.getData()[0])
    brushes = [[spot.brush().color().name() for spot in plot.train_points.points()] for plot in plots]
    assert brushes[0] == brushes[1] and len(set(brushes[0])) == 2


def test_the_curves_draw_the_frame_without_computing_it(qtbot, monkeypatch, trained):
    session, epochs = trained
    first = session.snapshot()
    next(epochs)
    second = session.snapshot()
    history = window_history(first, second)
    view, made_here = CurvesView(), CurvesView()
    for widget in (view, made_here):
        qtbot.addWidget(widget)
        widget.show()
    made_here.show_history(history, second.problem)  # no frame: made in the view
    import minidl_gui.plots.curves as curves_module

    def refuse(*_):
        raise AssertionError("the view computed a frame it was given")

    monkeypatch.setattr(curves_module, "curves_frame", refuse)
    view.show_history(history, second.problem, second.curves)
    for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        x, y = view.curves[key].getData()
        expected = made_here.curves[key].getData()
        assert len(x) == 2 and np.array_equal(x, expected[0]) and np.array_equal(y, expected[1]), key
    calls = Counter()
    for key, curve in view.curves.items():
        spy(monkeypatch, calls, curve, "setData", key)
    view.show_history(history, second.problem, session.snapshot().curves)  # the same history
    assert not calls


def test_the_gradient_norms_draw_the_frame(qtbot, monkeypatch, trained):
    session, _ = trained
    snapshot = session.snapshot()
    view = GradientNormsView()
    qtbot.addWidget(view)
    view.show()
    import minidl_gui.plots.gradient_norms as norms_module

    monkeypatch.setattr(norms_module, "gradient_norm_curves", lambda _: pytest.fail("computed in the view"))
    view.show_history(window_history(snapshot), snapshot.curves)
    x, y = view.curves[0].getData()
    assert np.array_equal(x, [1.0]) and np.allclose(y, np.log10(snapshot.curves.gradient_norms[0][1]))  # a log axis


def test_the_diagram_sets_only_the_link_groups_and_shades_that_changed(qtbot, monkeypatch, trained):
    session, epochs = trained
    view = NetworkView()
    qtbot.addWidget(view)
    view.show()
    first = session.snapshot()
    view.show_snapshot(first)
    assert view.widths == [2, 8, 8, 1]
    for key, curve in view.links.items():
        x, _ = curve.getData()
        assert len(first.network.links[key]) == (0 if x is None else len(x)), key
    calls = Counter()
    for key, curve in view.links.items():
        spy(monkeypatch, calls, curve, "setData", str(key))
    spy(monkeypatch, calls, view.neurons, "setBrush", "brush")
    spy(monkeypatch, calls, view.neurons, "setData", "layout")
    view.show_snapshot(session.snapshot())
    assert not calls
    for _ in range(20):
        next(epochs)
    moved = session.snapshot()
    view.show_snapshot(moved)
    changed = [key for key in view.links if moved.network.links[key] is not first.network.links[key]]
    assert sum(calls[str(key)] for key in view.links) == len(changed) and calls["layout"] == 0


def test_set_view_reaches_the_worker_s_frames(small_config):
    worker = TrainingWorker(Session(small_config, resolution=12))
    snapshots = []
    worker.yielded.connect(snapshots.append)
    worker.yielded.connect(lambda _: worker.snapshot_consumed())
    for command in (SetView(ViewOptions(discretize=True)), Step()):
        worker.submit(command)
    worker.quit()
    worker.run()
    assert worker.session.view_options == ViewOptions(discretize=True)
    assert len(snapshots) == 2  # halted: SetView sends one at once, then the step's
    for snapshot in snapshots:
        assert snapshot.decision.picture.discretize
        assert np.array_equal(snapshot.decision.picture.image, value_image(snapshot.grid, 0.0, 1.0, discretize=True))


def test_the_window_s_toggle_and_restored_setting_reach_the_worker(qtbot, playground, temporary_settings):
    controller = playground()
    controller.window.findChild(QCheckBox, "discretizeCheck").setChecked(True)
    qtbot.waitUntil(lambda: controller.session.view_options.discretize, timeout=20_000)
    qtbot.waitUntil(lambda: controller.window.last_snapshot.decision.picture.discretize, timeout=20_000)
    controller.window.save_settings(QSettings(temporary_settings, QSettings.Format.IniFormat))
    restored = playground(remember=True)
    assert restored.window.decision.discretize and restored.session.view_options.discretize


def image_rect(plot: DecisionPlot) -> tuple[float, float, float, float]:
    """Where the heatmap lies in data coordinates: (x0, x1, y0, y1)."""
    rect = plot.image.mapRectToParent(plot.image.boundingRect())
    return rect.left(), rect.right(), rect.top(), rect.bottom()


def test_a_new_resolution_keeps_the_heatmap_over_the_extent(qtbot, trained):
    """`ImageItem.setRect` scales by the image's size at the time: a grid of another size over the same extent
    must be placed again (it covered twice the extent after 16 → 32 cells)."""
    session, _ = trained
    plot = DecisionPlot()
    qtbot.addWidget(plot)
    plot.show_snapshot(session.snapshot())
    session.resolution = 32  # what the worker's SetResolution does before its next snapshot
    snapshot = session.snapshot()
    plot.show_snapshot(snapshot)
    assert plot.image.image.shape[:2] == (32, 32)
    assert np.allclose(image_rect(plot), snapshot.extent)
