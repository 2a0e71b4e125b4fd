"""What ``minidl train`` reports: the final metrics of a run (a dict, for ``--json`` and the table) and the
plain-text summary.

A classification reports accuracies and confusion matrices (rows: the true class, columns: the predicted one);
a regression reports RMSE, MAE and R² in place of accuracy. Missing values in the summary stay ASCII (``-``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

from minidl.features import DEFAULT_FEATURES
from minidl.formatting import duration, number, percent
from minidl.problem import Problem
from minidl.training import EpochResult, Trainer, TrainingDiverged, confusion_matrix, mean_absolute_error

NO_EPOCH = "no epoch trained"


def final_metrics(
    trainer: Trainer,
    history: list[EpochResult],
    diverged: TrainingDiverged | None,
    *,
    interrupted: bool = False,
) -> dict[str, Any]:
    """The metrics of the model as it is now (the last finite epoch's after a divergence); none before an epoch.
    An ``interrupted`` run stopped mid-epoch: its weights are no epoch's, so only the last epoch's numbers.

    Every run has the losses and accuracies (None for a regression); a classification adds the
    ``train_confusion_matrix`` and ``test_confusion_matrix`` of a model that is an epoch's, a regression
    ``train_rmse``, ``train_mae``, ``train_r2`` and the same for test (None where not measured). The problem is
    the trainer's."""
    problem = trainer.problem
    last = history[-1] if history else None
    if diverged is not None:
        stop_reason = f"diverged at epoch {diverged.epoch}"
    else:
        stop_reason = last.stop_reason if last else NO_EPOCH
    final: dict[str, Any] = {
        "epochs": last.epoch if interrupted and last else trainer.epoch,
        "stop_reason": stop_reason,
        "train_loss": last.train_loss if last else None,
        "train_accuracy": last.train_accuracy if last else None,
        "test_loss": last.test_loss if last else None,
        "test_accuracy": last.test_accuracy if last else None,
        "seconds": trainer.elapsed,
        "steps_per_second": sum(r.steps_per_second for r in history) / len(history) if history else None,
    }
    if not problem.is_classification:
        for split in ("train", "test"):
            final[f"{split}_rmse"] = getattr(last, f"{split}_rmse") if last else None
            final[f"{split}_mae"] = None
            final[f"{split}_r2"] = getattr(last, f"{split}_r2") if last else None
    if not history or interrupted:
        return final
    sets = {"train": (trainer.loader.x, trainer.loader.y), "test": trainer.test}
    for split, data in sets.items():
        if data is None:
            continue
        x, y = data
        output = trainer.model.forward(x)
        if problem.is_classification:
            matrix = confusion_matrix(output, y, trainer.threshold, classes=problem.classes)
            final[f"{split}_confusion_matrix"] = matrix.tolist()
        else:
            final[f"{split}_mae"] = mean_absolute_error(output, y.view_as(output))
    return final


# The summary's missing values stay ASCII.
_percent = functools.partial(percent, missing="-")
_loss = functools.partial(number, missing="-")
_r2 = functools.partial(number, spec=".4f", missing="-")


def _normal_init(config: dict[str, Any]) -> str:
    """`` (std 1)`` or `` (mean 0.5, std 1)`` for the normal init, nothing for the others."""
    if config["init"] != "normal":
        return ""
    mean = f"mean {config['init_mean']:g}, " if config["init_mean"] else ""
    return f" ({mean}std {config['init_std']:g})"


def summary(config: dict[str, Any], history: list[EpochResult], final: dict[str, Any]) -> str:
    """A short plain-text report: the set-up, about ten epochs of history, the final metrics."""
    problem = Problem.parse(config["problem"])
    layers = "-".join(str(n) for n in config["layers"])
    optimizer = f"{config['optimizer']} lr {config['lr']:g}"
    source = config["data"] or config["dataset"]
    if problem.kind != "binary":
        source = f"{source} ({problem})"
    threshold = f", threshold {config['threshold']:g}" if problem.kind == "binary" else ""
    lines = [
        f"data     {source}: {config['train_points']} train, {config['validation_points']} validation, "
        f"{config['test_points']} test points (seed {config['seed']})",
        f"model    {layers}, {','.join(config['activation'])} -> {config['output_activation']}, "
        f"init {config['init']}{_normal_init(config)}, {config['dtype']} on {config['device']}",
    ]
    if tuple(config["features"]) != DEFAULT_FEATURES:
        lines.append(f"features {', '.join(config['features'])}")
    lines += [f"training {config['loss']} loss, {optimizer}, batch {config['batch_size']}{threshold}", ""]
    if not history:
        return "\n".join([*lines, f"stopped  {NO_EPOCH}"])
    regression = not problem.is_classification
    lines.append(_history_header(regression))
    every = max(1, math.ceil(len(history) / 10))
    for result in history:
        if result.epoch % every == 0 or result is history[-1]:
            lines.append(_history_row(result, regression))
    lines += ["", f"stopped  {final['stop_reason']}"]
    if regression:
        lines.append(f"final    {_regression('test', final)}; {_regression('train', final)}; {_trained(final)}")
        return "\n".join(lines)
    lines.append(
        f"final    test accuracy {_percent(final['test_accuracy'])}, train accuracy {_percent(final['train_accuracy'])}"
        f", {_trained(final)}"
    )
    if problem.kind == "binary":
        if "test_confusion_matrix" in final:
            (tn, fp), (fn, tp) = final["test_confusion_matrix"]
            lines.append(f"test     true 0 -> predicted 0: {tn}, -> 1: {fp};  true 1 -> predicted 0: {fn}, -> 1: {tp}")
        return "\n".join(lines)
    for split in ("train", "test"):
        if f"{split}_confusion_matrix" in final:
            lines += ["", *confusion_table(split, final[f"{split}_confusion_matrix"])]
    return "\n".join(lines)


def _trained(final: dict[str, Any]) -> str:
    return f"{duration(final['seconds'])} of training"


def _history_header(regression: bool) -> str:
    if regression:
        return (
            f"{'epoch':>6}  {'train loss':>10}  {'test loss':>10}  {'train RMSE':>10}  {'test RMSE':>10}  "
            f"{'train R²':>8}  {'test R²':>8}"
        )
    return f"{'epoch':>6}  {'train loss':>10}  {'test loss':>10}  {'train acc':>9}  {'test acc':>9}"


def _history_row(result: EpochResult, regression: bool) -> str:
    start = f"{result.epoch:>6}  {_loss(result.train_loss):>10}  {_loss(result.test_loss):>10}"
    if regression:
        return (
            f"{start}  {_loss(result.train_rmse):>10}  {_loss(result.test_rmse):>10}  "
            f"{_r2(result.train_r2):>8}  {_r2(result.test_r2):>8}"
        )
    return f"{start}  {_percent(result.train_accuracy):>9}  {_percent(result.test_accuracy):>9}"


def _regression(split: str, final: dict[str, Any]) -> str:
    """``test RMSE 0.05, MAE 0.04, R² 0.9812``."""
    return (
        f"{split} RMSE {_loss(final[f'{split}_rmse'])}, MAE {_loss(final[f'{split}_mae'])}, "
        f"R² {_r2(final[f'{split}_r2'])}"
    )


def confusion_table(split: str, matrix: Sequence[Sequence[int]]) -> list[str]:
    """The lines of a k×k confusion matrix: a title, a header of predicted classes, one row per true class.

    >>> print("\\n".join(confusion_table("test", [[5, 1, 0], [0, 6, 0], [2, 0, 4]])))
    test confusion matrix (rows: true class, columns: predicted class)
              pred 0  pred 1  pred 2
      true 0       5       1       0
      true 1       0       6       0
      true 2       2       0       4
    """
    k = len(matrix)
    width = max(len(f"pred {k - 1}"), *(len(str(count)) for row in matrix for count in row))
    header = "  ".join(f"{f'pred {j}':>{width}}" for j in range(k))
    rows = ["  ".join(f"{count:>{width}}" for count in row) for row in matrix]
    return [
        f"{split} confusion matrix (rows: true class, columns: predicted class)",
        f"{'':8}  {header}",
        *(f"{f'  true {i}':8}  {row}" for i, row in enumerate(rows)),
    ]
