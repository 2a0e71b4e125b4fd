"""The data sets by name, the problem each one poses, and `make_dataset`, the one way to draw one by name."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from minidl.data.datasets import make_blobs, make_circles, make_disc, make_gaussians, make_spiral, make_xor
from minidl.data.regression_sets import make_multi_gauss, make_plane
from minidl.factory import Device
from minidl.problem import Problem

DATASETS: dict[str, Callable[..., tuple[Tensor, Tensor]]] = {
    "disc": make_disc,
    "circles": make_circles,
    "xor": make_xor,
    "gaussians": make_gaussians,
    "spiral": make_spiral,
    "blobs": make_blobs,
    "plane": make_plane,
    "multi_gauss": make_multi_gauss,
}

_CLASS_KEYWORD = {"blobs": "classes", "spiral": "arms"}
"""The keyword that chooses the class count of each set that takes one."""
CLASS_CHOICE = tuple(_CLASS_KEYWORD)
"""The sets whose class count is chosen: ``classes=`` of `make_blobs`, ``arms=`` of `make_spiral`."""
_DEFAULT_CLASSES = {"blobs": 3, "spiral": 2}
REGRESSION_SETS = ("plane", "multi_gauss")


def _check_name(name: str) -> None:
    if name not in DATASETS:
        raise ValueError(f"Unknown data set {name!r}: choose one of {', '.join(DATASETS)}")


def dataset_problem(name: str, classes: int | None = None) -> Problem:
    """The problem the data set ``name`` poses with ``classes`` classes (None: the set's own).

    `CLASS_CHOICE` sets take 2 … `minidl.problem.MAX_CLASSES` classes (default: blobs 3, spiral 2); the other
    classification sets are binary, the `REGRESSION_SETS` regressions. ValueError, one line, for an unknown name
    or a class count the set cannot take.
    """
    _check_name(name)
    if name in CLASS_CHOICE:
        count = _DEFAULT_CLASSES[name] if classes is None else classes
        try:
            return Problem.classification(count)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{name}: {error}") from None
    problem = Problem.regression() if name in REGRESSION_SETS else Problem.classification(2)
    if classes is not None and (name in REGRESSION_SETS or classes != problem.classes):
        raise ValueError(
            f"{name} is a {problem.adjective} set: a class count ({classes}) is taken only by "
            f"{' and '.join(CLASS_CHOICE)}"
        )
    return problem


def make_dataset(
    name: str,
    n: int,
    *,
    seed: int | None = None,
    noise: float | None = None,
    classes: int | None = None,
    device: Device | None = None,
    dtype: torch.dtype | None = None,
) -> tuple[Tensor, Tensor]:
    """The data set ``name`` (a key of `DATASETS`) on ``device`` in ``dtype`` (see the generators);
    ``noise=None`` keeps that set's default, ``classes=None`` its class count (see `dataset_problem`)."""
    dataset_problem(name, classes)
    kwargs: dict[str, float | int] = {} if noise is None else {"noise": noise}
    if classes is not None and name in CLASS_CHOICE:
        kwargs[_CLASS_KEYWORD[name]] = classes
    return DATASETS[name](n, seed=seed, device=device, dtype=dtype, **kwargs)
