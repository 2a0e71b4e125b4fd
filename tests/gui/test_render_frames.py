"""The render frames made on the worker thread (`decision_frame`, `curves_frame`, `network_layout`,
`network_frame`, `snapshot_frames`) against what the views computed themselves before (the oracles below are
the views' old code, written out here), and `Session.snapshot()` filling them."""

from __future__ import annotations

import numpy as np
import pytest

from minidl.features import FEATURE_NAMES
from minidl.problem import Problem
from minidl_gui.model.colours import CLASS_COLOURS, class_image, class_margins, value_colours, value_image, value_range
from minidl_gui.model.config import Config, DataConfig, LayerConfig, NetworkConfig, TrainingConfig
from minidl_gui.model.contour import cell_centres, contour_segments
from minidl_gui.model.curves_frame import MAX_DRAWN_POINTS, curves_frame, regression_range
from minidl_gui.model.decision_frame import class_boundaries, decision_picture, point_colours
from minidl_gui.model.history import History, downsample
from minidl_gui.model.network_frame import BIAS_SHADES, LINK_BUCKETS, NEGATIVE, POSITIVE, network_frame
from minidl_gui.model.network_layout import diagram_layout, input_positions, model_features
from minidl_gui.model.session import Session
from minidl_gui.model.snapshot_frames import FrameMaker
from minidl_gui.model.view_options import ViewOptions

EXTENT = (-1.0, 2.0, -0.5, 1.5)


# -- oracles: the views' code before the frames ----------------------------------------------------------------
def old_picture(grid: np.ndarray, problem: Problem, scale: tuple[float, float], discretize: bool):
    """DecisionPlot._draw_output before: the image and the boundary segments."""
    multiclass = problem.kind == "multiclass"
    image = class_image(grid, discretize) if multiclass else value_image(grid, *scale, discretize)
    if problem.kind == "regression":
        return image, None
    xs, ys = cell_centres(EXTENT, grid.shape[:2])
    if problem.kind == "multiclass":
        margins = class_margins(grid)
        segments = np.concatenate([contour_segments(margins[..., c], 0.0, xs, ys) for c in range(margins.shape[-1])])
    else:
        segments = contour_segments(grid, 0.5, xs, ys)
    return image, segments


def old_layout(widths: list[int], inputs: tuple[str, ...], max_neurons: int):
    """NetworkView._layout / _layer_segments before: drawn counts, positions, input rows, segments."""
    drawn = [len(FEATURE_NAMES), *(min(width, max_neurons) for width in widths[1:])]
    tallest = max(drawn[1:] + [1])
    positions = [np.column_stack([np.zeros(len(FEATURE_NAMES)), input_positions(tallest)])]
    positions += [
        np.column_stack([np.full(n, float(layer)), (n - 1) / 2 - np.arange(n, dtype=float)])
        for layer, n in enumerate(drawn[1:], start=1)
    ]
    input_rows = np.array([FEATURE_NAMES.index(name) for name in inputs], dtype=int)

    def sources(layer):
        return positions[0][input_rows] if layer == 1 else positions[layer - 1]

    def layer_segments(layer):
        targets, source = positions[layer], sources(layer)
        ends = np.empty((len(targets), len(source), 2, 2))
        ends[:, :, 0] = source[None, :, :]
        ends[:, :, 1] = targets[:, None, :]
        return ends.reshape(-1, 2)

    segments = np.concatenate([layer_segments(k) for k in range(1, len(widths))])
    return drawn, positions, input_rows, segments, sources


def old_links(drawn, segments, sources, weights):
    """NetworkView._style_links before: the segments of each (sign, bucket) curve."""
    values, strengths = [], []
    for layer, w in enumerate(weights, start=1):
        d = w[: drawn[layer], : len(sources(layer))].ravel()
        scale = float(np.max(np.abs(w))) if w.size else 0.0
        values.append(d)
        strengths.append(np.abs(d) / scale if scale > 0 else np.zeros_like(d))
    value, strength = np.concatenate(values), np.concatenate(strengths)
    buckets = np.minimum((np.nan_to_num(strength) * 4).astype(int), 3)
    signs = np.where(value >= 0, POSITIVE, NEGATIVE)
    return {
        (sign, bucket): segments[np.repeat((signs == sign) & (buckets == bucket), 2)]
        for bucket in range(4)
        for sign in (NEGATIVE, POSITIVE)
    }


