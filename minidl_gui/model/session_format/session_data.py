"""`SessionData`: what a session file holds, in memory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from torch import Tensor


@dataclass(frozen=True, eq=False)
class SessionData:
    """Everything needed to reopen a training and continue it exactly, with tensors in memory.

    ``config`` is the app's configuration as JSON data and ``seed`` its network seed (or None);
    ``train`` and ``test`` are the points, ``(x, y)`` float32 tensors of shapes ``(n, 2)`` and ``(n, 1)``;
    ``history`` holds equal-length columns (one value per epoch); ``trainer`` is `Trainer.state_dict()`
    (weights, optimizer and scheduler state, epoch, elapsed seconds, batch size, shuffle state);
    ``gradient_norms`` is one row per history epoch of per-layer gradient norms (finite numbers, None
    where unknown), or None when the file had none; ``problem`` is what the model learns, as
    ``str(minidl.Problem)`` (``"binary"``: files written before problems existed are binary).
    """

    config: dict[str, Any]
    seed: int | None
    train: tuple[Tensor, Tensor]
    test: tuple[Tensor, Tensor] | None
    history: dict[str, list[float | int | None]]
    trainer: dict[str, Any]
    gradient_norms: list[list[float | None]] | None = None
    problem: str = "binary"

    @property
    def epoch(self) -> int:
        """The number of epochs trained."""
        return self.trainer["epoch"]
