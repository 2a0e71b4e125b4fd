"""``minidl sweep``: ``minidl train`` over a grid (or a random sample) of flag values × seeds, in parallel.

Every run's flags are checked with train's parser before the first run starts. Runs go through a
`concurrent.futures` executor (worker processes, or a Dask cluster with ``--dask``); each finished run is a
row of the results CSV at once, so Ctrl-C keeps them and the same command resumes where it stopped.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from minidl.cli.arguments import HelpFormatter, positive_int, user_seed, whole_number
from minidl.cli.progress import ProgressBar
from minidl.cli.stopped import stopped_early
from minidl.cli.sweep_executors import (
    MAX_JOBS_PER_CORE,
    ExecutorUnavailable,
    available_cores,
    max_jobs,
    open_executor,
    require_dask,
)
from minidl.cli.sweep_flags import TrainFlagError, TrainFlags
from minidl.cli.sweep_grid import MAX_RUNS, Configuration, PlannedRun, grid, grid_size, plan, random_sample
from minidl.cli.sweep_record import RunRecord
from minidl.cli.sweep_results import ResultsFile, ResultsFileError, SweepRow
from minidl.cli.sweep_runner import SweepOutcome, run_all
from minidl.cli.sweep_summary import format_summary, summarize, summary_json
from minidl.files import FileRefusedError

DESCRIPTION = """\
Train with every combination of the --vary values (or a random sample of them), from each seed, several runs
at a time. Each run is 'minidl train' with the flags after --, the configuration's values, --seed S --json.

Each finished run is appended to the results CSV (its first line records the flags after --); running the
same command again skips the runs already there, so a sweep stopped with Ctrl-C resumes. At the end, one line
per configuration: the final test accuracy's mean ± sample std over the seeds (a regression's: test R²),
best first.
"""

EPILOG = """\
examples:
  minidl sweep --vary lr 1e-3 5e-3 1e-2 --vary hidden 8 16,16 --seeds 3 -- --epochs 50
  minidl sweep --vary momentum 0.5 0.9 --vary nesterov on off --seed-list 3,5,7 -- --optimizer sgd --lr 1e-2
  minidl sweep --vary lr 1e-4 1e-3 1e-2 --vary batch-size 1 16 64 --random 4 --out lr.csv
  minidl sweep --vary activation relu tanh --dask tcp://scheduler:8786 -- --epochs 200
