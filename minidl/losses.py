"""Losses with mean reduction, as PyTorch's defaults.

``loss = criterion.forward(prediction, target)`` returns a 0-dim tensor; ``criterion.backward()``
then returns ∂loss/∂prediction, shaped like the prediction. N is the number of elements, except for
`CrossEntropyLoss`, whose targets are class indices (``class_targets``) and whose N is the batch size.
"""

from __future__ import annotations

import torch
from torch import Tensor

from minidl.module import Module

# PyTorch's binary_cross_entropy_backward guards its denominator with the same epsilon.
_BCE_EPS = 1e-12
_LOG_FLOOR = -100.0


class _Loss(Module):
    """A loss: ``forward(prediction, target)`` → 0-dim tensor; ``backward()`` → ∂loss/∂prediction.

    ``class_targets`` says what the target is: False, a float tensor shaped like the prediction; True, the
    class indices, a (N,) int64 tensor (the `Trainer` hands such a loss ``y.view(-1).long()``).
    """

    class_targets: bool = False

    def __init__(self) -> None:
        super().__init__()
        self._prediction: Tensor | None = None
        self._target: Tensor | None = None

    def forward(self, prediction: Tensor, target: Tensor) -> Tensor:
        self._check(prediction, target)
        self._prediction, self._target = prediction, target
        return self._loss(prediction, target)

    def _check(self, prediction: Tensor, target: Tensor) -> None:
        """ValueError saying what to do when ``target`` does not fit ``prediction``."""
        if prediction.shape != target.shape:
            raise ValueError(
                f"{type(self).__name__}: prediction shape {tuple(prediction.shape)} and target shape "
                f"{tuple(target.shape)} differ; reshape the target to match (e.g. y.view(-1, 1))"
            )

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


class CrossEntropyLoss(_Loss):
    """Cross-entropy of logits z (N, k) against class indices t (N,) int64, PyTorch's contract and numbers:

    L = mean_n(logsumexp(z_n) − z_n,t_n), with the log-sum-exp shifted by the row's maximum (no overflow for
    any finite logits); ∂L/∂z = (softmax(z) − onehot(t)) / N.
    """

    class_targets = True

    def __init__(self) -> None:
        super().__init__()
        self._eye: Tensor | None = None

    def _check(self, prediction: Tensor, target: Tensor) -> None:
        name = type(self).__name__
        if prediction.dim() != 2:
            raise ValueError(f"{name} takes logits of shape (N, k), got shape {tuple(prediction.shape)}")
        if target.dtype.is_floating_point or target.dtype.is_complex or target.dtype == torch.bool:
            raise ValueError(
                f"{name} takes class indices, a (N,) int64 target, got {str(target.dtype).removeprefix('torch.')} "
                f"of shape {tuple(target.shape)}: pass y.view(-1).long()"
            )
        if target.shape != prediction.shape[:1]:
            raise ValueError(
                f"{name}: target shape {tuple(target.shape)} does not fit logits of shape {tuple(prediction.shape)}: "
                f"the target holds one class index per row, shape ({prediction.shape[0]},) (e.g. y.view(-1).long())"
            )
        classes = prediction.shape[1]
        if target.numel() and bool(((target < 0) | (target >= classes)).any()):
            low, high = int(target.min()), int(target.max())
            raise ValueError(
                f"{name}: class indices must be in 0..{classes - 1} for {classes} logits, got {low}..{high}"
            )

    def _loss(self, prediction: Tensor, target: Tensor) -> Tensor:
        picked = prediction.gather(1, target.view(-1, 1)).view(-1)
        return (torch.logsumexp(prediction, 1) - picked).mean()

    def _grad(self, prediction: Tensor, target: Tensor) -> Tensor:
        grad = torch.softmax(prediction, 1).sub_(self._identity(prediction).index_select(0, target))
        return grad if len(target) == 1 else grad.div_(len(target))

    def _identity(self, like: Tensor) -> Tensor:
        """The k×k identity in ``like``'s dtype and device, whose row t is the one-hot of class t (kept: the
        training step at batch 1 would spend as long building it as computing the gradient)."""
        eye, k = self._eye, like.shape[1]
        if eye is None or eye.shape[0] != k or eye.dtype != like.dtype or eye.device != like.device:
            with torch.inference_mode(False):
                eye = self._eye = torch.eye(k, dtype=like.dtype, device=like.device)
        return eye


LOSSES: dict[str, type[_Loss]] = {
    "mse": MSELoss,
    "mae": MAELoss,
    "bce": BCELoss,
    "bce_logits": BCEWithLogitsLoss,
    "cross_entropy": CrossEntropyLoss,
}
