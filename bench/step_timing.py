"""µs per training step (forward + loss + backward + step), minidl against torch.nn + torch.optim + autograd.

Both frameworks start from identical weights and step through the same batches. Their timings are
interleaved round by round in one process (the order flips every round), and the table shows the
median over rounds, so a load spike on the machine hits both sides alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import cycle, islice

from torch import Tensor
from torch.nn import functional

from bench.models import OPTIMIZERS, Twins, make_twins, report_data
from bench.table import format_table
from minidl.training import Trainer

BATCH_SIZES = (1, 10, 100, 1000)
LEGEND = """\
torch.nn: nn.Sequential + F.mse_loss + torch.optim, autograd (zero_grad, forward, loss, backward, step).
minidl: the same loop through minidl's module API, as a user writes it.
Trainer: minidl's Trainer.train_epoch, the product path (no shuffling, to time steps alone); it runs
in inference mode and flushes denormal floats to zero (see minidl/training/fast_path.py).
Medians of {rounds} interleaved rounds. ratio = minidl / torch.nn; targets (Trainer): <= 0.12 at
batch 1 and <= 0.35 at batch 1000."""
Batches = list[tuple[Tensor, Tensor]]
Step = Callable[[Tensor, Tensor], object]


@dataclass(frozen=True)
class StepTiming:
    """Median µs per step of each implementation for one optimizer and batch size."""

    optimizer: str
    batch_size: int
    torch_us: float
    minidl_us: float
    trainer_us: float


def minidl_step(twins: Twins) -> Step:
    """One step through minidl's public module API, as a user writes it."""
    model, criterion, optimizer = twins.model, twins.criterion, twins.optimizer

    def step(x: Tensor, y: Tensor) -> Tensor:
        optimizer.zero_grad()
        loss = criterion.forward(model.forward(x), y)
        model.backward(criterion.backward())
        optimizer.step()
        return loss

    return step


def torch_step(twins: Twins) -> Step:
    """One step of the textbook torch.nn loop: autograd builds the graph, backward walks it."""
    net, optimizer = twins.net, twins.torch_optimizer

    def step(x: Tensor, y: Tensor) -> Tensor:
        optimizer.zero_grad()
        loss = functional.mse_loss(net(x), y)
        loss.backward()
        optimizer.step()
        return loss

    return step


def batches(x: Tensor, y: Tensor, batch_size: int) -> Batches:
    """``(x, y)`` cut into consecutive mini-batches (views, made once, outside any timing)."""
    return list(zip(x.split(batch_size), y.split(batch_size), strict=True))


def time_steps(step: Step, work: Batches) -> float:
    """µs per call of ``step`` over every batch of ``work``."""
    start = time.perf_counter()
    for x, y in work:
        step(x, y)
    return (time.perf_counter() - start) / len(work) * 1e6


def time_trainer(trainer: Trainer, min_steps: int) -> float:
    """µs per step of `Trainer.train_epoch`, the product's loop, over at least ``min_steps`` steps."""
    steps = 0
    start = time.perf_counter()
    while steps < min_steps:
        steps += trainer.train_epoch()
    return (time.perf_counter() - start) / steps * 1e6


def measure(optimizer: str, batch_size: int, rounds: int, steps: int, n: int = 1000) -> StepTiming:
    """Interleave ``rounds`` rounds of ``steps`` steps of each implementation; medians of µs per step."""
    x, y = report_data(n)
    work = list(islice(cycle(batches(x, y, batch_size)), steps))
    twins = make_twins(optimizer)
    product = make_twins(optimizer)
    trainer = Trainer(product.model, product.criterion, product.optimizer, (x, y), batch_size=batch_size, seed=0)
    trainer.loader.shuffle = False  # a step is forward + loss + backward + update: the per-epoch shuffle is not
    minidl, reference = minidl_step(twins), torch_step(twins)
    timers: list[Callable[[], float]] = [
        lambda: time_steps(minidl, work),
        lambda: time_steps(reference, work),
        lambda: time_trainer(trainer, steps),
    ]
    samples: list[list[float]] = [[], [], []]
    for timer in timers:  # warm-up round, not recorded
        timer()
    for round_index in range(rounds):
        order = range(3) if round_index % 2 == 0 else reversed(range(3))
        for i in order:
            samples[i].append(timers[i]())
    minidl_us, torch_us, trainer_us = (statistics.median(s) for s in samples)
    return StepTiming(optimizer, batch_size, torch_us, minidl_us, trainer_us)


def steps_per_round(batch_size: int) -> int:
    """Enough steps for a round to last tens of milliseconds at every batch size."""
    return {1: 1000, 10: 500, 100: 200}.get(batch_size, 50)


def rounds(quick: bool) -> int:
    """Rounds per table row."""
    return 5 if quick else 15


def run(quick: bool) -> list[StepTiming]:
    """Every (optimizer, batch size) of the table; fewer rounds when ``quick``."""
    return [measure(opt, b, rounds(quick), steps_per_round(b)) for opt in OPTIMIZERS for b in BATCH_SIZES]


def format_step_table(timings: list[StepTiming]) -> str:
    """The table: µs per step of torch.nn, of minidl's module API and of minidl's Trainer, and the ratios."""
    headers = ["optimizer", "batch", "torch.nn µs", "minidl µs", "ratio", "Trainer µs", "ratio"]
    rows = [
        [
            t.optimizer,
            t.batch_size,
            f"{t.torch_us:.1f}",
            f"{t.minidl_us:.1f}",
            f"{t.minidl_us / t.torch_us:.3f}",
            f"{t.trainer_us:.1f}",
            f"{t.trainer_us / t.torch_us:.3f}",
        ]
        for t in timings
    ]
    return format_table(headers, rows)
