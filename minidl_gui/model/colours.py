"""The plots' colours as pure numpy: the class palette, the class image and the value image.

- `CLASS_COLOURS`: one colour per class, colour-blind safe, in Okabe–Ito's order; classes 0 and 1 keep the
  playground's orange and blue (TensorFlow Playground's, close to Okabe–Ito's orange and blue), so a binary
  problem looks as it always did.
- `class_image`: a k-class model's probabilities as RGBA pixels: the arg-max class's heatmap colour, mixed
  from near white (`MIDDLE`) at probability 1/k (the model cannot tell the classes apart) to the class's
  lightened colour at probability 1 (sure): ``colour = MIDDLE + t · (heat(c) − MIDDLE)`` with
  ``t = (p_max − 1/k) / (1 − 1/k)``.
- `value_image`: one output per cell on a diverging orange – near white – blue scale over ``[low, high]``:
  a binary model's output over [0, 1] (pixel for pixel what pyqtgraph drew from the same stops before: a
  256-entry lookup table, the value's entry ``⌊256 (v − low) / (high − low)⌋`` clipped to 0…255) and a
  regression's prediction over its targets' range.

Discretizing (TensorFlow Playground's "Discretize output") shows hard decisions: the arg-max class at full
strength, a value at the end of the scale on its side of the middle (the 0.5 threshold of a binary output,
the sign of a regression's prediction on [−1, 1]).
"""

from __future__ import annotations

import numpy as np

RGB = tuple[int, int, int]


def hex_rgb(colour: str) -> RGB:
    """``"#e8871e"`` → ``(232, 135, 30)``."""
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def rgb_hex(rgb: RGB) -> str:
    """``(232, 135, 30)`` → ``"#e8871e"``."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


CLASS_COLOURS: tuple[RGB, ...] = (
    hex_rgb("#e8871e"),  # orange (the playground's class 0)
    hex_rgb("#1f77b4"),  # blue (the playground's class 1)
    hex_rgb("#009e73"),  # bluish green
    hex_rgb("#cc79a7"),  # reddish purple
    hex_rgb("#f0e442"),  # yellow
    hex_rgb("#56b4e9"),  # sky blue
    hex_rgb("#d55e00"),  # vermillion
    hex_rgb("#000000"),  # black
)
"""Class i's colour (points, the confusion matrix' labels); Okabe & Ito (2008), "Color Universal Design"."""

MIDDLE = hex_rgb("#f4f4f4")
"""The heatmaps' near white: an output at the middle of the scale, a class probability of 1/k."""
VALUE_STOPS: tuple[RGB, RGB, RGB] = (hex_rgb("#f6c089"), MIDDLE, hex_rgb("#8fbde0"))
"""The value scale's low, middle and high heatmap colours: orange and blue lightened so points stay visible."""
POINT_STOPS: tuple[RGB, RGB, RGB] = (CLASS_COLOURS[0], hex_rgb("#bdbdbd"), CLASS_COLOURS[1])
"""The same scale at full strength for points coloured by their value, grey in the middle so that a point
near 0 stays visible on the near-white heatmap."""
HEAT_STRENGTH = 0.5
"""How far a sure class's heatmap colour goes from white to the class colour (points stay visible on it)."""
LUT_SIZE = 256


def heat_colour(rgb: RGB) -> np.ndarray:
    """A class colour lightened for the heatmap: ``white + HEAT_STRENGTH · (rgb − white)``, as floats."""
    return 255.0 + HEAT_STRENGTH * (np.asarray(rgb, dtype=float) - 255.0)


def lookup_table(stops: tuple[RGB, ...] = VALUE_STOPS, size: int = LUT_SIZE) -> np.ndarray:
    """``size`` RGB bytes interpolated linearly between ``stops`` spread evenly over [0, 1] (entry i at
    i / (size − 1)), truncated to whole bytes as pyqtgraph's ``ColorMap.getLookupTable`` does."""
    positions = np.linspace(0.0, 1.0, len(stops))
    colours = np.asarray(stops, dtype=float)
    x = np.linspace(0.0, 1.0, size)
    table = np.empty((size, 3), dtype=np.uint8)
    for channel in range(3):
        table[:, channel] = np.interp(x, positions, colours[:, channel])
    return table


_VALUE_LUT = lookup_table(VALUE_STOPS)
_POINT_LUT = lookup_table(POINT_STOPS)


def _opaque_words(table: np.ndarray) -> np.ndarray:
    """``table``'s RGB rows as opaque RGBA pixels, each one 32-bit word: one gather makes a whole image."""
    rgba = np.full((len(table), 4), 255, dtype=np.uint8)
    rgba[:, :3] = table
    return rgba.view(np.uint32).reshape(-1)