def old_shades(drawn, biases):
    """NetworkView._style_neurons before: each node's shade index."""
    colors = [np.full(drawn[0], 0.5)]
    for layer, bias in enumerate(biases, start=1):
        n = drawn[layer]
        if bias is None:
            colors.append(np.full(n, 0.5))
            continue
        scale = float(np.max(np.abs(bias))) if bias.size else 0.0
        colors.append(0.5 + 0.5 * bias[:n] / scale if scale > 0 else np.full(n, 0.5))
    levels = np.clip(np.nan_to_num(np.concatenate(colors), nan=0.5), 0.0, 1.0)
    return np.rint(levels * (BIAS_SHADES - 1)).astype(int).tolist()


def old_curves(history: History, regression: bool) -> dict[str, tuple[np.ndarray, np.ndarray] | None]:
    """CurvesView.show_history before: each shown curve's data (None: set empty)."""
    metric = ("train_rmse", "test_rmse", "train_r2", "test_r2") if regression else ("train_accuracy", "test_accuracy")
    epochs, drawn = history.column("epoch"), {}
    for key in ("train_loss", "test_loss", *metric):
        values = history.column(key)
        if key.endswith("accuracy"):
            values = 100 * values
        drawn[key] = None if np.all(np.isnan(values)) else downsample(epochs, values, MAX_DRAWN_POINTS)
    return drawn


# -- decision --------------------------------------------------------------------------------------------------
def grids(rng: np.random.Generator) -> list[tuple[Problem, np.ndarray, tuple[float, float]]]:
    x, y = np.meshgrid(np.linspace(-1, 1, 30), np.linspace(-1, 1, 30), indexing="ij")
    logits = np.stack([x, y, -x - y + 0.2 * rng.standard_normal(x.shape)], axis=-1) * 3
    probabilities = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    return [
        (Problem("binary"), 1 / (1 + np.exp(-4 * (x * x + y - 0.3))), (0.0, 1.0)),
        (Problem("multiclass", 3), probabilities, (0.0, 1.0)),
        (Problem.regression(), 2.5 * x * y, value_range(np.array([-2.0, 2.5]))),
    ]


@pytest.mark.parametrize("discretize", [False, True])
def test_the_picture_is_pixel_for_pixel_and_segment_for_segment_what_the_plot_drew(discretize):
    for problem, grid, scale in grids(np.random.default_rng(0)):
        picture = decision_picture(grid, EXTENT, problem, scale, discretize)
        image, segments = old_picture(grid, problem, scale, discretize)
        assert picture.image.dtype == np.uint8 and picture.image.shape == (30, 30, 4)
        assert np.array_equal(picture.image, image), problem
        if segments is None:
            assert picture.boundary.shape == (0, 2)
        else:
            assert len(segments) and np.array_equal(picture.boundary, segments), problem


def test_class_boundaries_are_the_margins_zero_curves():
    _, grid, _ = grids(np.random.default_rng(1))[1]
    xs, ys = cell_centres(EXTENT, grid.shape[:2])
    margins = class_margins(grid)
    expected = np.concatenate([contour_segments(margins[..., c], 0.0, xs, ys) for c in range(3)])
    assert np.array_equal(class_boundaries(grid, xs, ys), expected)


def test_a_non_finite_grid_has_no_picture():
    grid = np.full((4, 4), 0.5)
    grid[1, 2] = np.nan
    assert decision_picture(grid, EXTENT, Problem("binary"), (0.0, 1.0), False) is None
    assert decision_picture(np.zeros((4, 4, 3)), EXTENT, Problem("binary"), (0.0, 1.0), False) is None  # wrong shape


