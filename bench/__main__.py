"""``python -m bench``: the framework tables (step timing, the report's runs) and the app table.

``--quick`` uses fewer rounds and times only a few epochs of the report's runs (extrapolated, and
labelled so). ``--app`` prints only the app responsiveness table, ``--framework`` only the others.
The app table comes from ``bench/app_responsiveness.py``, whose ``run(quick: bool) -> None`` prints it.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util

import torch

from bench import end_to_end, step_timing
from bench.table import machine_header

APP_MODULE = "bench.app_responsiveness"


def framework(quick: bool) -> None:
    """Print the step-timing table, then the report's runs end to end."""
    print("\n## Training step: minidl vs torch.nn + torch.optim + autograd (median µs per step)")
    print(step_timing.LEGEND.format(rounds=step_timing.rounds(quick)), flush=True)
    print(step_timing.format_step_table(step_timing.run(quick)), flush=True)
    print("\n## The report's runs end to end (batch 1, 1000 disc points; minidl through Trainer.run())")
    print(end_to_end.format_run_table(end_to_end.run(quick)), flush=True)


def app(quick: bool) -> None:
    """Print the app responsiveness table, if that benchmark exists yet."""
    if importlib.util.find_spec(APP_MODULE) is None:
        print("\n## App responsiveness: not benchmarked yet (bench/app_responsiveness.py, issue 5 part 2)")
        return
    importlib.import_module(APP_MODULE).run(quick)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="minidl against torch.nn, and the app's responsiveness"
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds and epochs; run times extrapolated")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--app", action="store_true", help="only the app responsiveness table")
    only.add_argument("--framework", action="store_true", help="only the framework tables")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # both frameworks: one thread is fastest for these small matrices
    print(machine_header() + (" — quick mode" if args.quick else ""))
    if not args.app:
        framework(args.quick)
    if not args.framework:
        app(args.quick)


if __name__ == "__main__":
    main()
