"""Learning-rate schedules with PyTorch's formulas; call ``scheduler.step()`` once per epoch."""

from __future__ import annotations

import inspect
import math
from typing import Any

from minidl.optim import Optimizer


class LRScheduler:
    """Sets ``optimizer.lr`` to ``get_lr()`` of the epoch count ``last_epoch`` after each ``step()``."""

    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.last_epoch = 0

    def get_lr(self) -> float:
        raise NotImplementedError

    def step(self) -> None:
        """End an epoch: ``last_epoch += 1``, then ``optimizer.lr = get_lr()``."""
        self.last_epoch += 1
        self.optimizer.lr = self.get_lr()

    def state_dict(self) -> dict[str, Any]:
        """Every setting and the epoch count, everything but the optimizer (as in PyTorch)."""
        return {key: value for key, value in vars(self).items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what `state_dict` returned."""
        vars(self).update(state_dict)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v}" for k, v in self.state_dict().items() if k != "last_epoch")
        return f"{type(self).__name__}({fields})"


class StepLR(LRScheduler):
    """γ_t = γ₀ · gamma^⌊t / step_size⌋."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        if step_size < 1:
            raise ValueError(f"Invalid step_size: {step_size} (must be >= 1)")
        super().__init__(optimizer)
        self.step_size, self.gamma = step_size, gamma

    def get_lr(self) -> float:
        return self.base_lr * self.gamma ** (self.last_epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """γ_t = γ₀ · gammaᵗ."""

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        super().__init__(optimizer)
        self.gamma = gamma

    def get_lr(self) -> float:
        return self.base_lr * self.gamma**self.last_epoch


class CosineAnnealingLR(LRScheduler):
    """γ_t = η_min + (γ₀ − η_min) · (1 + cos(π t / T_max)) / 2."""

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:  # noqa: N803
        if T_max < 1:
            raise ValueError(f"Invalid T_max: {T_max} (must be >= 1)")
        super().__init__(optimizer)
        self.T_max, self.eta_min = T_max, eta_min

    def get_lr(self) -> float:
        cosine = (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
        return self.eta_min + (self.base_lr - self.eta_min) * cosine


SCHEDULERS: dict[str, type[LRScheduler]] = {
    "step": StepLR,
    "exponential": ExponentialLR,
    "cosine": CosineAnnealingLR,
}
NO_SCHEDULE = "none"


def make_scheduler(name: str, optimizer: Optimizer, **settings: float | None) -> LRScheduler | None:
    """The schedule ``name`` (a key of `SCHEDULERS`) on ``optimizer``, or None for ``"none"`` (a constant lr).

    ``settings`` may hold those of every schedule (``step_size``, ``gamma``, ``T_max``, ``eta_min``), as a
    form or a command line has them: each schedule takes the ones its constructor names, and a None value
    means that constructor's default.
    """
    if name == NO_SCHEDULE:
        return None
    if name not in SCHEDULERS:
        raise ValueError(f"Unknown scheduler {name!r}: choose one of {NO_SCHEDULE}, {', '.join(SCHEDULERS)}")
    known = {setting for scheduler in SCHEDULERS.values() for setting in _settings(scheduler)}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise TypeError(f"make_scheduler() got unknown settings {unknown}: the schedules take {sorted(known)}")
    scheduler_class = SCHEDULERS[name]
    own = _settings(scheduler_class)
    return scheduler_class(optimizer, **{key: v for key, v in settings.items() if key in own and v is not None})


def _settings(scheduler_class: type[LRScheduler]) -> list[str]:
    """The constructor arguments of ``scheduler_class`` after the optimizer."""
    return list(inspect.signature(scheduler_class).parameters)[1:]
