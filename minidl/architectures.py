"""Building the multilayer perceptrons this project trains."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from minidl._random import make_generator
from minidl.activations import ACTIVATIONS
from minidl.experiments import REPORT_HIDDEN
from minidl.factory import Device
from minidl.features import Features
from minidl.init import Initializer
from minidl.linear import Linear
from minidl.module import Module
from minidl.sequential import Sequential


def mlp(
    in_features: int = 2,
    hidden: Sequence[int] = REPORT_HIDDEN,
    out_features: int = 1,
    activation: str | Sequence[str] = "relu",
    output_activation: str = "identity",
    init: str | Initializer = "torch",
    *,
    init_mean: float = 0.0,
    init_std: float = 1.0,
    seed: int | None = None,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
    features: Sequence[str] | None = None,
) -> Sequential:
    """``Linear → act → … → Linear → output_activation``: the report's 2-25-25-25-1 ReLU net by default.

    ``activation`` is one name for every hidden layer or one name per hidden layer (keys of
    `minidl.activations.ACTIVATIONS`); ``seed`` makes the initial weights reproducible, the same on every
    ``device`` and ``dtype`` (None: torch's defaults, see `minidl.factory`).

    ``features`` (names of `minidl.features.FEATURE_NAMES`) puts `Features` first, so the model takes raw points
    (N, 2) and its first `Linear` takes ``len(features)`` inputs; None (the default) builds no `Features` module,
    and the model is the one this function always built (its weights too, for a seed).
    """
    names = [activation] * len(hidden) if isinstance(activation, str) else list(activation)
    if len(names) != len(hidden):
        raise ValueError(f"got {len(names)} activations for {len(hidden)} hidden layers")
    for name in [*names, output_activation]:
        if name not in ACTIVATIONS:
            raise ValueError(f"Unknown activation {name!r}: choose one of {', '.join(ACTIVATIONS)}")
    layers: list[Module] = []
    if features is not None:
        if in_features != 2:
            raise ValueError(f"features take raw points (N, 2): in_features must be 2, got {in_features}")
        layers.append(Features(features))
        in_features = len(features)
        if device is not None:
            layers[0].to(device)
    generator = make_generator(seed)
    sizes = [in_features, *hidden, out_features]
    for index, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(
            Linear(
                fan_in,
                fan_out,
                init=init,
                init_mean=init_mean,
                init_std=init_std,
                generator=generator,
                device=device,
                dtype=dtype,
            )
        )
        layers.append(ACTIVATIONS[names[index] if index < len(names) else output_activation]())
    if output_activation == "identity":
        layers.pop()
    return Sequential(*layers)
