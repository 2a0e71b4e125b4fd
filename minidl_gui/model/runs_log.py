"""Finished runs kept for comparison: `Run` (what a run was and how it ended) and the `RunsLog` holding them.

A run is recorded when it ends — its epochs are done, it is stopped or diverges, or a reset (or a
new model) interrupts it. It keeps its configuration, its loss and accuracy curves and, opaquely,
the saved state to restore it from (a ``SessionData``; this module never looks inside).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from minidl.features import DEFAULT_FEATURES
from minidl.formatting import percent, short_number
from minidl_gui.model.config import Config, DataConfig, NetworkConfig, TrainingConfig
from minidl_gui.model.history import COLUMNS, History

MAX_RUNS = 100
"""The log keeps the latest runs only: the oldest goes when one more arrives."""
STATES_KEPT = 20
"""Runs whose full state (for Restore, close to 1 MB each) the log keeps by default: the latest ones."""


@dataclass(frozen=True, eq=False)
class Run:
    """One ended run. ``history`` holds a copy of every `COLUMNS` column (one value per epoch);
    ``ended`` says how it ended ("done", "stopped", "diverged", "reset"..., or "diverged → done" for a run
    that trained on after diverging); ``number`` is given by the `RunsLog` (0 until then); ``saved`` is
    the state to restore, or None. A run that ``continues`` is the log's latest run, reported again
    after it trained on: it takes that run's place and number. ``config_log`` holds
    ``(epoch, config)``: the configuration it started with and each it trained with after that epoch
    (``summary`` shows what changed as ``old → new``, ``changes`` says when)."""

    config: Config
    history: dict[str, np.ndarray]
    elapsed: float
    ended: str
    saved: Any = None
    number: int = 0
    config_log: tuple[tuple[int, Config], ...] = ()
    continues: bool = False
    summary: str = field(init=False)

    def __post_init__(self) -> None:
        initial = self.config_log[0][1] if self.config_log else None
        object.__setattr__(self, "summary", summary_text(self.config, initial))

    @property
    def changes(self) -> tuple[str, ...]:
        """``after epoch 12: Adam lr 5e-3 → SGD lr 0.1``: each change of the configuration while it trained."""
        log = self.config_log
        return tuple(
            f"after epoch {epoch}: {summary_text(new, old, changed_only=True)}"
            for (_, old), (epoch, new) in zip(log, log[1:], strict=False)
        )

    @property
    def epochs(self) -> int:
        return len(self.history["epoch"])

    def final(self, name: str) -> float | None:
        """The last value of column ``name``, None when there is none (no epoch, or not measured)."""
        column = self.history[name]
        return None if len(column) == 0 or math.isnan(column[-1]) else float(column[-1])

    @property
    def label(self) -> str:
        """``run 3``: how the legend names it."""
        return f"run {self.number}"

    def metric(self, split: str) -> str:
        """The final quality on ``split`` ("train" or "test"): the accuracy of a classification (``97.3 %``), R² of
        a regression (``R² 0.993``); a dash when it was not measured."""
        if self.config.data.problem.is_classification:
            return percent(self.final(f"{split}_accuracy"))
        r2 = self.final(f"{split}_r2")
        return percent(None) if r2 is None else f"R² {r2:.3f}"


def make_run(
    config: Config,
    history: History,
    elapsed: float,
    ended: str,
    saved: Any = None,
    config_log: Sequence[tuple[int, Config]] = (),
) -> Run:
    """A `Run` with a copy of ``history``'s columns (the history itself may go on changing)."""
    columns = {name: np.array(history.column(name), dtype=float) for name in COLUMNS}
    return Run(
        config=config, history=columns, elapsed=float(elapsed), ended=ended, saved=saved, config_log=tuple(config_log)
    )