_VALUE_WORDS = _opaque_words(_VALUE_LUT)


def _entries(values: np.ndarray, low: float, high: float, size: int, finite: bool = False) -> np.ndarray:
    """Each value's lookup-table entry: ``⌊size (v − low) / (high − low)⌋`` clipped to 0 … size − 1 (NaN: 0).
    ``finite``: the caller knows there is no NaN (nothing to replace)."""
    span = high - low if high != low else 1.0
    values = np.asarray(values, dtype=float)
    scaled = (values if finite else np.nan_to_num(values, nan=low)) - low
    scaled *= size / span
    return np.clip(scaled, 0, size - 1, out=scaled).astype(np.intp)


def _discretized(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """``high`` where a value is at least the middle of the scale, else ``low`` (NaN stays NaN)."""
    return np.where(np.isnan(values), np.nan, np.where(values >= (low + high) / 2, high, low))


def value_range(targets: np.ndarray) -> tuple[float, float]:
    """A regression's colour scale: ``[−b, b]`` with ``b = max(1, max |target|)``: the targets' range [−1, 1]
    (TensorFlow Playground's), widened symmetrically for imported targets beyond it, so 0 stays white."""
    finite = np.asarray(targets, dtype=float)
    finite = finite[np.isfinite(finite)]
    bound = max(1.0, float(np.abs(finite).max())) if finite.size else 1.0
    return -bound, bound


def value_image(values: np.ndarray, low: float, high: float, discretize: bool = False) -> np.ndarray:
    """RGBA bytes ``(n, m, 4)`` for ``values`` ``(n, m)`` on the orange–white–blue scale over ``[low, high]``
    (clipped beyond); non-finite values are transparent. ``discretize``: each value at the end of the scale
    on its side of the middle."""
    values = np.asarray(values, dtype=float)
    finite = bool(np.isfinite(values).all())
    if not finite:
        values = np.where(np.isfinite(values), values, np.nan)
    if discretize:
        values = _discretized(values, low, high)
    words = np.ascontiguousarray(_VALUE_WORDS[_entries(values, low, high, LUT_SIZE, finite)])
    image = words.view(np.uint8).reshape(*values.shape, 4)
    if not finite:
        image[..., 3] = np.where(np.isnan(values), 0, 255)
    return image


def value_colours(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """RGBA bytes ``(n, 4)`` for points by their value: the full-strength scale (orange, white, blue) over
    ``[low, high]``, the same positions as `value_image`'s."""
    values = np.asarray(values, dtype=float).reshape(-1)
    colours = np.full((len(values), 4), 255, dtype=np.uint8)
    colours[:, :3] = _POINT_LUT[_entries(values, low, high, LUT_SIZE)]
    return colours


def class_image(probabilities: np.ndarray, discretize: bool = False) -> np.ndarray:
    """RGBA bytes ``(n, m, 4)`` for class probabilities ``(n, m, k)``: each cell in its arg-max class's
    heatmap colour, from `MIDDLE` at probability 1/k to the class's lightened colour at 1 (``discretize``:
    always the latter). Cells with a non-finite probability are transparent."""
    probabilities = np.asarray(probabilities, dtype=float)
    k = probabilities.shape[-1]
    if not 1 < k <= len(CLASS_COLOURS):
        raise ValueError(f"class_image needs 2..{len(CLASS_COLOURS)} classes in the last axis, got {k}")
    finite = np.all(np.isfinite(probabilities), axis=-1)
    safe = np.where(finite[..., None], probabilities, 0.0)
    winner = np.argmax(safe, axis=-1)
    if discretize:
        strength = np.ones(winner.shape)
    else:
        top = np.take_along_axis(safe, winner[..., None], axis=-1)[..., 0]
        strength = np.clip((top - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)
    heat = np.stack([heat_colour(colour) for colour in CLASS_COLOURS[:k]])
    middle = np.asarray(MIDDLE, dtype=float)
    rgb = middle + strength[..., None] * (heat[winner] - middle)
    image = np.empty((*winner.shape, 4), dtype=np.uint8)
    image[..., :3] = np.clip(np.rint(rgb), 0, 255)
    image[..., 3] = np.where(finite, 255, 0)
    return image


def class_margins(probabilities: np.ndarray) -> np.ndarray:
    """``(n, m, k)`` margins ``p_c − max_{c' ≠ c} p_c'``: class c wins where its margin is positive, so the
    boundaries between the classes are the margins' 0-level curves."""
    probabilities = np.asarray(probabilities, dtype=float)
    k = probabilities.shape[-1]
    margins = np.empty_like(probabilities)
    for c in range(k):
        others = np.delete(probabilities, c, axis=-1)
        margins[..., c] = probabilities[..., c] - others.max(axis=-1)
    return margins
