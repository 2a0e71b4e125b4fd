"""``minidl reproduce``: the report's SGD and Adam experiments and the annealed Adam run over several seeds, beside
the report's numbers."""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from torch import Tensor

from minidl.cli.arguments import HelpFormatter, positive_float, positive_int, user_seed
from minidl.cli.progress import ProgressBar
from minidl.cli.stopped import stopped_early
from minidl.data import make_disc, save_points
from minidl.experiments import (
    EXPERIMENTS,
    REPORT_HIDDEN,
    REPORT_INIT_STD,
    REPORT_POINTS,
    Experiment,
)
from minidl.files import atomic_write
from minidl.formatting import DASH, duration, percent
from minidl.seeds import MAX_SEED, RunSeeds
from minidl.training import EpochResult, RunSettings, StopRules, TrainingDiverged, build_run

HISTORY_COLUMNS = (
    "experiment",
    "seed",
    "epoch",
    "train_loss",
    "test_loss",
    "train_accuracy",
    "test_accuracy",
    "lr",
    "elapsed",
)


def _compared(experiment: Experiment) -> str:
    """``(report: 97.7 % test accuracy)``, or what the run changes for one not in the report."""
    if experiment.report_accuracy is None:
        return f"(not in the report: {experiment.recipe})"
    return f"(report: {percent(experiment.report_accuracy)} test accuracy)"


DESCRIPTION = f"""\
Run the report's two experiments, and the annealed Adam run that beats them, over several seeds.

All train the 2-25-25-25-1 ReLU net with batch 1 on {REPORT_POINTS} training points of the disc set and test
on {REPORT_POINTS} fresh points. The report's runs use MSE loss and weights and biases from N(0, {REPORT_INIT_STD:g}):
{chr(10).join(f"  {e.title:34} {_compared(e)}" for e in EXPERIMENTS)}
One seed of all three takes about a minute on one core.
"""


EPILOG = """\
examples:
  minidl reproduce --seeds 3
  minidl reproduce --seeds 10 --out results/
"""


