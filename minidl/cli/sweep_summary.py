"""A sweep's summary: per configuration, the mean ± sample standard deviation of the final test accuracy over
its seeds (a regression's: of the final test R², which has no accuracy), best mean first. Torch-free.

A run that failed (diverged, refused, raised) or has no test accuracy (no test points) does not enter the
mean; failures are counted beside it, so a configuration that diverged for some seeds is seen as such.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from minidl.cli.sweep_results import SweepRow
from minidl.formatting import duration

NOTE_LENGTH = 80
"""Characters of the first failure's message shown in the summary's last column."""


@dataclass(frozen=True)
class ConfigurationSummary:
    """The runs of one configuration: ``accuracies`` (final test accuracy of each run without error),
    ``seconds`` (every run's wall time), ``errors`` (each failed run's message) and ``r2``: a regression's
    final test R² of each run without error (it has no accuracy)."""

    label: str
    values: dict[str, str]
    accuracies: tuple[float, ...]
    seconds: tuple[float, ...]
    errors: tuple[str, ...]
    r2: tuple[float, ...] = ()

    @property
    def mean(self) -> float | None:
        """Mean test accuracy over the runs in ``accuracies``; None without any."""
        return _mean(self.accuracies)

    @property
    def std(self) -> float | None:
        """Sample standard deviation (n − 1) of the test accuracies; None for fewer than two."""
        return _std(self.accuracies)

    @property
    def r2_mean(self) -> float | None:
        """Mean test R² over the runs in ``r2``; None without any."""
        return _mean(self.r2)

    @property
    def r2_std(self) -> float | None:
        """Sample standard deviation (n − 1) of the test R²; None for fewer than two."""
        return _std(self.r2)

    @property
    def score(self) -> float | None:
        """What ranks the configuration: its mean test accuracy, else (a regression) its mean test R²."""
        return self.mean if self.mean is not None else self.r2_mean

    @property
    def seeds(self) -> int:
        """How many runs the score is the mean of."""
        return len(self.accuracies or self.r2)

    @property
    def mean_seconds(self) -> float | None:
        return _mean(self.seconds)


def _mean(values: tuple[float, ...]) -> float | None:
    return statistics.fmean(values) if values else None


def _std(values: tuple[float, ...]) -> float | None:
    """The sample standard deviation (n − 1); None for fewer than two values."""
    return statistics.stdev(values) if len(values) > 1 else None


def summarize(rows: Iterable[SweepRow], labels: Sequence[str]) -> list[ConfigurationSummary]:
    """One summary per configuration of ``labels`` that has rows, best mean test accuracy first (those
    without one last); equal means keep the order of ``labels``."""
    grouped: dict[str, list[SweepRow]] = {label: [] for label in labels}
    for row in rows:
        if row.label in grouped:
            grouped[row.label].append(row)
    summaries = [_summary(label, mine) for label, mine in grouped.items() if mine]
    return sorted(summaries, key=lambda s: (s.score is None, -(s.score or 0.0)))


def _summary(label: str, rows: Sequence[SweepRow]) -> ConfigurationSummary:
    """The summary of one configuration's ``rows``: the metrics of the runs that did not fail, where measured."""
    done = [row.record for row in rows if not row.record.failed]
    return ConfigurationSummary(
        label=label,
        values=rows[0].values,
        accuracies=tuple(r.test_accuracy for r in done if r.test_accuracy is not None),
        seconds=tuple(row.record.seconds for row in rows),
        errors=tuple(row.record.error for row in rows if row.record.failed),
        r2=tuple(r.test_r2 for r in done if r.test_r2 is not None),
    )


def format_summary(summaries: Sequence[ConfigurationSummary], options: Sequence[str]) -> str:
    """A table: the varied values, ``mean ± std %`` of the test accuracy, the number of seeds in it, the mean
    wall time per run, and failures (how many, and the first one's message)."""
    if not summaries:
        return "no run has finished: nothing to summarize"
    names = [option.lstrip("-") for option in options] or ["configuration"]
    header = [*names, "test accuracy", "seeds", "time per run", "failed"]
    table = [header]
    for summary in summaries:
        values = [summary.values[option] for option in options] or [summary.label]
        failed = f"{len(summary.errors)}: {_shorten(summary.errors[0])}" if summary.errors else ""
        table.append([*values, _accuracy(summary), str(summary.seeds), duration(summary.mean_seconds), failed])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    left = len(names)  # the values are left-aligned, the numbers right-aligned, the failures left
    lines = []
    for row in table:
        cells = [
            cell.ljust(width) if i < left or i == len(header) - 1 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    metric = (
        "test accuracy (a regression: test R²)" if any(s.mean is None and s.r2 for s in summaries) else "test accuracy"
    )
    return "\n".join(
        [f"final {metric}: mean ± sample std over seeds, best first; failed runs are not in the mean", "", *lines]
    )


def summary_json(summaries: Sequence[ConfigurationSummary]) -> dict[str, Any]:
    """The summary as JSON-ready values, in the same order."""
    return {
        "configurations": [
            {
                "configuration": s.label,
                "values": s.values,
                "test_accuracy_mean": s.mean,
                "test_accuracy_std": s.std,
                "test_r2_mean": s.r2_mean,
                "test_r2_std": s.r2_std,
                "seeds": s.seeds,
                "failed": len(s.errors),
                "errors": list(s.errors),
                "seconds_mean": s.mean_seconds,
            }
            for s in summaries
        ]
    }


def _accuracy(summary: ConfigurationSummary) -> str:
    """``"97.5 ± 0.3 %"``; ``"97.5 %"`` for one seed; a regression's ``"R² 0.987 ± 0.002"``; ``"-"`` without any."""
    if summary.mean is None and summary.r2_mean is not None:
        spread = "" if summary.r2_std is None else f" ± {summary.r2_std:.3f}"
        return f"R² {summary.r2_mean:.3f}{spread}"
    if summary.mean is None:
        return "-"
    if summary.std is None:
        return f"{100 * summary.mean:.1f} %"
    return f"{100 * summary.mean:.1f} ± {100 * summary.std:.1f} %"


def _shorten(text: str) -> str:
    return text if len(text) <= NOTE_LENGTH else text[: NOTE_LENGTH - 3] + "..."