def test_point_colours_are_the_class_colours_or_the_targets_on_the_value_scale():
    colours = point_colours(Problem("multiclass", 3), np.array([0.0, 2.0, 1.0]), np.array([1.0]), (0.0, 1.0))
    assert colours.train.tolist() == [[*CLASS_COLOURS[c], 255] for c in (0, 2, 1)]
    assert colours.test.tolist() == [[*CLASS_COLOURS[1], 255]]
    targets = np.array([-1.5, 0.0, 2.0])
    colours = point_colours(Problem.regression(), targets, targets[:1], (-2.0, 2.0))
    assert np.array_equal(colours.train, value_colours(targets, -2.0, 2.0))


# -- curves ----------------------------------------------------------------------------------------------------
class Row:
    def __init__(self, epoch: int, **values: float) -> None:
        self.epoch = epoch
        self.__dict__.update(values)


@pytest.mark.parametrize("epochs", [30, 5000])
def test_curves_frame_equals_what_the_curves_view_drew(epochs):
    rng = np.random.default_rng(2)
    history = History()
    for epoch in range(1, epochs + 1):
        history.append(
            Row(
                epoch,
                train_loss=float(rng.random()),
                test_loss=float(rng.random()),
                train_accuracy=float(rng.random()),
                test_accuracy=None,
                gradient_norms=(float(rng.random()), 0.0),
            )
        )
    frame = curves_frame(history, regression=False)
    for key, drawn in old_curves(history, regression=False).items():
        x, y = frame.curves[key]
        if drawn is None:
            assert len(x) == len(y) == 0, key  # all NaN: empty
        else:
            assert np.array_equal(x, drawn[0]) and np.array_equal(y, drawn[1]), key
            assert len(x) <= MAX_DRAWN_POINTS + 2
    assert frame.metric_range is None and frame.matches(history)
    first, second = frame.gradient_norms
    assert np.array_equal(first[1], downsample(history.column("epoch"), history.gradient_norms.values()[:, 0])[1])
    assert len(second[0]) == 0  # zeros only: nothing on a log axis


def test_the_regression_frame_has_rmse_and_r2_and_the_old_range():
    history = History()
    for epoch, r2 in enumerate((-40.0, 0.2, 0.9), start=1):
        history.append(Row(epoch, train_loss=1.0, test_loss=1.0, train_rmse=2.0 / epoch, test_rmse=1.5, train_r2=r2))
    frame = curves_frame(history, regression=True)
    assert set(frame.curves) == {"train_loss", "test_loss", "train_rmse", "test_rmse", "train_r2", "test_r2"}
    assert len(frame.curves["test_r2"][0]) == 0
    assert frame.metric_range == regression_range(history) == (-1.0, 2.0)  # R² floored at −1, RMSE up to 2
    history.append(Row(4, train_loss=1.0))
    assert not frame.matches(history)


# -- network ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("widths", "features", "cap"),
    [([2, 8, 8, 1], ("x1", "x2"), 25), ([3, 40, 5, 3], ("x1", "x2", "x1*x2"), 16), ([2, 2], ("x1", "sin(x2)"), 25)],
)
def test_the_diagram_layout_links_and_shades_equal_the_views_old_ones(widths, features, cap):
    rng = np.random.default_rng(sum(widths))
    weights, layers = {}, []
    for k, (inp, out) in enumerate(zip(widths, widths[1:], strict=False)):
        w, b = rng.standard_normal((out, inp)), rng.standard_normal(out)
        w[0, 0] = 0.0  # a zero weight goes with the positive ones
        weights[f"{2 * k}.weight"], weights[f"{2 * k}.bias"] = w, b
        layers.append((w, b))
    frame = network_frame(weights, features, cap)
    inputs = model_features(features, widths[0])
    drawn, positions, input_rows, segments, sources = old_layout(widths, inputs, cap)
    layout = frame.layout
    assert list(layout.drawn) == drawn and layout.inputs == inputs and list(layout.widths) == widths
    assert all(map(np.array_equal, layout.positions, positions))
    assert np.array_equal(layout.input_rows, input_rows) and np.array_equal(layout.segments, segments)
    expected = old_links(drawn, segments, sources, [w for w, _ in layers])
    assert set(frame.links) == {(s, b) for s in (NEGATIVE, POSITIVE) for b in range(LINK_BUCKETS)}
    for key, ends in expected.items():
        assert np.array_equal(frame.links[key], ends), key
    assert frame.shades.tolist() == old_shades(drawn, [b for _, b in layers])
    assert network_frame({}, features, cap) is None