@dataclass(frozen=True)
class Run:
    """One experiment trained from one seed."""

    experiment: Experiment
    seed: int
    history: list[EpochResult]
    wall_seconds: float

    @property
    def test_accuracy(self) -> float:
        return self.history[-1].test_accuracy


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> argparse.ArgumentParser:
    """Register ``reproduce`` and its flags."""
    parser = subparsers.add_parser(
        "reproduce",
        help=summary,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--seeds", type=positive_int, default=10, metavar="N", help="number of seeds to average over")
    parser.add_argument("--first-seed", type=user_seed, default=0, metavar="S", help="the seeds are S, S+1, ...")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write the histories (CSV), the data points (CSV) and the report's three figures (PNG)",
    )
    parser.add_argument("--no-figures", action="store_true", help="with --out: write the CSV files only")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    # Hidden, for tests: scales the epochs and the number of points down (e.g. 0.01).
    parser.add_argument("--scale", type=positive_float, default=1.0, help=argparse.SUPPRESS)
    parser.set_defaults(command=run, parser=parser)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run every experiment for every seed, print the table, write ``--out``; the exit code."""
    last = args.first_seed + args.seeds - 1
    if last > MAX_SEED:
        args.parser.error(f"the last seed, {last}, is beyond {MAX_SEED} (MAX_SEED): lower --first-seed or --seeds")
    if args.out is not None:
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            args.parser.error(f"cannot write to --out {args.out}: {error.strerror or error}")
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    points = max(10, round(REPORT_POINTS * args.scale))
    epochs = {e.name: max(1, round(e.epochs * args.scale)) for e in EXPERIMENTS}
    runs: list[Run] = []
    start = time.perf_counter()
    finished = 0
    try:
        with ProgressBar(len(seeds) * sum(epochs.values()), enabled=not args.quiet) as bar:
            for seed in seeds:
                for experiment in EXPERIMENTS:
                    note = f"{experiment.label} seed {seed}"

                    def show(result: EpochResult, offset: int = finished, note: str = note) -> None:
                        bar.update(offset + result.epoch, f"{note}, epoch {result.epoch}")

                    runs.append(
                        run_experiment(experiment, seed, points=points, epochs=epochs[experiment.name], on_epoch=show)
                    )
                    finished += epochs[experiment.name]
    except (TrainingDiverged, KeyboardInterrupt) as error:
        return stopped_early(args.parser.prog, error, f"{len(runs)} runs")
    total = time.perf_counter() - start
    print(format_table(runs, points=points, total_seconds=total))
    if args.out is None:
        return 0
    write_csvs(args.out, runs, points=points)
    print(f"\nwrote {args.out / 'history.csv'}, {args.out / 'summary.csv'} and the data points")
    if args.no_figures:
        return 0
    return draw_figures(args.out)


def run_experiment(
    experiment: Experiment,
    seed: int,
    *,
    points: int = REPORT_POINTS,
    epochs: int | None = None,
    on_epoch: Callable[[EpochResult], None] | None = None,
) -> Run:
    """Train the report's net as ``experiment`` says, from ``seed``; ``epochs`` overrides the report's."""
    trainer = build_run(experiment_settings(experiment, seed, epochs), *report_points(seed, points))
    history: list[EpochResult] = []
    start = time.perf_counter()
    for result in trainer.run():
        history.append(result)
        if on_epoch is not None:
            on_epoch(result)
    return Run(experiment, seed, history, time.perf_counter() - start)


def experiment_settings(experiment: Experiment, seed: int, epochs: int | None = None) -> RunSettings:
    """The run of ``experiment`` from ``seed``: the report's net and batch 1, the experiment's loss, init,
    optimizer (learning rate and betas; its other hyperparameters PyTorch's defaults) and schedule over the run,
    for ``epochs`` or the experiment's."""
    return RunSettings(
        hidden=REPORT_HIDDEN,
        activation="relu",
        output_activation=experiment.output_activation,
        init=experiment.init,
        init_std=experiment.init_std,
        loss=experiment.loss,
        optimizer=experiment.optimizer,
        lr=experiment.lr,
        betas=experiment.betas,
        batch_size=1,
        scheduler=experiment.scheduler,
        stop=StopRules(max_epochs=experiment.epochs if epochs is None else epochs),
        seed=seed,
    )


def report_points(seed: int, points: int = REPORT_POINTS) -> tuple[tuple[Tensor, Tensor], tuple[Tensor, Tensor]]:
    """The disc set's training and test points of ``seed`` (the same for every experiment)."""
    seeds = RunSeeds.from_seed(seed)
    return make_disc(points, seed=seeds.train_points), make_disc(points, seed=seeds.test_points)


def _mean_std(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (n − 1; 0 for one value)."""
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def format_table(runs: Sequence[Run], *, points: int = REPORT_POINTS, total_seconds: float | None = None) -> str:
    """Mean ± std of the final test accuracy and the wall time per run, beside the report's accuracy."""
    seeds = sorted({r.seed for r in runs})
    seed_text = f"seed {seeds[0]}" if len(seeds) == 1 else f"{len(seeds)} seeds ({seeds[0]}-{seeds[-1]})"
    header = f"{'experiment':<34} {'test accuracy':>16} {'min - max':>15} {'report':>8} {'wall time per run':>19}"
    lines = [
        f"2-25-25-25-1 ReLU, batch 1; {points} train + {points} test disc points; {seed_text}; mean ± std over seeds",
        "",
        header,
    ]
    notes = []
    for experiment in EXPERIMENTS:
        mine = [r for r in runs if r.experiment == experiment]
        if not mine:
            continue
        accuracies = [100 * r.test_accuracy for r in mine]
        accuracy, accuracy_std = _mean_std(accuracies)
        seconds, seconds_std = _mean_std([r.wall_seconds for r in mine])
        epochs = len(mine[0].history)
        title = experiment.title_for(epochs)
        cells = (
            f"{accuracy:.1f} ± {accuracy_std:.1f} %",
            f"{min(accuracies):.1f} - {max(accuracies):.1f} %",
            DASH if experiment.report_accuracy is None else percent(experiment.report_accuracy),
            f"{seconds:.1f} ± {seconds_std:.1f} s",
        )
        lines.append(f"{title:<34} {cells[0]:>16} {cells[1]:>15} {cells[2]:>8} {cells[3]:>19}")
        notes.append(f"{experiment.label}: " + (experiment.recipe or f"MSE, init N(0, {experiment.init_std:g})"))
    lines += ["", "; ".join(notes)]
    if total_seconds is not None:
        lines += ["", f"total wall time {duration(total_seconds)}"]
    return "\n".join(lines)


def write_csvs(out: Path, runs: Sequence[Run], *, points: int = REPORT_POINTS) -> None:
    """``history.csv`` (one row per experiment, seed and epoch), ``summary.csv`` (one per run) and
    ``points_train.csv`` / ``points_test.csv`` (the first seed's data, ``x1,x2,label``)."""
    out.mkdir(parents=True, exist_ok=True)
    history = (
        (
            r.experiment.name,
            r.seed,
            e.epoch,
            e.train_loss,
            e.test_loss,
            e.train_accuracy,
            e.test_accuracy,
            e.lr,
            e.elapsed,
        )
        for r in runs
        for e in r.history
    )
    _write_csv(out / "history.csv", HISTORY_COLUMNS, history)
    summary_columns = (
        "experiment",
        "seed",
        "lr",
        "epochs",
        "test_accuracy",
        "train_accuracy",
        "report_test_accuracy",
        "wall_seconds",
    )
    summary = (
        (
            r.experiment.name,
            r.seed,
            r.experiment.lr,
            r.history[-1].epoch,
            r.history[-1].test_accuracy,
            r.history[-1].train_accuracy,
            r.experiment.report_accuracy,
            r.wall_seconds,
        )
        for r in runs
    )
    _write_csv(out / "summary.csv", summary_columns, summary)
    (train_x, train_y), (test_x, test_y) = report_points(min(r.seed for r in runs), points)
    save_points(out / "points_train.csv", train_x, train_y)
    save_points(out / "points_test.csv", test_x, test_y)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A header line, then one line per row, written atomically (a crash leaves no half file)."""

    def write(file: TextIO) -> None:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)

    atomic_write(path, write)


def draw_figures(out: Path) -> int:
    """Draw the three PNGs with ``python -m minidl_gui.figures`` (Qt stays out of minidl); the exit code."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    command = [sys.executable, "-m", "minidl_gui.figures", str(out)]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        reason = (completed.stderr.strip().splitlines() or ["no error message"])[-1]
        print(
            f"minidl reproduce: error: the figures were not drawn ({' '.join(command)} failed: {reason}); "
            f"the CSV files are written. The figures need the minidl_gui package and Qt's libraries "
            f"(see the README)",
            file=sys.stderr,
        )
        return 1
    print(completed.stdout.rstrip())
    return 0
