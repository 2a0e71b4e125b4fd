"""minidl: a deep-learning framework written from torch tensor operations, without autograd.

Every module has a hand-written ``backward``; the tests prove each gradient against PyTorch.
The data sets live in `minidl.data`, the training loop in `minidl.training`; their main names are
importable from here too.
"""

from minidl import data, training
from minidl.activations import ACTIVATIONS, ELU, Identity, LeakyReLU, ReLU, Sigmoid, SiLU, Softplus, Tanh
from minidl.data import DataLoader, make_dataset, make_disc, train_test_split
from minidl.linear import Linear
from minidl.losses import LOSSES, BCELoss, BCEWithLogitsLoss, MAELoss, MSELoss
from minidl.models import mlp
from minidl.module import Module
from minidl.optim import OPTIMIZERS, SGD, Adam, Optimizer
from minidl.schedulers import SCHEDULERS, CosineAnnealingLR, ExponentialLR, LRScheduler, StepLR, make_scheduler
from minidl.sequential import Sequential
from minidl.training import EpochResult, StopRules, Trainer, TrainingDiverged

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "ELU",
    "LOSSES",
    "OPTIMIZERS",
    "SCHEDULERS",
    "SGD",
    "Adam",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CosineAnnealingLR",
    "DataLoader",
    "EpochResult",
    "ExponentialLR",
    "Identity",
    "LRScheduler",
    "LeakyReLU",
    "Linear",
    "MAELoss",
    "MSELoss",
    "Module",
    "Optimizer",
    "ReLU",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "Softplus",
    "StepLR",
    "StopRules",
    "Tanh",
    "Trainer",
    "TrainingDiverged",
    "data",
    "make_dataset",
    "make_disc",
    "make_scheduler",
    "mlp",
    "train_test_split",
    "training",
]
