"""``minidl sweep`` end to end: runs through an executor, rows as they finish, resume, Ctrl-C, summary, Dask."""

from __future__ import annotations

import contextlib
import csv
import json
import statistics
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import pytest
import torch

from minidl.cli import main, sweep_worker
from minidl.cli import sweep as sweep_command
from minidl.cli.main import build_parser
from minidl.cli.stopped import EXIT_INTERRUPTED
from minidl.cli.sweep import normalize_argv, run
from minidl.cli.sweep_record import RunRecord

TRAIN = ["--epochs", "2", "--train-points", "50", "--test-points", "50", "--hidden", "4"]
GRID = ["--vary", "lr", "1e-3", "1e-2", "--vary", "activation", "relu", "tanh"]  # 4 configurations


class InlineExecutor(Executor):
    """Runs each call as it is submitted, in this thread, and counts the calls. ``outcomes`` replaces the
    result of the call with that number (1-based): an exception the future raises, or a record."""

    def __init__(self, outcomes: dict[int, BaseException | RunRecord] | None = None, interrupt_at: int = 0) -> None:
        self.calls = 0
        self.outcomes = outcomes or {}
        self.interrupt_at = interrupt_at  # submit number that raises KeyboardInterrupt (Ctrl-C while submitting)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        self.calls += 1
        if self.calls == self.interrupt_at:
            raise KeyboardInterrupt
        future: Future = Future()
        outcome = self.outcomes.get(self.calls)
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome if outcome is not None else fn(*args, **kwargs))
        return future


@pytest.fixture(autouse=True)
def _keep_torch_threads() -> Iterator[None]:
    """A run sets torch to one thread in its process: this one, with an inline executor or in-process Dask."""
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def sweep(out: Path, *flags: str, executor: Executor | None = None, train: list[str] = TRAIN) -> int:
    """``minidl sweep --out OUT --quiet FLAGS -- TRAIN`` through ``executor``; the exit code."""
    argv = normalize_argv(["sweep", "--out", str(out), "--quiet", *flags, "--", *train])
    args = build_parser(["sweep"]).parse_args(argv)
    return run(args, executor)


def rows(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(out.read_text().splitlines()[1:]))


def test_every_configuration_and_seed_is_a_row_with_the_runs_own_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep.csv"
    executor = InlineExecutor()
    assert sweep(out, *GRID, "--seeds", "2", executor=executor) == 0
    found = rows(out)
    assert executor.calls == 8 and len(found) == 8
    assert {(r["configuration"], r["seed"]) for r in found} == {
        (f"lr={lr} activation={a}", str(s)) for lr in ("1e-3", "1e-2") for a in ("relu", "tanh") for s in (0, 1)
    }
    assert out.read_text().splitlines()[0] == "# minidl sweep; every run: minidl train " + " ".join(TRAIN)
    capsys.readouterr()
    row = next(r for r in found if r["configuration"] == "lr=1e-2 activation=tanh" and r["seed"] == "1")
    assert row["--lr"] == "1e-2" and row["--activation"] == "tanh"
    assert main(["train", *TRAIN, "--lr", "1e-2", "--activation", "tanh", "--seed", "1", "--json", "--quiet"]) == 0
    final = json.loads(capsys.readouterr().out)["final"]
    for column in ("test_accuracy", "train_accuracy", "test_loss", "train_loss"):
        assert float(row[column]) == final[column]
    assert int(row["epochs"]) == 2 and row["stop_reason"] == final["stop_reason"] and row["error"] == ""
    assert float(row["seconds"]) > 0


def test_the_summary_has_one_line_per_configuration_best_mean_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep.csv"
    assert sweep(out, *GRID, "--seed-list", "4,9", executor=InlineExecutor()) == 0
    table = capsys.readouterr().out.strip().splitlines()[3:]
    accuracies: dict[str, list[float]] = {}
    for row in rows(out):
        accuracies.setdefault(f"{row['--lr']} {row['--activation']}", []).append(float(row["test_accuracy"]))
    expected = sorted(accuracies.items(), key=lambda item: -statistics.fmean(item[1]))
    assert len(table) == len(expected) == 4
    for line, (values, seeds) in zip(table, expected, strict=True):
        mean, std = 100 * statistics.fmean(seeds), 100 * statistics.stdev(seeds)
        assert line.split()[:7] == [*values.split(), f"{mean:.1f}", "±", f"{std:.1f}", "%", "2"]


def test_json_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        sweep(tmp_path / "s.csv", "--vary", "lr", "1e-3", "1e-2", "--seeds", "2", "--json", executor=InlineExecutor())
        == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert document["runs"] == document["done"] == 4
    assert {c["configuration"] for c in document["configurations"]} == {"lr=1e-3", "lr=1e-2"}
    assert all(c["seeds"] == 2 and c["test_accuracy_std"] is not None for c in document["configurations"])


