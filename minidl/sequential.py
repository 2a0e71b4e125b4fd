"""`Sequential`: modules chained in order, with their parameters packed in one flat buffer."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import torch
from torch import Tensor

from minidl.linear import Linear
from minidl.module import Module


class Sequential(Module):
    """``y = fₙ(…f₂(f₁(x)))``; backward applies the chain rule in reverse: ∂L/∂x = J₁ᵀ(…Jₙᵀ ∂L/∂y).

    On construction every parameter (and every gradient) of the children becomes a view into one
    contiguous buffer, so an optimizer updates the whole model with a handful of tensor operations.
    Set ``needs_input_grad = False`` when the caller does not use the gradient w.r.t. the input
    (training does not): the first layer then skips that matrix product and ``backward`` returns None.
    Set ``accumulate_grad = False`` to have ``backward`` overwrite the gradients instead of adding to
    them (training does, and skips ``zero_grad``).

    An activation right after a `Linear` computes in place on that layer's fresh output, never on a
    tensor the caller passed in.
    """

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for index, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential argument {index} is a {type(module).__name__}, not a minidl Module")
        self._modules: tuple[Module, ...] = modules
        self._needs_input_grad = True
        self._accumulate_grad = True
        # Bound once here: the per-step loops below then do no attribute lookups.
        previous = (None, *modules)[: len(modules)]
        self._forwards = tuple(_forward_method(m, before) for before, m in zip(previous, modules, strict=True))
        self._backwards = tuple(module.backward for module in reversed(modules))
        # Children with parameters that cannot overwrite their gradients get them zeroed instead.
        self._zeroed_before_backward = tuple(
            m for m in modules if not hasattr(m, "accumulate_grad") and next(m.named_parameters(), None) is not None
        )
        self._pack_parameters()

    def _pack_parameters(self) -> None:
        slots = list(self._parameter_slots())
        tensors = [getattr(module, name) for module, name in slots]
        if not tensors or len({(t.dtype, t.device) for t in tensors}) != 1:
            return
        total = sum(t.numel() for t in tensors)
        flat_params = torch.empty(total, dtype=tensors[0].dtype, device=tensors[0].device)
        flat_grads = torch.zeros(total, dtype=tensors[0].dtype, device=tensors[0].device)
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

    @property
    def accumulate_grad(self) -> bool:
        return self._accumulate_grad

    @accumulate_grad.setter
    def accumulate_grad(self, value: bool) -> None:
        self._accumulate_grad = value
        for module in self._modules:
            if hasattr(module, "accumulate_grad"):
                module.accumulate_grad = value

    def forward(self, x: Tensor) -> Tensor:
        for forward in self._forwards:
            x = forward(x)
        return x

    def backward(self, grad_output: Tensor) -> Tensor | None:
        if not self._accumulate_grad:
            for module in self._zeroed_before_backward:
                module.zero_grad()
        grad = grad_output
        for backward in self._backwards:
            grad = backward(grad)
        return grad

    def __getitem__(self, index: int) -> Module:
        return self._modules[index]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules)


def _forward_method(module: Module, previous: Module | None) -> Callable[[Tensor], Tensor]:
    """``module.forward``, or its in-place twin when its input is the fresh output of a `Linear`.

    Only a class that defines ``_forward_inplace`` itself qualifies (a subclass may change forward).
    """
    if type(previous) is Linear and "_forward_inplace" in vars(type(module)):
        return module._forward_inplace
    return module.forward
