"""Optimizers: `SGD` and `Adam`, with PyTorch's exact update rules.

Both take ``model.param()`` (a list of ``(parameter, gradient)`` pairs). Hyperparameters are plain
attributes, validated on every assignment, so they can be changed between steps (the app tweaks
them live). When the parameters are views of one flat buffer (as `Sequential` makes them) the
update runs on that buffer alone. After the model moves (`Module.to`) the next step, ``zero_grad`` or
state-dict call finds its parameters again and moves the state buffers to their device and dtype.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor

from minidl import _flat
from minidl._flat import flat_span

ParamPairs = list[tuple[Tensor, Tensor]]


class _Hyperparameter:
    """A validated float attribute: ``lr = _Hyperparameter("learning rate", minimum=0.0)``."""

    def __init__(self, label: str, minimum: float = 0.0, below: float | None = None) -> None:
        self.label, self.minimum, self.below = label, minimum, below

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = "_" + name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return self if instance is None else getattr(instance, self.attribute)

    def __set__(self, instance: Any, value: float) -> None:
        setattr(instance, self.attribute, self.validate(value))

    def validate(self, value: float) -> float:
        """``value`` as a float, or a torch-like ValueError if it is out of range."""
        value = float(value)
        too_big = self.below is not None and value >= self.below
        if not math.isfinite(value) or value < self.minimum or too_big:
            bounds = f">= {self.minimum}" + (f" and < {self.below}" if self.below is not None else "")
            raise ValueError(f"Invalid {self.label}: {value} (must be {bounds})")
        return value


class Optimizer:
    """Owns the parameter/gradient pairs; subclasses write only ``_update`` (the rule)."""

    lr = _Hyperparameter("learning rate")
    weight_decay = _Hyperparameter("weight_decay value")
    l1 = _Hyperparameter("l1 value")
    _state_names: tuple[str, ...] = ()
    #: The constructor's keyword arguments after ``params``; each is also a live, validated attribute.
    hyperparameter_names: tuple[str, ...] = ("lr", "weight_decay", "l1")

    def __init__(self, params: ParamPairs, lr: float, weight_decay: float, l1: float) -> None:
        params = list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list: pass model.param() of a model with layers")
        for index, pair in enumerate(params):
            if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(t, Tensor) for t in pair)):
                raise TypeError(f"optimizer parameter {index} is not a (parameter, gradient) pair: pass model.param()")
        self.lr, self.weight_decay, self.l1 = lr, weight_decay, l1
        self._pairs = params
        self._params, self._grads = _layout(params)
        self._moves_seen = _flat.moves
        self.step_count = 0
        self._state: dict[str, list[Tensor]] = {}

    def zero_grad(self) -> None:
        """Set every gradient to zero."""
        if self._moves_seen != _flat.moves:
            self._follow_moves()
        torch._foreach_zero_(self._grads)

    def step(self) -> None:
        """Apply one update to every parameter from its current gradient."""
        if self._moves_seen != _flat.moves:
            self._follow_moves()
        self.step_count += 1
        self._update(self._regularised_grads())

    def _follow_moves(self) -> None:
        """Since some module moved (`Module.to`): find the parameters' layout again (one flat buffer or
        separate tensors) and put every state buffer on its parameter's device and dtype, values kept."""
        shapes = [p.shape for p, _ in self._pairs]
        per_parameter = {name: _split(buffers, shapes) for name, buffers in self._state.items()}
        self._params, self._grads = _layout(self._pairs)
        with torch.inference_mode(False):
            self._state = {name: _lay_out(chunks, self._params) for name, chunks in per_parameter.items()}
        self._moves_seen = _flat.moves

    # The per-step code reads hyperparameters from their validated storage (``_lr`` for ``lr``):
    # the descriptor call would cost as much as a small tensor operation.
    def _regularised_grads(self) -> list[Tensor]:
        """g + weight_decay · p + l1 · sign(p) (new tensors only when a penalty is on)."""
        grads = self._grads
        if self._weight_decay:
            grads = torch._foreach_add(grads, self._params, alpha=self._weight_decay)
        if self._l1:
            grads = torch._foreach_add(grads, torch._foreach_sign(self._params), alpha=self._l1)
        return grads

    def _update(self, grads: list[Tensor]) -> None:
        raise NotImplementedError

    def reset_state(self) -> None:
        """Forget momentum/moment buffers and the step count, as a freshly built optimizer."""
        self._state.clear()
        self.step_count = 0

    def params_and_state(self) -> list[Tensor]:
        """The live tensors that define where training is: parameters, then every state buffer."""
        if self._moves_seen != _flat.moves:
            self._follow_moves()
        return self._params + [b for buffers in self._state.values() for b in buffers]

    def _buffer(self, name: str) -> list[Tensor]:
        if name not in self._state:
            # Normal tensors even when the first step runs in inference mode (as the Trainer's do),
            # so later steps outside it may still update them in place.
            with torch.inference_mode(False):
                self._state[name] = [torch.zeros_like(p) for p in self._params]
        return self._state[name]

    # -- state dicts ---------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Hyperparameters, the step count and per-parameter state buffers (copies)."""
        if self._moves_seen != _flat.moves:
            self._follow_moves()
        shapes = [p.shape for p, _ in self._pairs]
        state = {name: [chunk.clone() for chunk in _split(buffers, shapes)] for name, buffers in self._state.items()}
        hyper = {name: getattr(self, name) for name in self.hyperparameter_names}
        return {"type": type(self).__name__, "hyperparameters": hyper, "step": self.step_count, "state": state}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what `state_dict` returned, so training continues on the same trajectory.

        The state buffers are copied into the parameters' own device and dtype, wherever they were saved.
        All or nothing: if anything in ``state_dict`` is refused, the optimizer is left exactly as it was.
        """
        if state_dict.get("type") != type(self).__name__:
            raise ValueError(f"state_dict is for {state_dict.get('type')!r}, not {type(self).__name__}")
        before = dict(vars(self))  # hyperparameters, step count and the state dict object (replaced, not mutated)
        try:
            self._load(state_dict)
        except BaseException:
            vars(self).clear()
            vars(self).update(before)
            raise

    def _load(self, state_dict: dict[str, Any]) -> None:
        for name, value in state_dict["hyperparameters"].items():
            setattr(self, name, value)
        self.step_count = int(state_dict["step"])
        if self._moves_seen != _flat.moves:
            self._follow_moves()
        shapes = [p.shape for p, _ in self._pairs]
        self._state = {}
        for name, chunks in state_dict["state"].items():
            if name not in self._state_names:
                raise ValueError(f"unexpected optimizer state {name!r} for {type(self).__name__}")
            if len(chunks) != len(shapes) or any(c.shape != s for c, s in zip(chunks, shapes, strict=True)):
                raise ValueError(f"optimizer state {name!r} does not match the model's parameter shapes")
            for target, chunk in zip(_split(self._buffer(name), shapes), chunks, strict=True):
                target.copy_(chunk)

    def extra_repr(self) -> str:
        return ", ".join(f"{name}={getattr(self, name)}" for name in self.hyperparameter_names)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


def _layout(pairs: ParamPairs) -> tuple[list[Tensor], list[Tensor]]:
    """The tensors an update runs on: the flat buffers the parameters and gradients tile, else each one."""
    flat_p = flat_span([p for p, _ in pairs])
    flat_g = flat_span([g for _, g in pairs])
    if flat_p is not None and flat_g is not None:
        return [flat_p], [flat_g]
    return [p for p, _ in pairs], [g for _, g in pairs]


def _lay_out(chunks: list[Tensor], params: list[Tensor]) -> list[Tensor]:
    """Per-parameter state ``chunks`` as state buffers shaped, placed and typed as ``params``."""
    if len(chunks) == len(params):
        return [c.to(device=p.device, dtype=p.dtype).reshape(p.shape) for c, p in zip(chunks, params, strict=True)]
    flat = params[0]
    return [torch.cat([c.reshape(-1).to(device=flat.device, dtype=flat.dtype) for c in chunks])]


def _split(buffers: list[Tensor], shapes: list[torch.Size]) -> list[Tensor]:
    """Per-parameter views of state buffers that may be one flat buffer or one per parameter."""
    if len(buffers) == len(shapes):
        return [b.view(s) for b, s in zip(buffers, shapes, strict=True)]
    sizes = [math.prod(s) for s in shapes]
    return [chunk.view(s) for chunk, s in zip(buffers[0].split(sizes), shapes, strict=True)]


class SGD(Optimizer):
    """Stochastic gradient descent, PyTorch's rule.

    g ← ∇ + λ p (+ l1 · sign p); with momentum μ: b ← g on the first step, else b ← μ b + (1 − τ) g;
    g ← g + μ b if nesterov else b; then p ← p − γ g.
    """

    momentum = _Hyperparameter("momentum value")
    dampening = _Hyperparameter("dampening value")
    _state_names = ("momentum_buffer",)
    hyperparameter_names = ("lr", "momentum", "dampening", "nesterov", "weight_decay", "l1")

    def __init__(
        self,
        params: ParamPairs,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
        l1: float = 0.0,
    ) -> None:
        self.momentum, self.dampening, self.nesterov = momentum, dampening, nesterov
        super().__init__(params, lr, weight_decay, l1)

    @property
    def nesterov(self) -> bool:
        return self._nesterov

    @nesterov.setter
    def nesterov(self, value: bool) -> None:
        if value and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        self._nesterov = bool(value)

    def _update(self, grads: list[Tensor]) -> None:
        momentum = self._momentum
        if momentum:
            first = "momentum_buffer" not in self._state
            buffers = self._buffer("momentum_buffer")
            if first:
                torch._foreach_copy_(buffers, grads)
            else:
                torch._foreach_mul_(buffers, momentum)
                torch._foreach_add_(buffers, grads, alpha=1 - self._dampening)
            grads = torch._foreach_add(grads, buffers, alpha=momentum) if self._nesterov else buffers
        lr = self._lr
        for param, grad in zip(self._params, grads, strict=True):
            param.add_(grad, alpha=-lr)


class Adam(Optimizer):
    """Adam (Kingma & Ba), PyTorch's rule with bias correction by βᵗ.

    g ← ∇ + λ p (+ l1 · sign p); m ← β₁ m + (1 − β₁) g; v ← β₂ v + (1 − β₂) g²;
    p ← p − γ/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
    """

    beta1 = _Hyperparameter("beta parameter at index 0", below=1.0)
    beta2 = _Hyperparameter("beta parameter at index 1", below=1.0)
    eps = _Hyperparameter("epsilon value")
    _state_names = ("exp_avg", "exp_avg_sq")
    hyperparameter_names = ("lr", "betas", "eps", "weight_decay", "l1")

    def __init__(
        self,
        params: ParamPairs,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        l1: float = 0.0,
    ) -> None:
        self.betas = betas
        self.eps = eps
        super().__init__(params, lr, weight_decay, l1)

    @property
    def betas(self) -> tuple[float, float]:
        return (self.beta1, self.beta2)

    @betas.setter
    def betas(self, value: tuple[float, float]) -> None:
        beta1, beta2 = value
        # Both checked before either is stored: a refused pair leaves the old betas in place.
        self._beta1, self._beta2 = Adam.beta1.validate(beta1), Adam.beta2.validate(beta2)

    def _update(self, grads: list[Tensor]) -> None:
        beta1, beta2, t = self._beta1, self._beta2, self.step_count
        # m̂ / (√v̂ + ε) = c m / (√v + c ε) with c = √(1 − β₂ᵗ): one tensor operation fewer.
        c = math.sqrt(1 - beta2**t)
        step_size, eps = self._lr * c / (1 - beta1**t), self._eps * c
        state = zip(self._params, grads, self._buffer("exp_avg"), self._buffer("exp_avg_sq"), strict=True)
        for param, grad, exp_avg, exp_avg_sq in state:
            exp_avg.lerp_(grad, 1 - beta1)
            exp_avg_sq.lerp_(grad.square(), 1 - beta2)  # = β₂ v + (1 − β₂) g², without a scalar product
            param.addcdiv_(exp_avg, exp_avg_sq.sqrt().add_(eps), value=-step_size)


OPTIMIZERS: dict[str, type[Optimizer]] = {"sgd": SGD, "adam": Adam}
