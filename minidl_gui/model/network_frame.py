"""What the network diagram draws for one model, prepared as arrays (`NetworkFrame`, `network_frame`).

Each drawn link goes to one of a fixed set of groups by the sign of its weight and by the quarter of
``|w| / max |w|`` of its layer it falls in (its thickness bucket): the view draws each group with one
``connect="pairs"`` curve. Each neuron's fill is one of `BIAS_SHADES` shades of ``0.5 + ½·b / max |b|`` of its
layer. Pure numpy, built on the worker thread for each snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from minidl_gui.model.network_layout import DiagramLayout, diagram_layout, layer_widths, linear_weights

LINK_BUCKETS = 4
"""Thickness buckets of the links: the quarters of |w| / max |w| of their layer."""
NEGATIVE, POSITIVE = 0, 1
BIAS_SHADES = 17
"""Neuron fills are quantised to this many colours, so the symbol atlas renders each only once."""

LinkKey = tuple[int, int]
"""``(sign, bucket)`` of a group of links."""


@dataclass(frozen=True, eq=False)
class NetworkFrame:
    """The diagram of one model: its ``layout``, ``links[sign, bucket]`` the ``(2m, 2)`` end points of the links
    of each group, ``shades`` each drawn node's shade index (0 … `BIAS_SHADES` − 1; the inputs' 8, the middle) and
    ``groups`` each link's group (`link_group_ids`)."""

    layout: DiagramLayout
    links: dict[LinkKey, np.ndarray]
    shades: np.ndarray
    groups: np.ndarray


def link_group_ids(layout: DiagramLayout, weights: Sequence[np.ndarray]) -> np.ndarray:
    """Each drawn link's group, ``sign + 2·bucket``, in the order of ``layout.segments``."""
    values, strengths = [], []
    for layer, w in enumerate(weights, start=1):
        drawn = w[: layout.drawn[layer], : len(layout.sources(layer))].ravel()
        scale = float(np.max(np.abs(w))) if w.size else 0.0
        values.append(drawn)
        strengths.append(np.abs(drawn) / scale if scale > 0 else np.zeros_like(drawn))
    value = np.concatenate(values) if values else np.zeros(0)
    strength = np.concatenate(strengths) if strengths else np.zeros(0)
    strength = np.where(np.isnan(strength), 0.0, strength)  # never infinite: |w| / max |w|
    buckets = np.minimum((strength * LINK_BUCKETS).astype(int), LINK_BUCKETS - 1)
    return np.where(value >= 0, POSITIVE, NEGATIVE) + 2 * buckets


def link_groups(layout: DiagramLayout, groups: np.ndarray) -> dict[LinkKey, np.ndarray]:
    """The drawn links' end points by ``(sign, bucket)`` (every group present, maybe empty), each group's links
    in their order in ``layout.segments``; ``groups`` from `link_group_ids`."""
    order = np.argsort(groups, kind="stable")
    counts = np.bincount(groups, minlength=2 * LINK_BUCKETS)
    ends = layout.segments.reshape(-1, 2, 2)[order].reshape(-1, 2)
    pieces = np.split(ends, 2 * np.cumsum(counts)[:-1])
    return {(group % 2, group // 2): pieces[group] for group in range(2 * LINK_BUCKETS)}


def neuron_shades(layout: DiagramLayout, biases: Sequence[np.ndarray | None]) -> np.ndarray:
    """Each drawn node's shade: ``round((BIAS_SHADES − 1) · (0.5 + ½·b / max |b| of its layer))`` clipped, the
    middle for the inputs, a layer without bias or all-zero biases."""
    colors = [np.full(layout.drawn[0], 0.5)]
    for layer, bias in enumerate(biases, start=1):
        n = layout.drawn[layer]
        if bias is None:
            colors.append(np.full(n, 0.5))
            continue
        scale = float(np.max(np.abs(bias))) if bias.size else 0.0
        colors.append(0.5 + 0.5 * bias[:n] / scale if scale > 0 else np.full(n, 0.5))
    levels = np.concatenate(colors)
    levels = np.clip(np.where(np.isnan(levels), 0.5, levels), 0.0, 1.0)  # ±inf: clipped as nan_to_num's ±max
    return np.rint(levels * (BIAS_SHADES - 1)).astype(int)


def network_frame(
    weights: dict[str, np.ndarray], features: Sequence[str], max_neurons: int, layout: DiagramLayout | None = None
) -> NetworkFrame | None:
    """The frame of the model of state dict ``weights`` for the configuration's ``features``; ``layout`` is reused
    when it fits (same widths, inputs and cap). None for a model without a `Linear` layer."""
    layers = linear_weights(weights)
    if not layers:
        return None
    widths = layer_widths(layers)
    fits = layout is not None and (layout.widths, layout.features, layout.max_neurons) == (
        widths,
        tuple(features),
        max_neurons,
    )
    if layout is None or not fits:
        layout = diagram_layout(widths, features, max_neurons)
    groups = link_group_ids(layout, [w for w, _ in layers])
    return NetworkFrame(layout, link_groups(layout, groups), neuron_shades(layout, [b for _, b in layers]), groups)
