"""minidl: a deep-learning framework written from torch tensor operations, without autograd.

Every module has a hand-written ``backward``; the tests prove each gradient against PyTorch.
"""

from minidl.activations import ELU, Identity, LeakyReLU, ReLU, Sigmoid, SiLU, Softplus, Tanh
from minidl.linear import Linear
from minidl.losses import BCELoss, BCEWithLogitsLoss, MAELoss, MSELoss
from minidl.models import mlp
from minidl.module import Module
from minidl.optim import SGD, Adam, Optimizer
from minidl.schedulers import CosineAnnealingLR, ExponentialLR, LRScheduler, StepLR
from minidl.sequential import Sequential

__version__ = "0.1.0"

__all__ = [
    "ELU",
    "SGD",
    "Adam",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CosineAnnealingLR",
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
    "Tanh",
    "mlp",
]
