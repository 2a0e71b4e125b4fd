"""The `Module` base class: forward, backward, parameters, modes and state dicts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import torch
from torch import Tensor


class Module:
    """A layer, activation, loss or container with a hand-written backward pass.

    Subclasses implement ``forward(*inputs)`` and ``backward(*grad_wrt_outputs)``. A module with
    parameters lists their attribute names in ``_param_names``; each parameter ``name`` has its
    gradient in the attribute ``name + "_grad"``, so ``param()`` returns ``[(name, name_grad), ...]``.
    ``backward`` *accumulates* into those gradients, as ``Tensor.grad`` does in PyTorch.
    """

    _param_names: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.training = True

    # -- computation -------------------------------------------------------------------------
    def forward(self, *inputs: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} does not implement forward()")

    def backward(self, *grad_wrt_outputs: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} does not implement backward()")

    def __call__(self, *inputs: Tensor) -> Tensor:
        return self.forward(*inputs)

    # -- parameters ----------------------------------------------------------------------------
    def children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules as ``(name, module)``; containers override this."""
        return iter(())

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Tensor, Tensor]]:
        """Every ``(dotted_name, parameter, gradient)`` of this module and its children, in order."""
        for name in self._param_names:
            yield prefix + name, getattr(self, name), getattr(self, name + "_grad")
        for child_name, child in self.children():
            yield from child.named_parameters(f"{prefix}{child_name}.")

    def _parameter_slots(self) -> Iterator[tuple[Module, str]]:
        """Every ``(owning_module, attribute_name)`` of a parameter, in ``named_parameters`` order."""
        for name in self._param_names:
            yield self, name
        for _, child in self.children():
            yield from child._parameter_slots()

    def param(self) -> list[tuple[Tensor, Tensor]]:
        """The list of ``(parameter, gradient)`` pairs, empty for a module without parameters."""
        return [(p, g) for _, p, g in self.named_parameters()]

    def parameters(self) -> list[Tensor]:
        """The parameters alone, as in PyTorch."""
        return [p for _, p, _ in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every gradient to zero (in place, so optimizers keep seeing the same tensors)."""
        for _, _, grad in self.named_parameters():
            grad.zero_()

    def _rebind_parameter(self, name: str, value: Tensor, grad: Tensor) -> None:
        """Point parameter ``name`` and its gradient at new tensors (used to pack them in one buffer)."""
        setattr(self, name, value)
        setattr(self, name + "_grad", grad)

    # -- modes ---------------------------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode on this module and its children; returns ``self``."""
        self.training = mode
        for _, child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode; returns ``self``."""
        return self.train(False)

    # -- state dicts ---------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Tensor]:
        """A copy of every parameter under its dotted name (``"0.weight"``), as in PyTorch."""
        return {name: p.detach().clone() for name, p, _ in self.named_parameters()}

    def load_state_dict(self, state_dict: Mapping[str, Tensor], strict: bool = True) -> Module:
        """Copy parameters in place from ``state_dict``: all of them, or none if anything is wrong.

        With ``strict=True`` the keys must match exactly, else a ``RuntimeError`` (as in PyTorch) lists
        the missing and unexpected keys; with ``strict=False`` only the shared keys are copied. Shapes
        must always match, else a ``ValueError`` names the key and both shapes. Returns ``self``.
        """
        own = {name: p for name, p, _ in self.named_parameters()}
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if strict and (missing or unexpected):
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}: "
                f"missing keys {missing}, unexpected keys {unexpected}"
            )
        pairs = [
            (name, target, torch.as_tensor(state_dict[name])) for name, target in own.items() if name in state_dict
        ]
        for name, target, source in pairs:
            if source.shape != target.shape:
                raise ValueError(
                    f"size mismatch for {name}: copying a param with shape {tuple(source.shape)}, "
                    f"the shape in the current model is {tuple(target.shape)}"
                )
        for _, target, source in pairs:
            target.copy_(source)
        return self

    # -- printing ------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside the parentheses of ``repr``; override to show constructor arguments."""
        return ""

    def __repr__(self) -> str:
        children = list(self.children())
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"  ({name}): " + repr(child).replace("\n", "\n  ") for name, child in children]
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


def check_state_fits(module: Module, state_dict: Mapping[str, Tensor]) -> None:
    """ValueError unless ``state_dict`` has exactly ``module``'s parameter names and shapes; copies nothing.

    The check `Module.load_state_dict` makes, in words for a person who chose a file: call it first where
    the weights come from a user.
    """
    own = {name: p.shape for name, p, _ in module.named_parameters()}
    missing = [name for name in own if name not in state_dict]
    unexpected = [name for name in state_dict if name not in own]
    if missing or unexpected:
        raise ValueError(f"the weights do not fit this model: missing {missing}, unexpected {unexpected}")
    for name, shape in own.items():
        if state_dict[name].shape != shape:
            raise ValueError(
                f"the weights do not fit this model: '{name}' has shape {list(state_dict[name].shape)} "
                f"but the model's is {list(shape)}"
            )
