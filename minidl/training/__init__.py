"""Training loops and metrics, free of Qt."""

from minidl.training.metrics import accuracy, confusion_matrix, predict_labels
from minidl.training.trainer import EpochResult, StopRules, Trainer, TrainingDiverged

__all__ = [
    "EpochResult",
    "StopRules",
    "Trainer",
    "TrainingDiverged",
    "accuracy",
    "confusion_matrix",
    "predict_labels",
]