def test_a_layout_is_reused_for_the_same_architecture_and_made_anew_for_other_features():
    weights = {"0.weight": np.ones((3, 2)), "0.bias": np.zeros(3), "2.weight": np.ones((1, 3))}
    first = network_frame(weights, ("x1", "x2"), 25)
    assert network_frame(weights, ("x1", "x2"), 25, first.layout).layout is first.layout
    other = network_frame(weights, ("x1", "x1^2"), 25, first.layout).layout
    assert other is not first.layout and other.inputs == ("x1", "x1^2")
    assert diagram_layout((2, 3, 1), ("x1", "x2")).key == first.layout.key


# -- the frame maker and the session ---------------------------------------------------------------------------
SMALL = Config(
    data=DataConfig(dataset="xor", n_train=60, n_test=40, seed=2),
    network=NetworkConfig(hidden=(LayerConfig(5, "tanh"),), seed=4),
    training=TrainingConfig(optimizer="adam", lr=1e-2, batch_size=10, max_epochs=50),
)


def test_session_snapshots_carry_frames_consistent_with_their_fields():
    session = Session(SMALL, resolution=20)
    epochs = session.epochs()
    next(epochs)
    snapshot = session.snapshot()
    frame = snapshot.decision
    image, segments = old_picture_for(snapshot)
    assert np.array_equal(frame.picture.image, image) and np.array_equal(frame.picture.boundary, segments)
    assert np.array_equal(frame.train_wrong, snapshot.train.x[snapshot.train_wrong])
    assert np.array_equal(frame.test_wrong, snapshot.test.x[snapshot.test_wrong])
    assert frame.points.train.shape == (60, 4)
    assert snapshot.curves.matches(session.history) and snapshot.curves.length == 1
    assert snapshot.network.layout.widths == (2, 5, 1)
    next(epochs)
    later = session.snapshot()
    assert later.decision.points is frame.points  # the same data: the same colours, not made again
    assert later.decision.picture is not frame.picture and later.curves is not snapshot.curves
    assert later.network.layout is snapshot.network.layout
    again = session.snapshot()  # nothing changed: every part is the last one
    assert again.decision.picture is later.decision.picture and again.curves is later.curves
    assert all(again.network.links[key] is ends for key, ends in later.network.links.items())
    assert again.network.shades is later.network.shades


def old_picture_for(snapshot):
    xs, ys = cell_centres(snapshot.extent, snapshot.grid.shape)
    return value_image(snapshot.grid, 0.0, 1.0), contour_segments(snapshot.grid, 0.5, xs, ys)


def test_the_session_s_view_options_make_the_picture_and_new_points_new_colours():
    session = Session(SMALL, resolution=12, view=ViewOptions(discretize=True))
    snapshot = session.snapshot()
    assert snapshot.decision.picture.discretize
    assert np.array_equal(snapshot.decision.picture.image, value_image(snapshot.grid, 0.0, 1.0, discretize=True))
    session.view_options = ViewOptions()
    soft = session.snapshot().decision
    assert not soft.picture.discretize and soft.points is snapshot.decision.points
    session.data_version += 1
    assert session.snapshot().decision.points is not soft.points


