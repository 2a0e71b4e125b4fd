"""µs per training step on the CPU and on CUDA, minidl against torch.nn: when does the GPU pay off?

The net is the report's shape 2-W-W-W-1 (ReLU, MSE loss, Adam at the report's learning rate) for each
width W of `WIDTHS`, built by ``mlp(hidden=(W, W, W), seed=0, device=...)`` and copied into its torch.nn
twin, so both frameworks start from identical weights on every device. A step is the one of
`bench.step_timing` (zero_grad, forward, loss, backward, optimizer step) on one batch of the disc set,
made on the device once. Every (width, batch) cell interleaves rounds of all its timers (each framework
on each device), flipping the order every round, and reports medians; CUDA is synchronised before the
clock starts and before it stops, so a time covers the kernels run, not only their launch.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

import minidl
from bench.models import TRAIN_SEED, WEIGHT_SEED, Twins, minidl_optimizer, torch_optimizer, torch_twin
from bench.step_timing import Step, minidl_step, torch_step
from bench.table import format_table
from minidl.data import make_dataset

WIDTHS = (25, 256, 1024)
BATCH_SIZES = (1, 100, 4096)
OPTIMIZER = "adam"
ROUND_SECONDS = 0.02
"""Each timer runs enough steps per round to last about this long (at least one step)."""
MAX_STEPS = 1000
FRAMEWORKS = ("torch.nn", "minidl")
LABELS = {"cpu": "CPU", "cuda": "CUDA"}
LEGEND = """\
Net 2-W-W-W-1 (ReLU, MSE, Adam), one batch of the disc set made on the device once; a step is zero_grad,
forward, loss, backward, optimizer step, as in bench/step_timing.py. CPU columns on {threads} torch thread(s)
(--threads). Medians of {rounds} interleaved rounds. ratio = minidl / torch.nn on one device."""
CUDA_LEGEND = """
CUDA synchronised around every timed region. CPU/CUDA = CPU time / CUDA time of one framework (> 1: the GPU
is faster)."""
UNAVAILABLE = "CUDA is not available on this machine (torch {version}): the CUDA table is skipped."


def cuda_available() -> bool:
    """Whether torch sees a CUDA device."""
    return torch.cuda.is_available()


def unavailable_message() -> str:
    """The one line printed instead of the CUDA table on a machine without CUDA."""
    return UNAVAILABLE.format(version=torch.__version__)


def synchronize(device: torch.device) -> None:
    """Wait for every kernel queued on ``device`` (nothing to wait for on the CPU)."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def device_twins(width: int, device: torch.device | str) -> Twins:
    """The 2-W-W-W-1 net on ``device`` in both frameworks with Adam, from the same seeded weights."""
    model = minidl.mlp(hidden=(width, width, width), seed=WEIGHT_SEED, device=device)
    net = torch_twin(model).to(device)
    return Twins(model, minidl.MSELoss(), minidl_optimizer(OPTIMIZER, model), net, torch_optimizer(OPTIMIZER, net))


Timer = Callable[[int], float]
"""Runs ``steps`` steps and returns µs per step."""


def step_timer(step: Step, x: torch.Tensor, y: torch.Tensor, device: torch.device) -> Timer:
    """A timer of ``step`` on the batch ``(x, y)``, synchronising ``device`` before and after the steps."""

    def timer(steps: int) -> float:
        synchronize(device)
        start = time.perf_counter()
        for _ in range(steps):
            step(x, y)
        synchronize(device)
        return (time.perf_counter() - start) / steps * 1e6

    return timer


def steps_per_round(timer: Timer) -> int:
    """Steps (at most `MAX_STEPS`) that make one round last about `ROUND_SECONDS`, from trial runs of
    ``timer``, which also warm it up: first-call allocations, CUDA kernels and cuBLAS handles."""
    timer(1)
    steps = 1
    while True:
        seconds = timer(steps) * steps / 1e6
        if seconds >= ROUND_SECONDS / 2 or steps >= MAX_STEPS:
            return steps
        wanted = math.ceil(steps * ROUND_SECONDS / max(seconds, 1e-9))
        steps = min(MAX_STEPS, steps * 10, wanted)


