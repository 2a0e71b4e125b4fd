"""The plots' colours as arrays: a distinct class palette, class images whose lightness follows the
probability, value images, and binary heatmaps pixel for pixel as pyqtgraph drew them before."""

from __future__ import annotations

import itertools

import numpy as np
import pyqtgraph as pg
import pytest

from minidl_gui.model.colours import (
    CLASS_COLOURS,
    MIDDLE,
    class_image,
    class_margins,
    heat_colour,
    value_colours,
    value_image,
    value_range,
)


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Relative luminance (Rec. 709 weights) of RGB bytes, last axis the channels."""
    return np.asarray(rgb[..., :3], dtype=float) @ np.array([0.2126, 0.7152, 0.0722])


def probabilities_for(winner: int, p: float, k: int) -> np.ndarray:
    """A distribution over k classes with ``p`` on ``winner`` and the rest shared equally."""
    rest = (1.0 - p) / (k - 1)
    row = np.full(k, rest)
    row[winner] = p
    return row


def test_the_palette_has_six_distinct_colours_and_keeps_the_binary_orange_and_blue():
    assert len(CLASS_COLOURS) >= 6
    assert CLASS_COLOURS[0] == (0xE8, 0x87, 0x1E) and CLASS_COLOURS[1] == (0x1F, 0x77, 0xB4)
    for a, b in itertools.combinations(CLASS_COLOURS[:6], 2):
        assert np.linalg.norm(np.subtract(a, b)) > 80, f"{a} and {b} are too alike"
    heats = [heat_colour(colour) for colour in CLASS_COLOURS[:6]]  # the heatmap's sure colours too
    for a, b in itertools.combinations(heats, 2):
        assert np.linalg.norm(a - b) > 40, f"heatmap colours {a} and {b} are too alike"


@pytest.mark.parametrize("k", [3, 4, 6])
def test_class_image_takes_the_arg_max_colour_and_darkens_as_the_probability_grows(k):
    ps = np.linspace(1.0 / k, 1.0, 12)
    for c in range(k):
        probabilities = np.stack([probabilities_for(c, p, k) for p in ps])[None]  # (1, 12, k)
        image = class_image(probabilities)
        assert image.shape == (1, 12, 4) and image.dtype == np.uint8
        assert np.all(image[..., 3] == 255)
        lightness = luminance(image[0])
        assert np.all(np.diff(lightness) < 0), f"class {c}: lightness not decreasing in p: {lightness}"
        assert np.abs(image[0, 0, :3].astype(int) - MIDDLE).max() <= 1  # undecided: near white
        full = image[0, -1, :3].astype(float)
        towards = np.asarray(CLASS_COLOURS[c], dtype=float) - np.asarray(MIDDLE, dtype=float)
        assert np.abs(full - heat_colour(CLASS_COLOURS[c])).max() <= 1  # sure: the class's heatmap colour
        assert np.dot(full - MIDDLE, towards) > 0  # on the way from the near white to the class colour


def test_discretized_class_image_is_the_hard_class_colour_everywhere():
    k = 3
    probabilities = np.array([[probabilities_for(0, 0.4, k), probabilities_for(0, 1.0, k)],
                              [probabilities_for(2, 0.5, k), probabilities_for(2, 0.99, k)]])  # fmt: skip
    hard = class_image(probabilities, discretize=True)
    assert np.array_equal(hard[0, 0], hard[0, 1]) and np.array_equal(hard[1, 0], hard[1, 1])
    assert not np.array_equal(hard[0, 0], hard[1, 0])
    soft = class_image(probabilities)
    assert not np.array_equal(soft[0, 0], soft[0, 1])


def test_class_image_refuses_a_wrong_class_count_and_leaves_non_finite_cells_transparent():
    with pytest.raises(ValueError, match="classes"):
        class_image(np.ones((2, 2, 1)))
    probabilities = np.full((2, 2, 3), 1 / 3)
    probabilities[1, 1] = np.nan
    image = class_image(probabilities)
    assert image[1, 1, 3] == 0 and image[0, 0, 3] == 255


def test_class_margins_are_positive_exactly_where_the_class_wins():
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(4), size=(5, 7))
    margins = class_margins(probabilities)
    winner = probabilities.argmax(axis=-1)
    assert np.array_equal(margins.argmax(axis=-1), winner)
    assert np.all((margins > 0) == (np.arange(4) == winner[..., None]))


def old_binary_pixels(grid: np.ndarray) -> np.ndarray:
    """What the decision plot drew before (its code at the time): a col-major `ImageItem` of the float output
    with the orange–white–blue `ColorMap` and levels (0, 1), rendered by pyqtgraph; RGBA as ``grid[i, j]``."""
    item = pg.ImageItem(axisOrder="col-major")
    item.setColorMap(pg.ColorMap([0.0, 0.5, 1.0], ["#f6c089", "#f4f4f4", "#8fbde0"]))
    item.setImage(grid, autoLevels=False, levels=(0.0, 1.0))
    item.render()
    qimage = item.qimage.convertToFormat(item.qimage.Format.Format_RGBA8888)
    return pg.functions.ndarray_from_qimage(qimage).swapaxes(0, 1).copy()  # (row y, col x) → [x, y]


def test_binary_value_image_is_pixel_for_pixel_the_old_heatmap(qapp):
    rng = np.random.default_rng(7)
    grid = np.concatenate([rng.random(500), np.linspace(-0.2, 1.2, 100)]).reshape(20, 30)
    grid[0, :6] = [0.0, 0.5, 1.0, 1 / 256, 255 / 256, 0.999999]
    assert np.array_equal(value_image(grid, 0.0, 1.0), old_binary_pixels(grid))


def test_discretized_value_image_thresholds_at_the_middle():
    grid = np.array([[0.1, 0.49, 0.5, 0.9]])
    hard = value_image(grid, 0.0, 1.0, discretize=True)
    assert np.array_equal(hard, value_image(np.array([[0.0, 0.0, 1.0, 1.0]]), 0.0, 1.0))
    signs = value_image(np.array([[-0.3, -1e-9, 0.0, 0.7]]), -1.0, 1.0, discretize=True)
    assert np.array_equal(signs, value_image(np.array([[-1.0, -1.0, 1.0, 1.0]]), -1.0, 1.0))


def test_regression_scale_runs_orange_to_blue_over_the_targets_range():
    assert value_range(np.array([-0.4, 0.9])) == (-1.0, 1.0)
    assert value_range(np.array([-3.0, 0.5, np.nan])) == (-3.0, 3.0)
    values = np.linspace(-1.0, 1.0, 9)[None]
    image = value_image(values, -1.0, 1.0)
    blue_minus_red = image[0, :, 2].astype(int) - image[0, :, 0].astype(int)
    assert np.all(np.diff(blue_minus_red) >= 0) and blue_minus_red[0] < 0 < blue_minus_red[-1]
    points = value_colours(np.array([-1.0, 0.0, 1.0]), -1.0, 1.0)
    assert tuple(points[0, :3]) == CLASS_COLOURS[0] and tuple(points[-1, :3]) == CLASS_COLOURS[1]
    assert np.all(points[:, 3] == 255)
    nan_image = value_image(np.array([[np.nan, 0.0]]), -1.0, 1.0)
    assert nan_image[0, 0, 3] == 0 and nan_image[0, 1, 3] == 255
