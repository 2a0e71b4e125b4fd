"""Element-wise activations y = f(x), whose backward is ∂L/∂x = ∂L/∂y · f'(x).

Each keeps from its forward pass what its derivative needs (the input or the output). Those that
keep only their output also have ``_forward_inplace(x)``, which overwrites ``x``: `Sequential` uses it
on the fresh output of a `Linear`, never on a tensor the caller passed in.
"""

from __future__ import annotations

import torch
from torch import Tensor

from minidl.module import Module

_aten = torch.ops.aten


def _saved(module: Module, value: Tensor | None) -> Tensor:
    """What ``module`` kept from its forward pass, or a clear error if forward never ran."""
    if value is None:
        raise RuntimeError(f"{type(module).__name__}.backward() called before forward()")
    return value


class ReLU(Module):
    """y = max(x, 0); f'(x) = 1 where x > 0, else 0 (also at exactly 0, as PyTorch)."""

    def __init__(self) -> None:
        super().__init__()
        self._output: Tensor | None = None

    def forward(self, x: Tensor) -> Tensor:
        self._output = torch.relu(x)
        return self._output

    def _forward_inplace(self, x: Tensor) -> Tensor:
        self._output = x.relu_()
        return self._output

    def backward(self, grad_output: Tensor) -> Tensor:
        # y > 0 exactly where x > 0, so the output is enough to mask the gradient.
        return _aten.threshold_backward(grad_output, _saved(self, self._output), 0)


class LeakyReLU(Module):
    """y = x for x > 0, else negative_slope · x; f'(x) = 1 for x > 0, else negative_slope."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self._input: Tensor | None = None

    def forward(self, x: Tensor) -> Tensor:
        self._input = x
        return torch.where(x > 0, x, x * self.negative_slope)

    def backward(self, grad_output: Tensor) -> Tensor:
        x = _saved(self, self._input)
        return torch.where(x > 0, grad_output, grad_output * self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class ELU(Module):
    """y = x for x > 0, else α(eˣ − 1); f'(x) = 1 for x > 0, else y + α."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = alpha
        self._input: Tensor | None = None
        self._output: Tensor | None = None

    def forward(self, x: Tensor) -> Tensor:
        self._input = x
        self._output = torch.where(x > 0, x, torch.expm1(x) * self.alpha)
        return self._output

    def backward(self, grad_output: Tensor) -> Tensor:
        x = _saved(self, self._input)
        y = _saved(self, self._output)
        return torch.where(x > 0, grad_output, grad_output * (y + self.alpha))

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Tanh(Module):
    """y = tanh(x); f'(x) = 1 − y²."""

    def __init__(self) -> None:
        super().__init__()
        self._output: Tensor | None = None

    def forward(self, x: Tensor) -> Tensor:
        self._output = torch.tanh(x)
        return self._output

    def _forward_inplace(self, x: Tensor) -> Tensor:
        self._output = x.tanh_()
        return self._output

    def backward(self, grad_output: Tensor) -> Tensor:
        return _aten.tanh_backward(grad_output, _saved(self, self._output))


class Sigmoid(Module):
    """y = σ(x) = 1 / (1 + e⁻ˣ), computed without overflow for large |x|; f'(x) = y(1 − y)."""

    def __init__(self) -> None:
        super().__init__()
        self._output: Tensor | None = None

    def forward(self, x: Tensor) -> Tensor:
        self._output = torch.sigmoid(x)
        return self._output

    def _forward_inplace(self, x: Tensor) -> Tensor:
        self._output = x.sigmoid_()
        return self._output

    def backward(self, grad_output: Tensor) -> Tensor:
        return _aten.sigmoid_backward(grad_output, _saved(self, self._output))


class SiLU(Module):
    """y = x σ(x); f'(x) = σ(x) (1 + x (1 − σ(x)))."""

    def __init__(self) -> None:
        super().__init__()
        self._input: Tensor | None = None

    def forward(self, x: Tensor) -> Tensor:
        self._input = x
        return x * torch.sigmoid(x)

    def backward(self, grad_output: Tensor) -> Tensor:
        x = _saved(self, self._input)
        s = torch.sigmoid(x)
        return grad_output * s * (1 + x * (1 - s))


class Softplus(Module):
    """y = log(1 + e^(βx)) / β, linear (y = x) where βx > threshold; f'(x) = σ(βx)."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        if beta <= 0:
            raise ValueError(f"Invalid beta: {beta} (must be > 0)")
        self.beta = beta
        self.threshold = threshold
        self._input: Tensor | None = None

    def forward(self, x: Tensor) -> Tensor:
        self._input = x
        bx = x * self.beta
        smooth = torch.logaddexp(bx, torch.zeros_like(bx)) / self.beta
        return torch.where(bx > self.threshold, x, smooth)

    def backward(self, grad_output: Tensor) -> Tensor:
        bx = _saved(self, self._input) * self.beta
        return torch.where(bx > self.threshold, grad_output, grad_output * torch.sigmoid(bx))

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Identity(Module):
    """y = x; f'(x) = 1."""

    def forward(self, x: Tensor) -> Tensor:
        return x

    def backward(self, grad_output: Tensor) -> Tensor:
        return grad_output


class Softmax(Module):
    """y_i = e^(x_i) / Σ_j e^(x_j) along ``dim`` (shifted by the maximum: no overflow for any finite x).

    Backward: ∂L/∂x = y ⊙ (g − Σ_j g_j y_j) for g = ∂L/∂y. Not an element-wise activation, hence not in
    `ACTIVATIONS`: to train k classes, end the model with logits and use `CrossEntropyLoss`, which
    applies the softmax itself; this module turns those logits into probabilities.
    """

    def __init__(self, dim: int = 1) -> None:
        super().__init__()
        self.dim = dim
        self._output: Tensor | None = None

    def forward(self, x: Tensor) -> Tensor:
        self._output = torch.softmax(x, self.dim)
        return self._output

    def backward(self, grad_output: Tensor) -> Tensor:
        y = _saved(self, self._output)
        return y * (grad_output - (grad_output * y).sum(self.dim, keepdim=True))

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


ACTIVATIONS: dict[str, type[Module]] = {
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "elu": ELU,
    "tanh": Tanh,
    "sigmoid": Sigmoid,
    "silu": SiLU,
    "softplus": Softplus,
    "identity": Identity,
}
