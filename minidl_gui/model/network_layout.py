"""The network diagram's geometry (`DiagramLayout`): where each node sits and where each drawn link runs.

Column 0 holds one node per input feature (all of `FEATURE_NAMES`), spread over the tallest column's height;
column ``k`` ≥ 1 the first ``min(width_k, max_neurons)`` neurons of layer k, centred on 0, one unit apart. The
model's inputs link from the nodes of the features it takes (`model_features`). Pure numpy: the worker lays
the diagram out once per architecture and features.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from minidl.features import DEFAULT_FEATURES, FEATURE_NAMES

MAX_NEURONS = 25
"""Neurons drawn per layer (the report's 25-wide layers fit); wider layers show their first ``MAX_NEURONS``."""


def linear_weights(weights: dict[str, np.ndarray]) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """``[(W_k, b_k), …]`` of the `Linear` layers in order, from a state dict ("0.weight", "0.bias", …)."""
    names = sorted(
        (name for name, value in weights.items() if name.endswith(".weight") and value.ndim == 2), key=_index
    )
    return [(weights[name], weights.get(name[: -len("weight")] + "bias")) for name in names]


def _index(name: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in name.split(".")[:-1])


def layer_widths(layers: Sequence[tuple[np.ndarray, np.ndarray | None]]) -> tuple[int, ...]:
    """The model's layer widths, its inputs first, from its `linear_weights`."""
    return (layers[0][0].shape[1], *(w.shape[0] for w, _ in layers)) if layers else ()


def model_features(features: Sequence[str], inputs: int) -> tuple[str, ...]:
    """The features a model with ``inputs`` inputs takes: ``features`` (the configuration's) when their number
    fits, else (a snapshot of the model before a change of features reached it) the defaults or the first ones."""
    if len(features) == inputs:
        return tuple(features)
    return DEFAULT_FEATURES if inputs == len(DEFAULT_FEATURES) else FEATURE_NAMES[:inputs]


def input_positions(tallest: int) -> np.ndarray:
    """The y of each feature's node: spread over the tallest column's height (at least one unit apart)."""
    count = len(FEATURE_NAMES)
    spacing = max(1.0, tallest / count)
    return spacing * ((count - 1) / 2 - np.arange(count, dtype=float))


@dataclass(frozen=True, eq=False)
class DiagramLayout:
    """The geometry of a model of layer ``widths`` (inputs first) taking ``inputs``, laid out for the
    configuration's ``features`` with at most ``max_neurons`` per column.

    ``drawn[k]`` nodes in column k (column 0: every feature); ``positions[k]`` their ``(x, y)``;
    ``input_rows`` the nodes of column 0 that feed the model, in its input order; ``segments`` the
    ``(2·links, 2)`` end points of every drawn link, layer by layer, each ordered as ``W[:out, :in].ravel()``."""

    widths: tuple[int, ...]
    inputs: tuple[str, ...]
    features: tuple[str, ...]
    max_neurons: int
    drawn: tuple[int, ...]
    positions: tuple[np.ndarray, ...]
    input_rows: np.ndarray
    segments: np.ndarray

    @property
    def key(self) -> tuple[tuple[int, ...], tuple[str, ...], int]:
        """What the geometry depends on: the widths, the model's inputs and the cap."""
        return self.widths, self.inputs, self.max_neurons

    def sources(self, layer: int) -> np.ndarray:
        """The positions of the nodes feeding ``layer``: for the first, the nodes of the model's features."""
        return self.positions[0][self.input_rows] if layer == 1 else self.positions[layer - 1]

    @property
    def tallest(self) -> int:
        """The most nodes in a column past the inputs (at least 1)."""
        return max([*self.drawn[1:], 1])


def diagram_layout(widths: Sequence[int], features: Sequence[str], max_neurons: int = MAX_NEURONS) -> DiagramLayout:
    """Lay out a model of layer ``widths`` (inputs first) for the configuration's ``features``."""
    widths = tuple(int(width) for width in widths)
    inputs = model_features(features, widths[0])
    drawn = (len(FEATURE_NAMES), *(min(width, max_neurons) for width in widths[1:]))
    tallest = max([*drawn[1:], 1])
    positions = [np.column_stack([np.zeros(len(FEATURE_NAMES)), input_positions(tallest)])]
    positions += [
        np.column_stack([np.full(n, float(layer)), (n - 1) / 2 - np.arange(n, dtype=float)])
        for layer, n in enumerate(drawn[1:], start=1)
    ]
    input_rows = np.array([FEATURE_NAMES.index(name) for name in inputs], dtype=int)
    layout = DiagramLayout(
        widths, inputs, tuple(features), max_neurons, drawn, tuple(positions), input_rows, np.zeros((0, 2))
    )
    segments = [_layer_segments(layout, k) for k in range(1, len(widths))]
    return DiagramLayout(
        widths,
        inputs,
        tuple(features),
        max_neurons,
        drawn,
        tuple(positions),
        input_rows,
        np.concatenate(segments) if segments else np.zeros((0, 2)),
    )


def _layer_segments(layout: DiagramLayout, layer: int) -> np.ndarray:
    """The ``(2·links, 2)`` end points of the drawn links into ``layer``, ordered as ``W[:out, :in].ravel()``."""
    targets, sources = layout.positions[layer], layout.sources(layer)
    out, inp = len(targets), len(sources)
    ends = np.empty((out, inp, 2, 2))
    ends[:, :, 0] = sources[None, :, :]
    ends[:, :, 1] = targets[:, None, :]
    return ends.reshape(-1, 2)
