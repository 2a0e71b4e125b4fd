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
    def r2_mean(self) -> float | None:
        """Mean test R² over the runs in ``r2``; None without any."""
        return statistics.fmean(self.r2) if self.r2 else None

    @property
    def r2_std(self) -> float | None:
        """Sample standard deviation (n − 1) of the test R²; None for fewer than two."""
        return statistics.stdev(self.r2) if len(self.r2) > 1 else None

    @property
    def score(self) -> float | None:
        """What ranks the configuration: its mean test accuracy, else (a regression) its mean test R²."""
        return self.mean if self.mean is not None else self.r2_mean

    @property
    def mean(self) -> float | None:
        """Mean test accuracy over the runs in ``accuracies``; None without any."""
        return statistics.fmean(self.accuracies) if self.accuracies else None

    @property
    def std(self) -> float | None:
        """Sample standard deviation (n − 1) of the test accuracies; None for fewer than two."""
        return statistics.stdev(self.accuracies) if len(self.accuracies) > 1 else None

    @property
    def mean_seconds(self) -> float | None:
        return statistics.fmean(self.seconds) if self.seconds else None


def summarize(rows: Iterable[SweepRow], labels: Sequence[str]) -> list[ConfigurationSummary]:
    """One summary per configuration of ``labels`` that has rows, best mean test accuracy first (those
    without one last); equal means keep the order of ``labels``."""
    grouped: dict[str, list[SweepRow]] = {label: [] for label in labels}
    for row in rows:
        if row.label in grouped:
            grouped[row.label].append(row)
    summaries = [
        ConfigurationSummary(
            label=label,
            values=mine[0].values,
            accuracies=tuple(
                r.record.test_accuracy for r in mine if not r.record.failed and r.record.test_accuracy is not None
            ),
            seconds=tuple(r.record.seconds for r in mine),
            errors=tuple(r.record.error for r in mine if r.record.failed),
            r2=tuple(r.record.test_r2 for r in mine if not r.record.failed and r.record.test_r2 is not None),
        )
        for label, mine in grouped.items()
        if mine
    ]
    return sorted(summaries, key=lambda s: (s.score is None, -(s.score or 0.0)))


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
        table.append(
            [
                *values,
                _accuracy(summary),
                str(len(summary.accuracies or summary.r2)),
                duration(summary.mean_seconds),
                failed,
            ]
        )
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
                "seeds": len(s.accuracies or s.r2),
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