def test_rerunning_resumes_only_the_runs_not_in_the_file(tmp_path: Path) -> None:
    out = tmp_path / "sweep.csv"
    assert sweep(out, "--vary", "lr", "1e-3", "1e-2", executor=InlineExecutor()) == 0
    again = InlineExecutor()
    assert sweep(out, "--vary", "lr", "1e-3", "1e-2", executor=again) == 0
    assert again.calls == 0 and len(rows(out)) == 2
    more = InlineExecutor()  # a third lr value and a second seed: 6 runs, 2 of them done
    assert sweep(out, "--vary", "lr", "1e-3", "1e-2", "1e-1", "--seeds", "2", executor=more) == 0
    assert more.calls == 4 and len(rows(out)) == 6


def test_a_truncated_last_row_is_trained_again(tmp_path: Path) -> None:
    out = tmp_path / "sweep.csv"
    assert sweep(out, "--vary", "lr", "1e-3", "1e-2", executor=InlineExecutor()) == 0
    text = out.read_text()
    out.write_text(text[: len(text) - 10])  # the sweep was killed while writing its last row
    again = InlineExecutor()
    assert sweep(out, "--vary", "lr", "1e-3", "1e-2", executor=again) == 0
    assert again.calls == 1 and len(rows(out)) == 2
    assert all(row["error"] == "" and row["stop_reason"] == "2 epochs done" for row in rows(out))


def test_other_fixed_flags_refuse_to_mix_into_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sweep.csv"
    assert sweep(out, "--vary", "lr", "1e-3", executor=InlineExecutor()) == 0
    before = out.read_text()
    with pytest.raises(SystemExit) as raised:
        sweep(out, "--vary", "lr", "1e-3", executor=InlineExecutor(), train=[*TRAIN, "--batch-size", "5"])
    assert raised.value.code == 2
    assert "other fixed flags" in capsys.readouterr().err and out.read_text() == before


@pytest.mark.parametrize(
    ("interrupted", "finished"), [(InlineExecutor(interrupt_at=3), 2), (InlineExecutor({3: KeyboardInterrupt()}), 3)]
)
def test_ctrl_c_keeps_finished_rows_prints_the_summary_so_far_exits_130_and_resumes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], interrupted: InlineExecutor, finished: int
) -> None:
    """Ctrl-C while the runs are submitted (two have finished), or coming back from the third run (the other
    three have finished: an inline executor runs each at once)."""
    out = tmp_path / "sweep.csv"
    assert sweep(out, *GRID, executor=interrupted) == EXIT_INTERRUPTED
    captured = capsys.readouterr()
    assert f"interrupted after {finished} of 4 runs: the finished runs are in {out}" in captured.err
    assert len(rows(out)) == finished
    assert len(captured.out.strip().splitlines()) == 3 + finished  # title, blank line, header, configurations
    resumed = InlineExecutor()
    assert sweep(out, *GRID, executor=resumed) == 0
    assert resumed.calls == 4 - finished and len(rows(out)) == 4


def test_ctrl_c_while_the_executor_starts_is_an_interrupted_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    @contextlib.contextmanager
    def connecting(jobs: int, address: str | None) -> Iterator[Executor]:
        raise KeyboardInterrupt  # e.g. while a Dask client connects
        yield InlineExecutor()

    monkeypatch.setattr(sweep_command, "open_executor", connecting)
    out = tmp_path / "sweep.csv"
    assert sweep(out, *GRID) == EXIT_INTERRUPTED
    assert rows(out) == [] and "interrupted after 0 of 4 runs" in capsys.readouterr().err


def test_a_run_that_train_reports_interrupted_stops_the_sweep_and_is_not_a_row(tmp_path: Path) -> None:
    out = tmp_path / "sweep.csv"
    executor = InlineExecutor({2: RunRecord(interrupted=True)})  # train caught Ctrl-C in the worker
    assert sweep(out, *GRID, executor=executor) == EXIT_INTERRUPTED
    assert {row["configuration"] for row in rows(out)} == {
        "lr=1e-3 activation=relu",
        "lr=1e-2 activation=relu",
        "lr=1e-2 activation=tanh",
    }


def test_runs_the_executor_loses_are_not_rows_and_the_sweep_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep.csv"
    executor = InlineExecutor({2: RuntimeError("worker died")})
    assert sweep(out, *GRID, executor=executor) == 1
    assert len(rows(out)) == 3
    err = capsys.readouterr().err
    assert "1 runs were not trained (lr=1e-3 activation=tanh seed 0: RuntimeError: worker died)" in err
    again = InlineExecutor()
    assert sweep(out, *GRID, executor=again) == 0 and again.calls == 1


