"""The benchmarked net, built twice from the same weights: once in minidl, once in torch.nn.

The report's model: 2-25-25-25-1, ReLU, MSE loss, weights and biases drawn from the report's init
(N(0, 1): ``REPORT_INIT``, ``REPORT_INIT_STD``), trained on 1000 points of the disc set.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

import minidl
from minidl.data import make_disc
from minidl.experiments import REPORT_EXPERIMENTS, REPORT_INIT, REPORT_INIT_STD

#: The report's learning rates: SGD 5e-5 (500 epochs), Adam 5e-3 (100 epochs).
LEARNING_RATES = {experiment.optimizer: experiment.lr for experiment in REPORT_EXPERIMENTS}
OPTIMIZERS = tuple(LEARNING_RATES)
WEIGHT_SEED, TRAIN_SEED, TEST_SEED = 0, 1, 2


@dataclass
class Twins:
    """The same net and optimizer in both frameworks, from identical initial weights."""

    model: minidl.Sequential
    criterion: minidl.MSELoss
    optimizer: minidl.Optimizer
    net: nn.Sequential
    torch_optimizer: torch.optim.Optimizer


def report_data(n: int = 1000, seed: int = TRAIN_SEED) -> tuple[Tensor, Tensor]:
    """``n`` points of the report's disc set (float32, y of shape (n, 1))."""
    return make_disc(n, seed=seed)


def minidl_optimizer(name: str, model: minidl.Module) -> minidl.Optimizer:
    """minidl's SGD or Adam over ``model`` at the report's learning rate."""
    return minidl.OPTIMIZERS[name](model.param(), lr=LEARNING_RATES[name])


def torch_optimizer(name: str, net: nn.Module) -> torch.optim.Optimizer:
    """torch.optim's SGD or Adam over ``net`` at the report's learning rate, default settings otherwise."""
    kind = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[name]
    return kind(net.parameters(), lr=LEARNING_RATES[name])


def torch_twin(model: minidl.Sequential) -> nn.Sequential:
    """An ``nn.Sequential`` with the same layers as ``model`` (Linear and ReLU) and a copy of its weights."""
    layers: list[nn.Module] = []
    for module in model:
        if isinstance(module, minidl.Linear):
            layers.append(nn.Linear(module.in_features, module.out_features, bias=module.bias is not None))
        elif isinstance(module, minidl.ReLU):
            layers.append(nn.ReLU())
        else:
            raise TypeError(f"torch_twin knows Linear and ReLU, not {type(module).__name__}")
    net = nn.Sequential(*layers)
    net.load_state_dict(model.state_dict())
    return net


def make_twins(optimizer: str, seed: int = WEIGHT_SEED) -> Twins:
    """The report's net in both frameworks with ``optimizer`` ("sgd" or "adam"), weights from ``seed`` drawn
    from the report's init (so the accuracies match the report's runs); the torch twin gets a copy of them."""
    model = minidl.mlp(init=REPORT_INIT, init_std=REPORT_INIT_STD, seed=seed)
    net = torch_twin(model)
    return Twins(model, minidl.MSELoss(), minidl_optimizer(optimizer, model), net, torch_optimizer(optimizer, net))