def interleave(timers: Sequence[Timer], rounds: int) -> list[float]:
    """Medians of µs per step of each timer over ``rounds`` rounds, the order flipped every round."""
    steps = [steps_per_round(timer) for timer in timers]
    samples: list[list[float]] = [[] for _ in timers]
    for round_index in range(rounds):
        order = range(len(timers)) if round_index % 2 == 0 else reversed(range(len(timers)))
        for i in order:
            samples[i].append(timers[i](steps[i]))
    return [statistics.median(s) for s in samples]


@dataclass(frozen=True)
class DeviceTiming:
    """Median µs per step of each framework on each device for one width and batch size."""

    width: int
    batch_size: int
    us: dict[tuple[str, str], float]
    """(framework, device type) → µs per step; frameworks from `FRAMEWORKS`, devices "cpu" and "cuda"."""


def measure(width: int, batch_size: int, devices: Sequence[str], rounds: int) -> DeviceTiming:
    """Time both frameworks on each of ``devices`` ("cpu", "cuda") at one width and batch size."""
    keys: list[tuple[str, str]] = []
    timers: list[Timer] = []
    for name in devices:
        device = torch.device(name)
        x, y = make_dataset("disc", batch_size, seed=TRAIN_SEED, device=device)
        twins = device_twins(width, device)
        for framework, step in zip(FRAMEWORKS, (torch_step(twins), minidl_step(twins)), strict=True):
            keys.append((framework, device.type))
            timers.append(step_timer(step, x, y, device))
    return DeviceTiming(width, batch_size, dict(zip(keys, interleave(timers, rounds), strict=True)))


def rounds(quick: bool) -> int:
    """Rounds per table row."""
    return 5 if quick else 15


def run(devices: Sequence[str], quick: bool) -> list[DeviceTiming]:
    """Every (width, batch size) of the table on ``devices``; fewer rounds when ``quick``."""
    return [measure(w, b, devices, rounds(quick)) for w in WIDTHS for b in BATCH_SIZES]


def net_shape(width: int) -> str:
    """The report's shape at ``width``: ``2-W-W-W-1``."""
    return f"2-{width}-{width}-{width}-1"


def format_device_table(timings: Sequence[DeviceTiming], devices: Sequence[str]) -> str:
    """µs per step of torch.nn and minidl on each device, minidl / torch.nn per device, and CPU / CUDA per
    framework when both devices were timed."""
    headers = ["net", "batch"]
    for device in devices:
        headers += [f"torch.nn {LABELS[device]} µs", f"minidl {LABELS[device]} µs", "ratio"]
    both = "cpu" in devices and "cuda" in devices
    if both:
        headers += [f"CPU/CUDA {framework}" for framework in FRAMEWORKS]
    rows = []
    for t in timings:
        row: list[object] = [net_shape(t.width), t.batch_size]
        for device in devices:
            ours, theirs = t.us[("minidl", device)], t.us[("torch.nn", device)]
            row += [f"{theirs:.1f}", f"{ours:.1f}", f"{ours / theirs:.3f}"]
        if both:
            row += [f"{t.us[(f, 'cpu')] / t.us[(f, 'cuda')]:.2f}" for f in FRAMEWORKS]
        rows.append(row)
    return format_table(headers, rows)


def report(device: str, quick: bool) -> None:
    """Print the device table for ``device`` ("cpu": CPU columns only; "cuda": CPU and CUDA, which needs
    `cuda_available`; callers print `unavailable_message` instead)."""
    devices = ["cpu"] if device == "cpu" else ["cpu", "cuda"]
    title = " and ".join(LABELS[d] for d in devices)
    gpu = f" ({torch.cuda.get_device_name()})" if device == "cuda" else ""
    print(f"\n## Training step on {title}{gpu}: minidl vs torch.nn + torch.optim + autograd (median µs per step)")
    legend = LEGEND + (CUDA_LEGEND if "cuda" in devices else "")
    print(legend.format(threads=torch.get_num_threads(), rounds=rounds(quick)), flush=True)
    print(format_device_table(run(devices, quick), devices), flush=True)
