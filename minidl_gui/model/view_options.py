"""`ViewOptions`: the view settings the worker needs to prepare what the plots draw."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ViewOptions:
    """``discretize``: the decision heatmap shows hard decisions (the arg-max class, the output thresholded at
    0.5, the sign of a prediction) instead of the model's confidence (the decision plot's "Discretize output")."""

    discretize: bool = False
