"""Training loops, metrics and runs built from plain settings, free of Qt."""

from minidl.training.metrics import (
    Measurement,
    accuracy,
    confusion_matrix,
    mean_absolute_error,
    predict_labels,
    r2_score,
    rmse,
)
from minidl.training.progress import EpochProgress
from minidl.training.run_settings import (
    RunSettings,
    build_model,
    build_optimizer,
    build_run,
    build_scheduler,
    check_available,
    update_run,
)
from minidl.training.trainer import EpochResult, StopRules, Trainer, TrainingDiverged

__all__ = [
    "EpochProgress",
    "EpochResult",
    "Measurement",
    "RunSettings",
    "StopRules",
    "Trainer",
    "TrainingDiverged",
    "accuracy",
    "build_model",
    "build_optimizer",
    "build_run",
    "build_scheduler",
    "check_available",
    "confusion_matrix",
    "mean_absolute_error",
    "predict_labels",
    "r2_score",
    "rmse",
    "update_run",
]
