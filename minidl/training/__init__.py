"""Training loops, metrics and runs built from plain settings, free of Qt."""

from minidl.training.metrics import accuracy, confusion_matrix, predict_labels
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
    "EpochResult",
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
    "predict_labels",
    "update_run",
]
