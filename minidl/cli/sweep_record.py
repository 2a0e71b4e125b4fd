"""How one run of a sweep ended: the final metrics ``minidl train --json`` reported, or why there are none.

Plain data, picklable and torch-free: it travels back from a worker process or a Dask worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RunRecord:
    """The final metrics of one run (None where it has none, e.g. no test set or no epoch trained), its
    stop reason, its wall time in seconds, and ``error``: why it failed (a divergence, a flag combination
    train refused, an exception), empty when it did not. An ``interrupted`` run (Ctrl-C) is no result:
    the sweep does not record it, so a re-run trains it again. ``test_r2``: a regression's final test R²
    (a regression has no accuracy)."""

    test_accuracy: float | None = None
    train_accuracy: float | None = None
    test_loss: float | None = None
    train_loss: float | None = None
    epochs: int | None = None
    stop_reason: str = ""
    seconds: float = 0.0
    error: str = ""
    interrupted: bool = False
    test_r2: float | None = None

    @property
    def failed(self) -> bool:
        return bool(self.error)

    @classmethod
    def from_report(cls, report: dict[str, Any], seconds: float) -> RunRecord:
        """The record of ``minidl train --json``'s output ``report`` (its ``final`` metrics; a divergence is
        the error, with the last finite epoch's metrics kept)."""
        final = report["final"]
        diverged = report.get("diverged")
        return cls(
            test_accuracy=final["test_accuracy"],
            train_accuracy=final["train_accuracy"],
            test_loss=final["test_loss"],
            train_loss=final["train_loss"],
            epochs=final["epochs"],
            stop_reason=final["stop_reason"],
            seconds=seconds,
            error=one_line(diverged["message"]) if diverged else "",
            interrupted=bool(report.get("interrupted")),
            test_r2=final.get("test_r2"),
        )


def one_line(text: str) -> str:
    """``text`` on one line (a results file holds one line per run): lines joined by ``" | "``."""
    return " | ".join(line.strip() for line in text.strip().splitlines() if line.strip())