class RunsLog:
    """The ended runs, oldest first, numbered 1, 2, 3... in the order they were added."""

    def __init__(self, capacity: int = MAX_RUNS, states_kept: int = STATES_KEPT) -> None:
        self.capacity = capacity
        self.states_kept = states_kept
        """How many of the latest runs keep their saved state; older ones are listed but not restorable."""
        self._runs: list[Run] = []
        self._count = 0

    def __len__(self) -> int:
        return len(self._runs)

    def __iter__(self) -> Iterator[Run]:
        return iter(self._runs)

    def __getitem__(self, index: int) -> Run:
        return self._runs[index]

    def add(self, run: Run) -> tuple[Run, list[Run]]:
        """Number ``run`` and keep it; returns it and the runs dropped: those beyond ``capacity`` and, when
        ``run`` continues the latest run (still listed), that one, whose number it takes."""
        replaced = []
        if run.continues and self._runs and self._runs[-1].number == self._count:
            replaced.append(self._runs.pop())
        else:
            self._count += 1
        run = replace(run, number=self._count)
        self._runs.append(run)
        dropped = self._runs[: max(0, len(self._runs) - self.capacity)]
        del self._runs[: len(dropped)]
        return run, replaced + dropped

    def drop_old_states(self) -> list[Run]:
        """Forget the saved states of all but the latest `states_kept` runs that have one; returns those
        runs as they are now (listed, with ``saved`` None)."""
        saving = [index for index, run in enumerate(self._runs) if run.saved is not None]
        dropped = saving[: max(0, len(saving) - self.states_kept)]
        for index in dropped:
            self._runs[index] = replace(self._runs[index], saved=None)
        return [self._runs[index] for index in dropped]

    def remove(self, run: Run) -> None:
        """Forget ``run`` (ValueError if it is not in the log)."""
        self._runs.remove(run)

    def clear(self) -> None:
        self._runs.clear()

    def by_number(self, number: int) -> Run | None:
        return next((run for run in self._runs if run.number == number), None)


# -- summaries -----------------------------------------------------------------------------------
def summary_text(config: Config, initial: Config | None = None, *, changed_only: bool = False) -> str:
    """A run's configuration in one line: ``disc · 3×25 relu · Adam lr 5e-3 · bs 1 · mse`` (``blobs ×4`` for a
    chosen class count, ``[x1, x2, x1^2] 3×25 relu`` for other input features than x1, x2); each part that
    differs from ``initial`` (what it started with) as ``Adam lr 5e-3 → SGD lr 0.1``, and only those
    parts with ``changed_only``."""
    parts = _summary_parts(config)
    if initial is None:
        return " · ".join(parts)
    pairs = zip(_summary_parts(initial), parts, strict=True)
    shown = [new if old == new else f"{old} → {new}" for old, new in pairs if not changed_only or old != new]
    return " · ".join(shown)


def _summary_parts(config: Config) -> tuple[str, ...]:
    training = config.training
    network = network_text(config.network)
    if config.network.features != DEFAULT_FEATURES:
        network = f"[{features_text(config.network)}] {network}"
    return (
        data_text(config.data),
        network,
        optimizer_text(training),
        f"bs {training.batch_size}",
        training.loss,
    )


def data_text(data: DataConfig) -> str:
    """``disc``; ``blobs ×4`` when the class count was chosen."""
    return data.dataset if data.classes is None else f"{data.dataset} ×{data.classes}"


def features_text(network: NetworkConfig) -> str:
    """The input features, short: ``x1, x2, x1^2``."""
    return ", ".join(network.features)


def network_text(network: NetworkConfig) -> str:
    """``3×25 relu`` when the hidden layers are alike, else ``8 tanh, 4 relu``; ``no hidden layer``."""
    layers = network.hidden
    if not layers:
        return "no hidden layer"
    if len(set(layers)) == 1:
        count = f"{len(layers)}×" if len(layers) > 1 else ""
        return f"{count}{layers[0].width} {layers[0].activation}"
    return ", ".join(f"{layer.width} {layer.activation}" for layer in layers)


def optimizer_text(training: TrainingConfig) -> str:
    """``Adam lr 5e-3``, ``SGD lr 0.1 m 0.9 nesterov``, with the regularisation and schedule when used."""
    parts = [("Adam" if training.optimizer == "adam" else "SGD"), f"lr {short_number(training.lr)}"]
    if training.optimizer == "sgd" and training.momentum:
        parts.append(f"m {short_number(training.momentum)}" + (" nesterov" if training.nesterov else ""))
    if training.weight_decay:
        parts.append(f"L2 {short_number(training.weight_decay)}")
    if training.l1:
        parts.append(f"L1 {short_number(training.l1)}")
    if training.schedule != "none":
        parts.append(training.schedule)
    return " ".join(parts)