def test_a_diverging_run_is_a_row_with_its_error_not_the_end_of_the_sweep(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep.csv"
    train = [*TRAIN, "--optimizer", "sgd", "--init-std", "10"]
    assert sweep(out, "--vary", "lr", "1e12", "1e-3", executor=InlineExecutor(), train=train) == 0
    found = {row["configuration"]: row for row in rows(out)}
    assert found["lr=1e12"]["stop_reason"] == "diverged at epoch 1"
    assert found["lr=1e12"]["error"].startswith("Training diverged at epoch 1: the loss is not finite")
    assert found["lr=1e-3"]["error"] == "" and found["lr=1e-3"]["test_accuracy"] != ""
    assert "1: Training diverged at epoch 1" in capsys.readouterr().out


def test_a_combination_train_refuses_while_running_is_a_row_with_trains_message(tmp_path: Path) -> None:
    out = tmp_path / "sweep.csv"
    train = [*TRAIN, "--loss", "bce"]
    assert sweep(out, "--vary", "output-activation", "sigmoid", "tanh", executor=InlineExecutor(), train=train) == 0
    found = {row["configuration"]: row for row in rows(out)}
    refused = found["output-activation=tanh"]
    assert refused["error"].startswith("minidl train: error: --loss bce needs outputs in [0, 1]")
    assert refused["test_accuracy"] == "" and found["output-activation=sigmoid"]["error"] == ""


def test_a_run_that_raises_is_a_row_with_the_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(argv: list[str]) -> int:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(sweep_worker, "main", broken)
    record = sweep_worker.train_once(["--epochs", "1"])
    assert record.failed and record.error == "RuntimeError: boom | second line" and not record.interrupted


def test_two_jobs_run_in_worker_processes_with_the_same_results(tmp_path: Path) -> None:
    inline, parallel = tmp_path / "inline.csv", tmp_path / "parallel.csv"
    assert sweep(inline, "--vary", "lr", "1e-3", "1e-2", executor=InlineExecutor()) == 0
    assert sweep(parallel, "--vary", "lr", "1e-3", "1e-2", "--jobs", "2") == 0
    metrics = ("configuration", "seed", "test_accuracy", "train_accuracy", "test_loss", "train_loss", "epochs")

    def results(path: Path) -> list[tuple[str, ...]]:
        return sorted(tuple(row[m] for m in metrics) for row in rows(path))

    assert results(parallel) == results(inline)


def test_dask_runs_on_a_local_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "sweep.csv"
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        assert sweep(out, "--vary", "lr", "1e-3", "1e-2", "--seeds", "2", "--dask", cluster.scheduler_address) == 0
    found = rows(out)
    assert sorted((row["configuration"], row["seed"]) for row in found) == [
        ("lr=1e-2", "0"),
        ("lr=1e-2", "1"),
        ("lr=1e-3", "0"),
        ("lr=1e-3", "1"),
    ]
    assert all(row["error"] == "" and 0 <= float(row["test_accuracy"]) <= 1 for row in found)


def test_the_plan_line_counts_one_of_a_kind_in_the_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = normalize_argv(["sweep", "--out", str(tmp_path / "s.csv"), "--vary", "lr", "1e-2", "--jobs", "1"])
    args = build_parser(["sweep"]).parse_args([*argv, "--", *TRAIN])
    assert run(args, InlineExecutor()) == 0
    plan = capsys.readouterr().err.splitlines()[0]
    assert "1 configuration x 1 seed = 1 run, 0 done in" in plan and plan.endswith("on 1 process")


def test_vary_classes_on_blobs_trains_one_row_per_class_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sweep.csv"
    train = [*TRAIN, "--dataset", "blobs"]
    assert sweep(out, "--vary", "classes", "3", "4", executor=InlineExecutor(), train=train) == 0
    found = {row["configuration"]: row for row in rows(out)}
    assert set(found) == {"classes=3", "classes=4"}
    assert all(row["error"] == "" and 0 <= float(row["test_accuracy"]) <= 1 for row in found.values())
    capsys.readouterr()
    assert main(["train", *train, "--classes", "4", "--seed", "0", "--json", "--quiet"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (
        result["config"]["layers"][-1] == 4 and float(found["classes=4"]["test_loss"]) == result["final"]["test_loss"]
    )


def test_vary_classes_on_a_fixed_set_is_a_row_with_trains_message(tmp_path: Path) -> None:
    out = tmp_path / "sweep.csv"
    assert sweep(out, "--vary", "classes", "3", executor=InlineExecutor()) == 0
    (row,) = rows(out)
    assert row["error"].startswith("minidl train: error: --classes 3 does not fit --dataset disc")
