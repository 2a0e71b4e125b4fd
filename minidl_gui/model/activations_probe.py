"""Looking inside a trained `Sequential`: every layer's output on some points, one neuron's field.

Layers are counted as the network diagram draws them: layer 0 is the input ``x`` itself, layer ``k``
is the output of the ``k``-th `Linear` block — after the activation that follows it, if any, so
for a hidden layer it is ``a_k = σ_k(W_k a_{k-1} + b_k)`` and for the last one the network's output.
"""

from __future__ import annotations

from torch import Tensor

from minidl.linear import Linear
from minidl.sequential import Sequential


def layer_outputs(model: Sequential, x: Tensor, up_to: int | None = None) -> list[Tensor]:
    """``[x, a_1, …, a_L]`` (stopping after ``a_up_to`` if given), computed child by child.

    Each child's plain ``forward`` runs (never an in-place twin), so no kept output is overwritten.
    """
    outputs = [x]
    for module in model:
        if isinstance(module, Linear):
            if up_to is not None and len(outputs) > up_to:
                break
            outputs.append(module.forward(outputs[-1]))
        else:
            outputs[-1] = module.forward(outputs[-1])
    return outputs


def layer_widths(model: Sequential, in_features: int = 2) -> list[int]:
    """The number of neurons of every diagram layer: ``[in_features, width_1, …, width_L]``."""
    return [in_features, *(module.out_features for module in model if isinstance(module, Linear))]


def neuron_field(model: Sequential, points: Tensor, layer: int, index: int) -> Tensor | None:
    """Neuron ``index`` of ``layer`` evaluated at every row of ``points``: ``a_layer[:, index]``.

    None if the network has no such neuron (a selection made before the architecture changed).
    """
    widths = layer_widths(model, points.shape[1])
    if not (0 <= layer < len(widths) and 0 <= index < widths[layer]):
        return None
    return layer_outputs(model, points, up_to=layer)[layer][:, index]
