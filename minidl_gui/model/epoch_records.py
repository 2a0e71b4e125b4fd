"""`EpochRecord` (an epoch's result with its layers' gradient norms) and `recorded_epochs`, the training generator
whose items a `Session` records — the same whether it runs on the worker's thread or in a `TrainingProcess`."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Protocol

from minidl.training import EpochProgress, EpochResult, Trainer
from minidl_gui.model.gradient_norms import gradient_norms


@dataclass(frozen=True)
class EpochRecord(EpochResult):
    """An `EpochResult` and ``gradient_norms``: ‖∂L/∂W_k‖ of each `Linear` over the training set after the epoch."""

    gradient_norms: tuple[float, ...] = ()


def recorded_epochs(
    trainer: Trainer, progress_every: float | None = None
) -> Generator[EpochRecord | EpochProgress, None, None]:
    """``trainer.run(progress_every)`` with each `EpochResult` made an `EpochRecord` (its gradient norms computed
    after the epoch, over the whole training set); `EpochProgress` items pass through. Raises what ``run`` raises."""
    for item in trainer.run(progress_every):
        if isinstance(item, EpochProgress):
            yield item
            continue
        norms = gradient_norms(trainer.model, trainer.criterion, trainer.loader.x, trainer.loader.y)
        yield EpochRecord(**vars(item), gradient_norms=tuple(norms.tolist()))


class EpochSource(Protocol):
    """Where else the epochs of `recorded_epochs` can come from (a `TrainingProcess`): the same items, with
    ``trainer`` brought to where that training is; ``stop_at`` ends the run after that epoch, and the records of an
    early-closed run that the caller did not take go to ``unseen``."""

    def epochs(
        self,
        trainer: Trainer,
        progress_every: float | None = None,
        stop_at: int | None = None,
        unseen: Callable[[EpochRecord], object] = ...,
    ) -> Generator[EpochRecord | EpochProgress, None, None]: ...
