"""Learning-rate schedules with PyTorch's formulas; call ``scheduler.step()`` once per epoch."""

from __future__ import annotations

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
        self.last_epoch += 1
        self.optimizer.lr = self.get_lr()

    def state_dict(self) -> dict[str, Any]:
        return {key: value for key, value in vars(self).items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
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
