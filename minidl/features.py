"""Input features: the raw points (N, 2) mapped to chosen columns, as TensorFlow Playground's input nodes.

Every feature is computed on the centred coordinates x̃ = x − 0.5 (the unit square's centre is the
playground's origin)::

    x1 = x̃1    x2 = x̃2    x1^2 = x̃1²    x2^2 = x̃2²    x1*x2 = x̃1·x̃2
    sin(x1) = sin(2π x̃1)    sin(x2) = sin(2π x̃2)

`Features` is the parameter-free module that sits first in a model, so the model always takes raw points:
its backward gives ∂L/∂x (N, 2) from ∂L/∂features (N, len(names)).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import torch
from torch import Tensor

from minidl.module import Module

FEATURE_NAMES: tuple[str, ...] = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
"""Every feature, in TensorFlow Playground's order."""
DEFAULT_FEATURES: tuple[str, ...] = ("x1", "x2")
"""The raw coordinates (centred): what a model without `Features` sees, shifted by −0.5."""
CENTRE = 0.5
"""Where the features' origin lies in the raw plane, on both axes."""

_TWO_PI = 2 * math.pi
Column = Callable[[Tensor, Tensor], Tensor]
Partials = Callable[[Tensor, Tensor], tuple[Tensor | float | None, Tensor | float | None]]

#: Each feature as a function of the centred columns (a, b) = (x̃1, x̃2).
_VALUES: dict[str, Column] = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1^2": lambda a, b: a * a,
    "x2^2": lambda a, b: b * b,
    "x1*x2": lambda a, b: a * b,
    "sin(x1)": lambda a, b: torch.sin(a * _TWO_PI),
    "sin(x2)": lambda a, b: torch.sin(b * _TWO_PI),
}
#: Each feature's partial derivatives (∂f/∂x1, ∂f/∂x2), None where it is 0.
_PARTIALS: dict[str, Partials] = {
    "x1": lambda a, b: (1.0, None),
    "x2": lambda a, b: (None, 1.0),
    "x1^2": lambda a, b: (2 * a, None),
    "x2^2": lambda a, b: (None, 2 * b),
    "x1*x2": lambda a, b: (b, a),
    "sin(x1)": lambda a, b: (torch.cos(a * _TWO_PI) * _TWO_PI, None),
    "sin(x2)": lambda a, b: (None, torch.cos(b * _TWO_PI) * _TWO_PI),
}


def check_features(names: Iterable[str]) -> tuple[str, ...]:
    """``names`` as a tuple, or ValueError naming the allowed ones: none, an unknown one or one given twice."""
    if isinstance(names, str):
        raise ValueError(f"features must be a sequence of names, not the string {names!r}: write ({names!r},)")
    names = tuple(names)
    allowed = ", ".join(FEATURE_NAMES)
    if not names:
        raise ValueError(f"choose at least one feature of {allowed}")
    for name in names:
        if name not in FEATURE_NAMES:
            raise ValueError(f"Unknown feature {name!r}: choose from {allowed}")
    twice = sorted({name for name in names if names.count(name) > 1}, key=FEATURE_NAMES.index)
    if twice:
        raise ValueError(f"feature {twice[0]!r} is chosen twice: choose each of {allowed} at most once")
    return names


def _centred(x: Tensor) -> tuple[Tensor, Tensor]:
    if x.dim() != 2 or x.shape[1] != 2:
        raise ValueError(f"features take raw points of shape (N, 2), got shape {tuple(x.shape)}")
    centred = x - CENTRE
    return centred[:, 0], centred[:, 1]


def feature_values(names: Sequence[str], x: Tensor) -> Tensor:
    """The features ``names`` of the raw points ``x`` (N, 2): a (N, len(names)) tensor in ``x``'s dtype, computed
    by `Features.forward` itself (what a model with these features sees)."""
    return Features(names).forward(x)


def _indices(names: tuple[str, ...]) -> list[int]:
    return [FEATURE_NAMES.index(name) for name in names]


def _names_of(indices: Tensor) -> list[str] | Tensor:
    """The feature names a buffer of indices stands for, or the indices themselves when they stand for none."""
    values = indices.tolist() if indices.dim() == 1 else None
    if values is None or not all(isinstance(i, int) and 0 <= i < len(FEATURE_NAMES) for i in values):
        return indices
    return [FEATURE_NAMES[i] for i in values]


class Features(Module):
    """The input features ``names`` (a subset of `FEATURE_NAMES`, in the order given) of raw points (N, 2).

    Forward: (N, 2) → (N, len(names)), see `minidl.features`. Backward: ∂L/∂x_i = Σ_j ∂L/∂f_j · ∂f_j/∂x_i,
    a (N, 2) tensor (None when ``needs_input_grad`` is False: a container sets it when nobody reads ∂L/∂x).
    No parameters; its state dict holds the buffer ``features``, the names' indices in `FEATURE_NAMES`
    (int64), so weights trained on other features are refused by `load_state_dict`.
    """

    _buffer_names = ("features",)

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__()
        self.names = check_features(names)
        self.in_features = 2
        self.out_features = len(self.names)
        self.features = torch.tensor(_indices(self.names), dtype=torch.int64)
        self.needs_input_grad = True
        self._values = tuple(_VALUES[name] for name in self.names)
        self._partials = tuple(_PARTIALS[name] for name in self.names)
        self._centred: tuple[Tensor, Tensor] | None = None

    def __getstate__(self) -> dict[str, object]:
        """Pickled (``torch.save`` of a model or trainer) without its functions, which are lambdas (found again by
        name when unpickled), and without the last forward pass's inputs."""
        state = dict(self.__dict__)
        del state["_values"], state["_partials"]
        state["_centred"] = None
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._values = tuple(_VALUES[name] for name in self.names)
        self._partials = tuple(_PARTIALS[name] for name in self.names)

    def forward(self, x: Tensor) -> Tensor:
        a, b = self._centred = _centred(x)
        return torch.stack([value(a, b) for value in self._values], 1)

    def backward(self, grad_output: Tensor | None) -> Tensor | None:
        if self._centred is None:
            raise RuntimeError("Features.backward() called before forward()")
        if not self.needs_input_grad or grad_output is None:
            return None
        a, b = self._centred
        grad = grad_output.new_zeros(len(a), 2)
        for column, partials in enumerate(self._partials):
            g = grad_output[:, column]
            for axis, partial in enumerate(partials(a, b)):
                if partial is not None:
                    grad[:, axis].add_(g * partial)
        return grad

    def _check_buffer(self, name: str, value: Tensor) -> None:
        same = value.dtype == torch.int64 and value.shape == self.features.shape
        if not same or not torch.equal(value.cpu(), self.features.cpu()):
            raise ValueError(
                f"the state was saved with the features {_names_of(value)}, this model takes {list(self.names)}: "
                "build the model with those features"
            )

    def extra_repr(self) -> str:
        return f"names={list(self.names)}"