"""


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> argparse.ArgumentParser:
    """Register ``sweep`` and its flags."""
    parser = subparsers.add_parser(
        "sweep", help=summary, description=DESCRIPTION, epilog=EPILOG, formatter_class=HelpFormatter
    )
    parser.add_argument(
        "--vary",
        action="append",
        nargs="+",
        metavar=("FLAG", "VALUE"),
        help="a minidl train flag (lr or --lr) and one or more values; a switch such as nesterov takes on and off; "
        "repeat --vary for every flag to vary",
    )
    seeds = parser.add_mutually_exclusive_group()
    seeds.add_argument("--seeds", type=positive_int, default=1, metavar="N", help="train from seeds 0 .. N-1")
    seeds.add_argument("--seed-list", type=seed_list, metavar="S,S,...", help="train from these seeds")
    parser.add_argument(
        "--random", type=positive_int, metavar="K", help="train a random sample of K configurations, not all of them"
    )
    parser.add_argument("--sample-seed", type=user_seed, default=0, metavar="N", help="seeds the --random sample")
    parser.add_argument(
        "--jobs",
        type=whole_number(1, max_jobs(), f"{MAX_JOBS_PER_CORE} per core here: each worker process holds its own torch"),
        default=available_cores(),
        metavar="J",
        help="runs at a time (worker processes)",
    )
    parser.add_argument("--out", type=Path, default=Path("sweep.csv"), metavar="FILE.csv", help="the results CSV")
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="send the runs to the Dask scheduler at ADDRESS (tcp://host:8786) instead of --jobs local processes; "
        "needs pip install minidl[distributed]",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "train_flags", nargs="*", metavar="-- TRAIN_FLAGS", help="minidl train flags of every run, after --"
    )
    parser.set_defaults(command=run, parser=parser)
    return parser


def normalize_argv(argv: Sequence[str]) -> list[str]:
    """The command line with ``--vary --lr ...`` written ``--vary lr ...`` (argparse would take ``--lr`` for an
    option of the sweep); the flags after ``--`` are left as they are."""
    words = list(argv)
    end = words.index("--") if "--" in words else len(words)
    for i in range(1, end):
        if words[i - 1] == "--vary" and words[i].startswith("--"):
            words[i] = words[i].lstrip("-")
    return words


def seed_list(text: str) -> tuple[int, ...]:
    """``"3,5,7"`` → ``(3, 5, 7)``: seeds train accepts, each once."""
    seeds = tuple(user_seed(part.strip()) for part in text.split(","))
    repeated = next((seed for i, seed in enumerate(seeds) if seed in seeds[:i]), None)
    if repeated is not None:
        raise argparse.ArgumentTypeError(f"lists seed {repeated} twice")
    return seeds


def run(args: argparse.Namespace, executor: Executor | None = None) -> int:
    """Run the sweep ``args`` describe through ``executor`` (default: `open_executor`), print the summary.

    0 when every run was trained (diverged and failed runs are rows, not a failure of the sweep), 130 after
    Ctrl-C, 1 when the executor lost runs; bad flags and results files of another sweep exit with code 2.
    """
    parser: argparse.ArgumentParser = args.parser
    try:
        sweep = _plan(args, check_dask=args.dask is not None and executor is None)
        results = ResultsFile(args.out, sweep.fixed, sweep.options)
        results.open()
    except (TrainFlagError, ExecutorUnavailable, ResultsFileError, FileRefusedError) as error:
        parser.error(str(error))
    except OSError as error:
        parser.error(f"cannot write --out {args.out}: {error.strerror or error}")
    with contextlib.closing(results):
        todo = [r for r in sweep.runs if r.key not in results.rows]
        if not args.quiet:
            print(_plan_line(args, sweep, len(sweep.runs) - len(todo)), file=sys.stderr)
        try:
            outcome = _execute(todo, results, args, executor)
        except ExecutorUnavailable as error:
            parser.error(str(error))
        rows = [results.rows[r.key] for r in sweep.runs if r.key in results.rows]
    summaries = summarize(rows, [configuration.label for configuration in sweep.configurations])
    if args.json:
        print(json.dumps({**summary_json(summaries), "runs": len(sweep.runs), "done": len(rows)}))
    else:
        print(format_summary(summaries, sweep.options))
    return _exit_code(parser.prog, outcome, len(rows), len(sweep.runs), args.out)


@dataclass(frozen=True)
class _Sweep:
    """What a sweep trains: its fixed flags, varied options, configurations (of a grid of ``size``), runs."""

    fixed: tuple[str, ...]
    options: tuple[str, ...]
    configurations: tuple[Configuration, ...]
    size: int
    seeds: tuple[int, ...]
    runs: tuple[PlannedRun, ...]


def _plan(args: argparse.Namespace, *, check_dask: bool) -> _Sweep:
    """The configurations and runs of ``args``, every run's flags checked by train's parser (and, given
    ``check_dask``, the distributed package present); `TrainFlagError` or `ExecutorUnavailable` if not."""
    fixed = tuple(args.train_flags)
    flags = TrainFlags()
    variations = flags.variations(args.vary or [], fixed)
    size = grid_size(variations)
    count = size if args.random is None else min(args.random, size)
    seed_count = len(args.seed_list) if args.seed_list else args.seeds
    if count * seed_count > MAX_RUNS:
        raise TrainFlagError(
            f"{count} configurations x {seed_count} seeds = {count * seed_count} runs; at most {MAX_RUNS} "
            "in one sweep: vary fewer values, take a --random sample or use fewer seeds"
        )
    if args.random is None:
        configurations = tuple(grid(variations))
    else:
        configurations = tuple(random_sample(variations, args.random, args.sample_seed))
    seeds = tuple(args.seed_list or range(args.seeds))
    for configuration in configurations:
        flags.check(PlannedRun(configuration, seeds[0], fixed))
    if check_dask:
        require_dask()
    options = tuple(variation.option for variation in variations)
    return _Sweep(fixed, options, configurations, size, seeds, tuple(plan(configurations, seeds, fixed)))


def _execute(
    todo: list[PlannedRun], results: ResultsFile, args: argparse.Namespace, executor: Executor | None
) -> SweepOutcome:
    """Run ``todo`` through ``executor`` (or a new one), appending each finished run to ``results``. Ctrl-C
    while the executor starts (a Dask connection) or shuts down (waiting for running runs) also ends the sweep
    as interrupted, with the rows written so far."""
    if not todo:
        return SweepOutcome()
    pool = (
        contextlib.nullcontext(executor)
        if executor is not None
        else open_executor(min(args.jobs, len(todo)), args.dask)
    )
    finished = 0

    def on_finished(run: PlannedRun, record: RunRecord) -> None:
        nonlocal finished
        results.append(SweepRow(run.configuration.label, run.configuration.values, run.seed, record))
        finished += 1
        bar.update(finished, f"{run.configuration.label} seed {run.seed}")

    try:
        with ProgressBar(len(todo), enabled=not args.quiet) as bar, pool as runner:
            return run_all(todo, runner, on_finished)
    except KeyboardInterrupt:
        return SweepOutcome(interrupted=True)


def _plan_line(args: argparse.Namespace, sweep: _Sweep, done: int) -> str:
    """What is about to run: ``"minidl sweep: 6 configurations x 3 seeds = 18 runs, 4 done in sweep.csv, 14 to
    run on 2 processes"``."""
    count = len(sweep.configurations)
    sample = f" (a random {count} of {sweep.size})" if count < sweep.size else ""
    where = f"the Dask cluster at {args.dask}" if args.dask else _counted(args.jobs, "process", "processes")
    total = len(sweep.runs)
    return (
        f"{args.parser.prog}: {_counted(count, 'configuration')}{sample} x {_counted(len(sweep.seeds), 'seed')} = "
        f"{_counted(total, 'run')}, {done} done in {args.out}, {total - done} to run on {where}"
    )


def _counted(count: int, noun: str, plural: str | None = None) -> str:
    """``"1 seed"``, ``"3 seeds"``."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _exit_code(prog: str, outcome: SweepOutcome, done: int, total: int, out: Path) -> int:
    """0, or say why the sweep ended early: Ctrl-C (130), runs the executor lost (1)."""
    if outcome.interrupted:
        done_text = f"{done} of {total} runs: the finished runs are in {out}, the same command resumes"
        return stopped_early(prog, KeyboardInterrupt(), done_text)
    if outcome.lost:
        run, error = outcome.lost[0]
        print(
            f"{prog}: error: {len(outcome.lost)} runs were not trained ({run.configuration.label} seed {run.seed}: "
            f"{type(error).__name__}: {error}); run the same command again to train them",
            file=sys.stderr,
        )
        return 1
    return 0
