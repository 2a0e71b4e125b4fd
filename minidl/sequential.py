"""`Sequential`: modules chained in order, with their parameters packed in one flat buffer."""

from __future__ import annotations

from collections.abc import Iterator

import torch
from torch import Tensor

from minidl.module import Module


class Sequential(Module):
    """``y = fₙ(…f₂(f₁(x)))``; backward applies the chain rule in reverse: ∂L/∂x = J₁ᵀ(…Jₙᵀ ∂L/∂y).

    On construction every parameter (and every gradient) of the children becomes a view into one
    contiguous buffer, so an optimizer updates the whole model with a handful of tensor operations.
    Set ``needs_input_grad = False`` when the caller does not use the gradient w.r.t. the input
    (training does not): the first layer then skips that matrix product and ``backward`` returns None.
    """

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for index, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential argument {index} is a {type(module).__name__}, not a minidl Module")
        self._modules: tuple[Module, ...] = modules
        self._needs_input_grad = True
        self._pack_parameters()

    def _pack_parameters(self) -> None:
        slots = list(self._parameter_slots())
        tensors = [getattr(module, name) for module, name in slots]
        if not tensors or len({t.dtype for t in tensors}) != 1:
            return
        total = sum(t.numel() for t in tensors)
        flat_params = torch.empty(total, dtype=tensors[0].dtype)
        flat_grads = torch.zeros(total, dtype=tensors[0].dtype)
        offset = 0
        for (module, name), tensor in zip(slots, tensors, strict=True):
            size = tensor.numel()
            value = flat_params[offset : offset + size].view_as(tensor)
            value.copy_(tensor)
            grad = flat_grads[offset : offset + size].view_as(tensor)
            grad.copy_(getattr(module, name + "_grad"))
            module._rebind_parameter(name, value, grad)
            offset += size

    def children(self) -> Iterator[tuple[str, Module]]:
        return ((str(i), m) for i, m in enumerate(self._modules))

    @property
    def needs_input_grad(self) -> bool:
        return self._needs_input_grad

    @needs_input_grad.setter
    def needs_input_grad(self, value: bool) -> None:
        self._needs_input_grad = value
        if self._modules and hasattr(self._modules[0], "needs_input_grad"):
            self._modules[0].needs_input_grad = value

    def forward(self, x: Tensor) -> Tensor:
        for module in self._modules:
            x = module.forward(x)
        return x

    def backward(self, grad_output: Tensor) -> Tensor | None:
        grad = grad_output
        for module in reversed(self._modules):
            grad = module.backward(grad)
        return grad

    def __getitem__(self, index: int) -> Module:
        return self._modules[index]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules)
