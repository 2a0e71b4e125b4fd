"""Each input feature's label, formula and field over the plotted domain: what the Network group's
checkboxes and the network diagram's input nodes show.

A feature (`minidl.features`) is a function of the point, computed on the centred coordinates
x̃ = x − 0.5: x̃₁, x̃₂, x̃₁², x̃₂², x̃₁·x̃₂, sin(2π x̃₁), sin(2π x̃₂). Its field over a grid of cell centres is
``field[i, j] = feature(xs[i], ys[j])``, the decision grid's orientation (`Snapshot.grid`), so one image
item draws both the same way. Computed with `minidl.features.feature_values`, the very function the
model's `Features` module applies: the thumbnails cannot disagree with what the network is fed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from minidl.features import FEATURE_NAMES, feature_values
from minidl_gui.model.contour import cell_centres

FEATURE_LABELS = {
    "x1": "X₁",
    "x2": "X₂",
    "x1^2": "X₁²",
    "x2^2": "X₂²",
    "x1*x2": "X₁X₂",
    "sin(x1)": "sin(X₁)",
    "sin(x2)": "sin(X₂)",
}
"""TensorFlow Playground's labels of the features, by `FEATURE_NAMES` name."""

FEATURE_FORMULAS = {
    "x1": "x̃₁ = x₁ − 0.5",
    "x2": "x̃₂ = x₂ − 0.5",
    "x1^2": "x̃₁² = (x₁ − 0.5)²",
    "x2^2": "x̃₂² = (x₂ − 0.5)²",
    "x1*x2": "x̃₁·x̃₂ = (x₁ − 0.5)(x₂ − 0.5)",
    "sin(x1)": "sin(2π x̃₁) = sin(2π (x₁ − 0.5))",
    "sin(x2)": "sin(2π x̃₂) = sin(2π (x₂ − 0.5))",
}
"""Each feature as a formula of the point (x₁, x₂), on the centred coordinates x̃ = x − 0.5."""


def feature_tip(name: str) -> str:
    """A tooltip: the feature's formula and where the coordinates are centred."""
    return f"Input feature {FEATURE_LABELS[name]}: {FEATURE_FORMULAS[name]} (centred on the unit square's middle)"


FIELD_SIZE = 32
"""Cells per side of a feature thumbnail: a smooth picture at the diagram's node size, cheap to compute."""


def grid_axes(extent: tuple[float, float, float, float], size: int = FIELD_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """The ``size`` cell centres along x and along y of ``extent`` ``(x_min, x_max, y_min, y_max)``
    (`cell_centres` of a ``size`` × ``size`` grid)."""
    return cell_centres(extent, (size, size))


def feature_fields(names: Sequence[str], xs: np.ndarray, ys: np.ndarray) -> dict[str, np.ndarray]:
    """``{name: field}`` with ``field[i, j]`` the feature ``name`` at ``(xs[i], ys[j])``, shape
    ``(len(xs), len(ys))``, float64. Unknown names raise `minidl.features`' ValueError."""
    gx, gy = np.meshgrid(np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64), indexing="ij")
    points = torch.from_numpy(np.column_stack([gx.ravel(), gy.ravel()]))
    values = feature_values(tuple(names), points).numpy()
    return {name: values[:, k].reshape(gx.shape) for k, name in enumerate(names)}


def all_feature_fields(extent: tuple[float, float, float, float], size: int = FIELD_SIZE) -> dict[str, np.ndarray]:
    """Every feature of `FEATURE_NAMES` over ``extent``, ``size`` × ``size`` cells."""
    return feature_fields(FEATURE_NAMES, *grid_axes(extent, size))
