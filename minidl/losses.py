"""Losses with mean reduction, as PyTorch's defaults.

``loss = criterion.forward(prediction, target)`` returns a 0-dim tensor; ``criterion.backward()``
then returns ∂loss/∂prediction, shaped like the prediction. N is the number of elements.
"""

from __future__ import annotations

import torch
from torch import Tensor

from minidl.module import Module

# PyTorch's binary_cross_entropy_backward guards its denominator with the same epsilon.
_BCE_EPS = 1e-12
_LOG_FLOOR = -100.0


class _Loss(Module):
    """A loss: ``forward(prediction, target)`` → 0-dim tensor; ``backward()`` → ∂loss/∂prediction."""

    def __init__(self) -> None:
        super().__init__()
        self._prediction: Tensor | None = None
        self._target: Tensor | None = None

    def forward(self, prediction: Tensor, target: Tensor) -> Tensor:
        if prediction.shape != target.shape:
            raise ValueError(
                f"{type(self).__name__}: prediction shape {tuple(prediction.shape)} and target shape "
                f"{tuple(target.shape)} differ; reshape the target to match (e.g. y.view(-1, 1))"
            )
        self._prediction, self._target = prediction, target
        return self._loss(prediction, target)

    def backward(self, grad_output: Tensor | float = 1.0) -> Tensor:
        if self._prediction is None or self._target is None:
            raise RuntimeError(f"{type(self).__name__}.backward() called before forward()")
        grad = self._grad(self._prediction, self._target)
        if isinstance(grad_output, Tensor) or grad_output != 1.0:
            grad = grad * grad_output
        return grad

    def _loss(self, prediction: Tensor, target: Tensor) -> Tensor:
        raise NotImplementedError

    def _grad(self, prediction: Tensor, target: Tensor) -> Tensor:
        raise NotImplementedError


class MSELoss(_Loss):
    """L = mean((p − y)²); ∂L/∂p = 2 (p − y) / N."""

    def _loss(self, prediction: Tensor, target: Tensor) -> Tensor:
        diff = prediction - target
        return torch.dot(diff.view(-1), diff.view(-1)) / diff.numel()

    def _grad(self, prediction: Tensor, target: Tensor) -> Tensor:
        return (prediction - target).mul_(2.0 / prediction.numel())


class MAELoss(_Loss):
    """L = mean(|p − y|); ∂L/∂p = sign(p − y) / N (0 where p = y, as PyTorch's L1Loss)."""

    def _loss(self, prediction: Tensor, target: Tensor) -> Tensor:
        return (prediction - target).abs().mean()

    def _grad(self, prediction: Tensor, target: Tensor) -> Tensor:
        return (prediction - target).sign_().div_(prediction.numel())


class BCELoss(_Loss):
    """L = −mean(y log p + (1 − y) log(1 − p)), each log clamped at −100 so p = 0 or 1 stays finite.

    ∂L/∂p = (p − y) / max(p (1 − p), 1e-12) / N, exactly PyTorch's formula. Predictions must lie in
    [0, 1] (put a `Sigmoid` last, or use `BCEWithLogitsLoss`).
    """

    def _loss(self, prediction: Tensor, target: Tensor) -> Tensor:
        if bool(((prediction < 0) | (prediction > 1)).any()):
            raise ValueError("BCELoss needs predictions in [0, 1]: end the model with Sigmoid or use BCEWithLogitsLoss")
        log_p = torch.log(prediction).clamp_(min=_LOG_FLOOR)
        log_1mp = torch.log1p(-prediction).clamp_(min=_LOG_FLOOR)
        return -(target * log_p + (1 - target) * log_1mp).mean()

    def _grad(self, prediction: Tensor, target: Tensor) -> Tensor:
        denominator = (prediction * (1 - prediction)).clamp_(min=_BCE_EPS)
        return (prediction - target).div_(denominator).div_(prediction.numel())


class BCEWithLogitsLoss(_Loss):
    """BCE on σ(z) for logits z, computed stably: L = mean(max(z, 0) − z y + log(1 + e^−|z|)).

    ∂L/∂z = (σ(z) − y) / N.
    """

    def _loss(self, prediction: Tensor, target: Tensor) -> Tensor:
        z = prediction
        return (z.clamp(min=0) - z * target + torch.log1p(torch.exp(-z.abs()))).mean()

    def _grad(self, prediction: Tensor, target: Tensor) -> Tensor:
        return (torch.sigmoid(prediction) - target).div_(prediction.numel())


LOSSES: dict[str, type[_Loss]] = {
    "mse": MSELoss,
    "mae": MAELoss,
    "bce": BCELoss,
    "bce_logits": BCEWithLogitsLoss,
}