def test_the_frame_maker_keeps_the_picture_of_the_same_grid():
    maker, problem = FrameMaker(), Problem("binary")
    empty = History()
    grid = np.full((5, 5), 0.2)
    grid[2, 2] = 0.9
    points = session_points()
    first = maker.decision(grid, EXTENT, problem, 1, points, (np.zeros(3, bool), np.zeros(1, bool)), ViewOptions())
    same = maker.decision(grid.copy(), EXTENT, problem, 1, points, (np.ones(3, bool), np.zeros(1, bool)), ViewOptions())
    assert same.picture is first.picture and len(same.train_wrong) == 3
    moved = maker.decision(
        grid, (0, 1, 0, 1), problem, 1, points, (np.zeros(3, bool), np.zeros(1, bool)), ViewOptions()
    )
    assert moved.picture is not first.picture
    assert maker.curves(empty, problem) is maker.curves(empty, problem)


def session_points():
    from minidl_gui.model.snapshot import Points

    return Points(np.zeros((3, 2)), np.array([0.0, 1.0, 1.0])), Points(np.ones((1, 2)), np.array([1.0]))


def reference_value_image(values, low, high, discretize=False):
    """`value_image` as it was (three channel gathers and an alpha pass): the faster one must match it."""
    from minidl_gui.model.colours import LUT_SIZE, lookup_table

    values = np.asarray(values, dtype=float)
    values = np.where(np.isfinite(values), values, np.nan)
    if discretize:
        values = np.where(np.isnan(values), np.nan, np.where(values >= (low + high) / 2, high, low))
    span = high - low if high != low else 1.0
    entries = np.clip((np.nan_to_num(values, nan=low) - low) * (LUT_SIZE / span), 0, LUT_SIZE - 1).astype(np.intp)
    image = np.empty((*values.shape, 4), dtype=np.uint8)
    image[..., :3] = lookup_table()[entries]
    image[..., 3] = np.where(np.isnan(values), 0, 255)
    return image


@pytest.mark.parametrize("discretize", [False, True])
def test_value_image_is_byte_for_byte_the_reference(discretize):
    rng = np.random.default_rng(5)
    values = rng.uniform(-3, 3, (40, 30)).astype(np.float32)
    edges = np.linspace(0, 1, 257)  # every entry's edge, where rounding would show
    for grid, low, high in (
        (values, -2.0, 2.5),
        (values / 3 + 0.5, 0.0, 1.0),
        (edges[None, :], 0.0, 1.0),
        (values.T, -1.0, 1.0),
    ):
        assert np.array_equal(
            value_image(grid, low, high, discretize), reference_value_image(grid, low, high, discretize)
        )
    holes = values.astype(float)
    holes[3, 4], holes[5, 6], holes[7, 8] = np.nan, np.inf, -np.inf
    image = value_image(holes, -2.0, 2.0, discretize)
    assert np.array_equal(image, reference_value_image(holes, -2.0, 2.0, discretize)) and image[3, 4, 3] == 0
    assert np.array_equal(value_image(values, 1.0, 1.0), reference_value_image(values, 1.0, 1.0))  # a flat scale


def test_non_finite_weights_and_biases_style_as_before():
    w1, b1 = np.array([[1.0, np.nan], [0.5, -2.0], [np.inf, 1.0]]), np.array([np.nan, np.inf, -1.0])
    w2, b2 = np.array([[0.3, -0.1, 0.0]]), np.array([-np.inf])
    with np.errstate(invalid="ignore"):  # inf / inf, as a diverged model gives
        frame = network_frame({"0.weight": w1, "0.bias": b1, "2.weight": w2, "2.bias": b2}, ("x1", "x2"), 25)
        drawn, _, _, segments, sources = old_layout([2, 3, 1], ("x1", "x2"), 25)
        links, shades = old_links(drawn, segments, sources, [w1, w2]), old_shades(drawn, [b1, b2])
    for key, ends in links.items():
        assert np.array_equal(frame.links[key], ends), key
    assert frame.shades.tolist() == shades
