"""Learning-rate schedules with PyTorch's formulas; call ``scheduler.step()`` once per epoch.

A schedule is the one owner of its optimizer's rate: ``optimizer.lr`` is always ``lr_at(last_epoch)``,
the base rate ``base_lr`` scaled by the schedule's factor of the epoch count. Every change of the state
(``step()``, a new ``base_lr`` or ``last_epoch``, ``load_state_dict``) puts the rate it gives in force at
once, so a live change of the base rate is decayed from the very next optimizer step.
"""

from __future__ import annotations

import inspect
import math
from typing import Any

from minidl.optim import Optimizer


class LRScheduler:
    """Owns ``optimizer.lr``: the rate in force is ``lr_at(last_epoch)``; subclasses write only ``lr_at``.

    It starts at epoch 0 from the optimizer's rate as its ``base_lr`` (every schedule's factor at epoch 0
    is 1, so the rate does not change). Setting ``base_lr`` or ``last_epoch`` applies the new rate at once;
    a refused value (an invalid learning rate) changes nothing.
    """

    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        self._base_lr = optimizer.lr
        self._last_epoch = 0

    @property
    def base_lr(self) -> float:
        """The rate at epoch 0, which the schedule scales; setting it rescales the rate in force at once."""
        return self._base_lr

    @base_lr.setter
    def base_lr(self, value: float) -> None:
        self._change(_base_lr=Optimizer.lr.validate(value))

    @property
    def last_epoch(self) -> int:
        """The number of epochs done; setting it (a schedule built mid-run) applies that epoch's rate at once."""
        return self._last_epoch

    @last_epoch.setter
    def last_epoch(self, value: int) -> None:
        if value < 0:
            raise ValueError(f"Invalid last_epoch: {value} (must be >= 0)")
        self._change(_last_epoch=int(value))

    def lr_at(self, epoch: int) -> float:
        """The rate this schedule gives after ``epoch`` epochs (its closed form)."""
        raise NotImplementedError

    def get_lr(self) -> float:
        """The rate of the current epoch count: ``lr_at(last_epoch)``."""
        return self.lr_at(self._last_epoch)

    def step(self) -> None:
        """End an epoch: ``last_epoch += 1``, and its rate is in force."""
        self.last_epoch += 1

    def state_dict(self) -> dict[str, Any]:
        """The base rate, the epoch count and every setting, everything but the optimizer (as in PyTorch)."""
        settings = {name: getattr(self, name) for name in _settings(type(self))}
        return {"base_lr": self._base_lr, "last_epoch": self._last_epoch, **settings}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what `state_dict` returned and put its rate in force; a state whose rate is refused (a
        step_size of 0, a negative rate) raises and changes nothing."""
        names = {"base_lr": "_base_lr", "last_epoch": "_last_epoch"}
        self._change(**{names.get(key, key): value for key, value in state_dict.items()})

    def _change(self, **attributes: Any) -> None:
        """Set ``attributes`` and apply the rate they give, or restore them all if that rate is refused."""
        before = dict(vars(self))
        vars(self).update(attributes)
        try:
            self.optimizer.lr = self.get_lr()
        except Exception:
            vars(self).clear()
            vars(self).update(before)
            raise

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

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """γ_t = γ₀ · gammaᵗ."""

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        super().__init__(optimizer)
        self.gamma = gamma

    def lr_at(self, epoch: int) -> float:
        return self.base_lr * self.gamma**epoch


class CosineAnnealingLR(LRScheduler):
    """γ_t = η_min + (γ₀ − η_min) · (1 + cos(π t / T_max)) / 2; γ₀ itself at t = 0."""

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:  # noqa: N803
        if T_max < 1:
            raise ValueError(f"Invalid T_max: {T_max} (must be >= 1)")
        super().__init__(optimizer)
        self.T_max, self.eta_min = T_max, eta_min

    def lr_at(self, epoch: int) -> float:
        if epoch == 0:
            return self.base_lr  # the formula may round η_min + (γ₀ − η_min) off γ₀; torch starts at γ₀ too
        cosine = (1 + math.cos(math.pi * epoch / self.T_max)) / 2
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
