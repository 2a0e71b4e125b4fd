"""``python -m bench``: the framework tables (step timing, the report's runs) and the app table.

``--quick`` uses fewer rounds and times only a few epochs of the report's runs (extrapolated, and
labelled so). ``--app`` prints only the app responsiveness table, ``--framework`` only the others.
The app table comes from ``bench/app_responsiveness.py``, whose ``run(quick: bool) -> None`` prints it;
``--switch-interval S`` measures it with the GIL's switch interval set to S seconds instead of the app's own.

``--device cpu`` / ``--device cuda`` print only the device table (``bench/device_timing.py``): step time of
minidl and torch.nn at widths 25/256/1024 and batch 1/100/4096 on the CPU alone, or on the CPU and CUDA;
without CUDA, ``--device cuda`` says so in one line and exits 0. Where CUDA is available, the framework
tables are followed by the CPU-and-CUDA table.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager

import torch

from bench import device_timing, end_to_end, step_timing
from bench.table import machine_header
from minidl.cli.arguments import whole_number

APP_MODULE = "bench.app_responsiveness"
DEFAULT_THREADS = torch.get_num_threads()
"""torch's own thread count on this machine, read before `main` pins the small-matrix tables to one thread."""


@contextmanager
def torch_threads(count: int) -> Iterator[None]:
    """Run the block with ``count`` torch threads, then restore the current count."""
    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def devices(device: str, quick: bool, threads: int = DEFAULT_THREADS) -> None:
    """Print the device table; its CPU columns run on ``threads`` torch threads: torch's default count, as a
    user's CPU runs would, unless ``--threads`` says otherwise."""
    with torch_threads(threads):
        device_timing.report(device, quick)


def framework(quick: bool, threads: int = DEFAULT_THREADS) -> None:
    """Print the step-timing table, then the report's runs end to end, then (where CUDA is available) the
    device table with ``threads`` torch threads on the CPU."""
    print("\n## Training step: minidl vs torch.nn + torch.optim + autograd (median µs per step)")
    print(step_timing.LEGEND.format(rounds=step_timing.rounds(quick)), flush=True)
    print(step_timing.format_step_table(step_timing.run(quick)), flush=True)
    print("\n## The report's runs end to end (batch 1, 1000 disc points; minidl through Trainer.run())")
    print(end_to_end.format_run_table(end_to_end.run(quick)), flush=True)
    if device_timing.cuda_available():
        devices("cuda", quick, threads)


def app(quick: bool, switch_interval: float | None = None) -> None:
    """Print the app responsiveness table, if that benchmark exists yet; ``switch_interval``: the GIL's, in place
    of the app's own."""
    if importlib.util.find_spec(APP_MODULE) is None:
        print("\n## App responsiveness: not benchmarked yet (bench/app_responsiveness.py, issue 5 part 2)")
        return
    module = importlib.import_module(APP_MODULE)
    if switch_interval is None:
        module.run(quick)
    else:
        module.run(quick, switch_interval=switch_interval)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="minidl against torch.nn, and the app's responsiveness"
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds and epochs; run times extrapolated")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--app", action="store_true", help="only the app responsiveness table")
    only.add_argument("--framework", action="store_true", help="only the framework tables")
    only.add_argument(
        "--device",
        choices=tuple(device_timing.LABELS),
        help="only the device table: minidl and torch.nn step times on the CPU (cpu) or on the CPU and CUDA (cuda)",
    )
    parser.add_argument(
        "--threads",
        type=whole_number(1),
        default=DEFAULT_THREADS,
        help=f"torch threads of the device table's CPU columns (default: torch's own, {DEFAULT_THREADS} here)",
    )
    parser.add_argument(
        "--switch-interval",
        type=float,
        default=None,
        metavar="SECONDS",
        help="the app table: Python's GIL switch interval (sys.setswitchinterval) instead of the app's own",
    )
    args = parser.parse_args(argv)
    if args.device == "cuda" and not device_timing.cuda_available():
        print(device_timing.unavailable_message())
        return
    torch.set_num_threads(1)  # both frameworks: one thread is fastest for these small matrices
    print(machine_header() + (" — quick mode" if args.quick else ""))
    if args.device:
        devices(args.device, args.quick, args.threads)
        return
    if not args.app:
        framework(args.quick, args.threads)
    if not args.framework:
        app(args.quick, args.switch_interval)


if __name__ == "__main__":
    main()
