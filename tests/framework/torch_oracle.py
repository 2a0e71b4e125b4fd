"""Oracles shared by the framework tests: a torch twin of a minidl model, and training loops for both.

The tests compare minidl with PyTorch in float64. A *twin* is the same network built from
``torch.nn`` with the very same weights, so one set of batches can drive both and every parameter
can be compared after N steps (tinygrad's optimizer tests work this way).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F  # noqa: N812
from torch import Tensor, nn

import minidl
from minidl.module import Module

F64 = torch.float64

#: Each minidl activation and its torch.nn counterpart with the same constructor arguments.
TORCH_ACTIVATIONS: dict[type[Module], Callable[[Module], nn.Module]] = {
    minidl.ReLU: lambda m: nn.ReLU(),
    minidl.LeakyReLU: lambda m: nn.LeakyReLU(m.negative_slope),
    minidl.ELU: lambda m: nn.ELU(m.alpha),
    minidl.Tanh: lambda m: nn.Tanh(),
    minidl.Sigmoid: lambda m: nn.Sigmoid(),
    minidl.SiLU: lambda m: nn.SiLU(),
    minidl.Softplus: lambda m: nn.Softplus(m.beta, m.threshold),
    minidl.Identity: lambda m: nn.Identity(),
    minidl.Softmax: lambda m: nn.Softmax(m.dim),
}

#: Each minidl loss and the torch.nn.functional function it must equal (mean reduction).
TORCH_LOSSES: dict[type[Module], Callable[[Tensor, Tensor], Tensor]] = {
    minidl.MSELoss: F.mse_loss,
    minidl.MAELoss: F.l1_loss,
    minidl.BCELoss: F.binary_cross_entropy,
    minidl.BCEWithLogitsLoss: F.binary_cross_entropy_with_logits,
    minidl.CrossEntropyLoss: F.cross_entropy,
}


def torch_module(module: Module) -> nn.Module:
    """The torch.nn module computing what ``module`` computes, with a copy of its weights (float64)."""
    if isinstance(module, minidl.Sequential):
        return nn.Sequential(*(torch_module(child) for child in module))
    if isinstance(module, minidl.Linear):
        twin = nn.Linear(module.in_features, module.out_features, bias=module.bias is not None, dtype=F64)
        with torch.no_grad():
            twin.weight.copy_(module.weight)
            if module.bias is not None:
                twin.bias.copy_(module.bias)
        return twin
    return TORCH_ACTIVATIONS[type(module)](module)


def assert_params_match(model: Module, twin: nn.Module) -> None:
    """Every parameter of ``model`` equals the same-named parameter of ``twin``."""
    ours = dict(model.named_parameters())
    theirs = dict(twin.named_parameters())
    assert list(ours) == list(theirs)
    for name, p in ours.items():
        torch.testing.assert_close(p, theirs[name].detach(), msg=lambda m, n=name: f"{n}: {m}")


def make_batches(steps: int, batch_size: int, in_features: int, out_features: int, seed: int = 0) -> list:
    """``steps`` float64 batches ``(x, y)`` of random inputs and targets in [0, 1)."""
    g = torch.Generator().manual_seed(seed)
    return [
        (
            torch.rand(batch_size, in_features, generator=g, dtype=F64),
            torch.rand(batch_size, out_features, generator=g, dtype=F64),
        )
        for _ in range(steps)
    ]


Hook = Callable[[int, object], None]


def train_minidl(
    model: Module,
    optimizer: minidl.Optimizer,
    batches: list,
    criterion: Module | None = None,
    before_step: Hook | None = None,
) -> list[float]:
    """The report's loop (zero_grad, forward, loss, backward, step) over ``batches``; returns the losses."""
    criterion = criterion or minidl.MSELoss()
    losses = []
    for index, (x, y) in enumerate(batches):
        if before_step is not None:
            before_step(index, optimizer)
        optimizer.zero_grad()
        losses.append(criterion.forward(model.forward(x), y).item())
        model.backward(criterion.backward())
        optimizer.step()
    return losses


def train_torch(
    net: nn.Module,
    optimizer: torch.optim.Optimizer,
    batches: list,
    loss_fn: Callable[[Tensor, Tensor], Tensor] = F.mse_loss,
    l1: float = 0.0,
    before_step: Hook | None = None,
) -> list[float]:
    """The same loop with autograd; ``l1`` adds ``l1 · Σ|p|`` over every parameter to the loss."""
    losses = []
    for index, (x, y) in enumerate(batches):
        if before_step is not None:
            before_step(index, optimizer)
        optimizer.zero_grad()
        loss = loss_fn(net(x), y)
        losses.append(loss.item())
        if l1:
            loss = loss + l1 * sum(p.abs().sum() for p in net.parameters())
        loss.backward()
        optimizer.step()
    return losses


def train_twins(
    build_model: Callable[[], Module],
    optimizer_classes: tuple[type[minidl.Optimizer], type[torch.optim.Optimizer]],
    steps: int,
    batch_size: int = 4,
    l1: float = 0.0,
    before_step: Hook | None = None,
    **hyperparameters: object,
) -> tuple[Module, nn.Module]:
    """A model and its twin, each trained ``steps`` steps on the same batches by its own optimizer class.

    The losses of every step must agree; returns both models for comparing their parameters.
    """
    ours, theirs = optimizer_classes
    model = build_model()
    twin = torch_module(model)
    batches = make_batches(steps, batch_size, 3, 2)
    losses = train_minidl(model, ours(model.param(), l1=l1, **hyperparameters), batches, before_step=before_step)
    expected = train_torch(twin, theirs(twin.parameters(), **hyperparameters), batches, l1=l1, before_step=before_step)
    torch.testing.assert_close(torch.tensor(losses), torch.tensor(expected))
    return model, twin


def set_hyperparameters(optimizer: minidl.Optimizer | torch.optim.Optimizer, values: dict[str, object]) -> None:
    """Change hyperparameters between steps: attributes of a minidl optimizer, the one param group of torch's."""
    if isinstance(optimizer, torch.optim.Optimizer):
        optimizer.param_groups[0].update(values)
        return
    for name, value in values.items():
        setattr(optimizer, name, value)


def packed_model() -> minidl.Sequential:
    """A tiny 3-4-4-2 tanh/SiLU net in float64: `Sequential` packs its parameters into one flat buffer."""
    return minidl.mlp(3, (4, 4), 2, activation=("tanh", "silu"), seed=7, dtype=F64)


def separate_model() -> minidl.Linear:
    """A bare 3→2 `Linear` in float64: its parameters are two separate tensors."""
    return minidl.Linear(3, 2, generator=torch.Generator().manual_seed(7), dtype=F64)


MODEL_BUILDERS = {"packed": packed_model, "separate": separate_model}
