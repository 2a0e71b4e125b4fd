"""The report's two trainings end to end, in minidl's Trainer and in a torch.nn loop doing the same work.

SGD: lr 5e-5, 500 epochs; Adam: lr 5e-3, 100 epochs; batch 1, 1000 training and 1000 test points of
the disc set; both sides start from the same weights, drawn from the report's N(0, 1) init (`bench.models`).
After every epoch both sides evaluate loss and accuracy on the training and the test
set, as the Trainer does. Epochs alternate between the two sides, each timed on its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import torch
from torch import Tensor
from torch.nn import functional

from bench.models import TEST_SEED, TRAIN_SEED, Twins, make_twins, report_data
from bench.table import format_table
from minidl._random import make_generator
from minidl.training import StopRules, Trainer, accuracy

Data = tuple[Tensor, Tensor]


@dataclass(frozen=True)
class RunSpec:
    """One of the report's trainings and the wall time minidl should stay under."""

    name: str
    optimizer: str
    epochs: int
    quick_epochs: int
    target_seconds: float


REPORT_RUNS = (RunSpec("SGD", "sgd", 500, 10, 20.0), RunSpec("Adam", "adam", 100, 5, 6.0))


@dataclass(frozen=True)
class RunTiming:
    """Seconds each side took for ``epochs_timed`` epochs, and the final test accuracies."""

    spec: RunSpec
    epochs_timed: int
    minidl_seconds: float
    torch_seconds: float
    minidl_accuracy: float
    torch_accuracy: float

    @property
    def scale(self) -> float:
        """Factor from the epochs timed to the report's epochs (1 for a full run)."""
        return self.spec.epochs / self.epochs_timed


def minidl_epochs(twins: Twins, train: Data, test: Data, seed: int) -> Iterator[float]:
    """The product path: `Trainer.run()` with batch 1; yields the test accuracy after each epoch."""
    trainer = Trainer(
        twins.model, twins.criterion, twins.optimizer, train, test, batch_size=1, stop=StopRules(None), seed=seed
    )
    for result in trainer.run():
        yield result.test_accuracy


def torch_epochs(twins: Twins, train: Data, test: Data, seed: int) -> Iterator[float]:
    """The same epochs in torch.nn: shuffle, step per point, evaluate train and test; yields test accuracy."""
    net, optimizer = twins.net, twins.torch_optimizer
    x, y = train
    generator = make_generator(seed)
    while True:
        order = torch.randperm(len(x), generator=generator)
        for xb, yb in zip(x[order].split(1), y[order].split(1), strict=True):
            optimizer.zero_grad()
            functional.mse_loss(net(xb), yb).backward()
            optimizer.step()
        with torch.no_grad():
            for data_x, data_y in (train, test):
                output = net(data_x)
                functional.mse_loss(output, data_y).item()
                test_accuracy = accuracy(output, data_y)
        yield test_accuracy


def time_run(spec: RunSpec, epochs: int, n: int = 1000) -> RunTiming:
    """Run ``epochs`` epochs of ``spec`` on both sides, alternating epoch by epoch."""
    train, test = report_data(n, TRAIN_SEED), report_data(n, TEST_SEED)
    twins = make_twins(spec.optimizer)
    sides = [minidl_epochs(twins, train, test, seed=0), torch_epochs(twins, train, test, seed=0)]
    seconds, accuracies = [0.0, 0.0], [0.0, 0.0]
    for epoch in range(epochs):
        for i in (0, 1) if epoch % 2 == 0 else (1, 0):
            start = time.perf_counter()
            accuracies[i] = next(sides[i])
            seconds[i] += time.perf_counter() - start
    for side in sides:
        side.close()
    return RunTiming(spec, epochs, seconds[0], seconds[1], accuracies[0], accuracies[1])


def run(quick: bool) -> list[RunTiming]:
    """Both report runs: every epoch, or ``quick_epochs`` of them when ``quick``."""
    return [time_run(spec, spec.quick_epochs if quick else spec.epochs) for spec in REPORT_RUNS]


def format_run_table(timings: list[RunTiming]) -> str:
    """Wall time of each run on both sides, the ratio, minidl's target and the test accuracies."""
    extrapolated = any(t.scale != 1 for t in timings)
    headers = ["run", "epochs timed", "minidl s", "torch.nn s", "ratio", "target", "test acc minidl / torch"]
    if extrapolated:
        headers[2:4] = ["minidl s (extrapolated)", "torch.nn s (extrapolated)"]
    rows = [
        [
            f"{t.spec.name} {t.spec.epochs} epochs",
            t.epochs_timed,
            f"{t.minidl_seconds * t.scale:.1f}",
            f"{t.torch_seconds * t.scale:.1f}",
            f"{t.minidl_seconds / t.torch_seconds:.3f}",
            f"<= {t.spec.target_seconds:g} s",
            f"{t.minidl_accuracy:.3f} / {t.torch_accuracy:.3f}",
        ]
        for t in timings
    ]
    table = format_table(headers, rows)
    if extrapolated:
        table += "\n(quick mode: seconds are the epochs timed × report epochs / epochs timed, not measured)"
    return table
