"""``minidl sweep``'s summary: mean ± sample std of the test accuracy per configuration, best first."""

from __future__ import annotations

import statistics

import pytest

from minidl.cli.sweep_record import RunRecord
from minidl.cli.sweep_results import SweepRow
from minidl.cli.sweep_summary import format_summary, summarize, summary_json


def _row(lr: str, seed: int, accuracy: float | None, seconds: float = 1.0, error: str = "") -> SweepRow:
    return SweepRow(f"lr={lr}", {"--lr": lr}, seed, RunRecord(test_accuracy=accuracy, seconds=seconds, error=error))


ROWS = [
    _row("0.1", 0, 0.80, 2.0),
    _row("0.1", 1, 0.90, 4.0),
    _row("0.1", 2, 1.00, 6.0),
    _row("0.01", 0, 0.95),
    _row("0.01", 1, 0.97),
    _row("1", 0, 0.5, error="diverged at epoch 3"),
    _row("1", 1, 0.99),
    _row("10", 0, None, error="diverged at epoch 1"),
]
LABELS = ["lr=0.1", "lr=0.01", "lr=1", "lr=10", "lr=100"]


def test_configurations_are_ordered_by_mean_test_accuracy_those_without_one_last() -> None:
    summaries = summarize(ROWS, LABELS)
    assert [s.label for s in summaries] == ["lr=1", "lr=0.01", "lr=0.1", "lr=10"]  # lr=100 has no row


def test_mean_and_sample_std_over_the_seeds_without_the_failed_runs() -> None:
    by_label = {s.label: s for s in summarize(ROWS, LABELS)}
    assert by_label["lr=0.1"].mean == pytest.approx(0.9)
    assert by_label["lr=0.1"].std == pytest.approx(0.1)  # sample std (n - 1) of 0.8, 0.9, 1.0
    assert by_label["lr=0.01"].std == pytest.approx(statistics.stdev([0.95, 0.97]))
    assert by_label["lr=0.1"].mean_seconds == pytest.approx(4.0)
    assert by_label["lr=1"].accuracies == (0.99,) and by_label["lr=1"].std is None
    assert by_label["lr=1"].errors == ("diverged at epoch 3",)


def test_the_table_has_a_line_per_configuration_with_mean_std_seeds_time_and_failures() -> None:
    lines = format_summary(summarize(ROWS, LABELS), ["--lr"]).splitlines()
    table = lines[lines.index("") + 1 :]
    assert table[0].split() == ["lr", "test", "accuracy", "seeds", "time", "per", "run", "failed"]
    assert table[1].split() == ["1", "99.0", "%", "1", "1.0", "s", "1:", "diverged", "at", "epoch", "3"]
    assert table[2].split() == ["0.01", "96.0", "±", "1.4", "%", "2", "1.0", "s"]
    assert table[3].split() == ["0.1", "90.0", "±", "10.0", "%", "3", "4.0", "s"]
    assert table[4].split()[:3] == ["10", "-", "0"]


def test_no_finished_run_says_so() -> None:
    assert "no run has finished" in format_summary([], ["--lr"])


def test_the_json_summary_holds_the_same_numbers_in_the_same_order() -> None:
    summaries = summarize(ROWS, LABELS)
    document = summary_json(summaries)["configurations"]
    assert [c["configuration"] for c in document] == [s.label for s in summaries]
    assert document[2]["values"] == {"--lr": "0.1"} and document[2]["seeds"] == 3
    assert document[2]["test_accuracy_mean"] == pytest.approx(0.9)
    assert document[2]["test_accuracy_std"] == pytest.approx(0.1)
    assert document[0]["failed"] == 1 and document[0]["test_accuracy_std"] is None


def test_a_regression_is_summarized_by_its_test_r2_which_it_has_in_place_of_an_accuracy() -> None:
    """``minidl sweep -- --dataset plane`` showed '-' and 0 seeds for every configuration: a regression has no
    accuracy. Its test R² is summarized (mean ± std, ranked), beside classifications ranked by their accuracy."""
    plane = [
        SweepRow("dataset=plane", {"--dataset": "plane"}, seed, RunRecord(test_r2=r2, seconds=1.0))
        for seed, r2 in enumerate((0.99, 0.97))
    ]
    disc = SweepRow("dataset=disc", {"--dataset": "disc"}, 0, RunRecord(test_accuracy=0.9, seconds=1.0))
    summaries = summarize([*plane, disc], ["dataset=disc", "dataset=plane"])
    assert [s.label for s in summaries] == ["dataset=plane", "dataset=disc"]  # 0.98 before 0.9
    assert summaries[0].r2_mean == pytest.approx(0.98) and summaries[0].mean is None
    table = format_summary(summaries, ["--dataset"])
    assert table.startswith("final test accuracy (a regression: test R²): mean ± sample std")
    assert "plane    R² 0.980 ± 0.014      2" in table and "disc               90.0 %      1" in table
    entry = summary_json(summaries)["configurations"][0]
    assert entry["test_r2_mean"] == pytest.approx(0.98) and entry["seeds"] == 2 and entry["test_accuracy_mean"] is None
