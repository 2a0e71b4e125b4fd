"""`Sequential`: modules chained in order, with their parameters packed in one flat buffer."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from typing import overload

import torch
from torch import Tensor

from minidl.linear import Linear
from minidl.module import Module


class Sequential(Module):
    """``y = fₙ(…f₂(f₁(x)))``; backward applies the chain rule in reverse: ∂L/∂x = J₁ᵀ(…Jₙᵀ ∂L/∂y).

    On construction every parameter (and every gradient) of the children that owns its memory becomes
    a view into one contiguous buffer, so an optimizer updates the whole model with a handful of tensor
    operations. Parameters that are already views of a buffer (of a Sequential put inside this one, or of
    modules taken from another Sequential) stay where they are: the modules are shared, not copied, so
    training either container trains both, and the other's optimizer keeps updating them.
    Set ``needs_input_grad = False`` when the caller does not use the gradient w.r.t. the input
    (training does not): the first layer then skips that matrix product and ``backward`` returns None
    (parameter-free modules first, as `Features`, skip theirs and pass the switch on to the next one).
    Set ``accumulate_grad = False`` to have ``backward`` overwrite the gradients instead of adding to
    them (training does, and skips ``zero_grad``).

    As in PyTorch it is a list: ``len``, iteration, ``model[i]`` (negative too), ``model[a:b]`` (a
    Sequential of the same module objects), ``append``, ``extend``, ``insert``, ``pop``, ``del model[i]``,
    ``model[i] = module``. Modules added later keep their own parameter tensors (an optimizer then updates
    them one by one: the same numbers, not one flat buffer).

    An activation right after a `Linear` computes in place on that layer's fresh output, never on a
    tensor the caller passed in.
    """

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for index, module in enumerate(modules):
            _check_module(module, f"Sequential argument {index}")
        self._modules: list[Module] = list(modules)
        self._names = [str(i) for i in range(len(modules))]
        self._needs_input_grad = True
        self._accumulate_grad = True
        self._bind()
        self._pack_parameters()

    def _bind(self) -> None:
        """Bind the per-step methods once: the forward and backward loops then do no attribute lookups."""
        modules = self._modules
        previous = [None, *modules][: len(modules)]
        self._forwards = tuple(_forward_method(m, before) for before, m in zip(previous, modules, strict=True))
        self._backwards = tuple(module.backward for module in reversed(modules))
        # Children with parameters that cannot overwrite their gradients get them zeroed instead.
        self._zeroed_before_backward = tuple(
            m for m in modules if not hasattr(m, "accumulate_grad") and next(m.named_parameters(), None) is not None
        )

    def _edited(self, renumber: bool = True) -> None:
        """After the list changed: number the children 0, 1, ... again (as PyTorch does), bind again, and
        give the modules this container's switches (only the leading ones may skip ∂L/∂x)."""
        if renumber:
            self._names = [str(i) for i in range(len(self._modules))]
        self._bind()
        leading = len(self._leading_modules())  # a prefix of the modules
        for index, module in enumerate(self._modules):
            if hasattr(module, "needs_input_grad"):
                module.needs_input_grad = self._needs_input_grad if index < leading else True
            if hasattr(module, "accumulate_grad"):
                module.accumulate_grad = self._accumulate_grad

    def _pack_parameters(self) -> None:
        """Make the parameters and gradients that own their memory views of one new flat buffer each."""
        slots = [
            (module, name)
            for module, name in self._parameter_slots()
            if _owns_memory(getattr(module, name)) and _owns_memory(getattr(module, name + "_grad"))
        ]
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
        return zip(self._names, self._modules, strict=True)

    @property
    def needs_input_grad(self) -> bool:
        return self._needs_input_grad

    @needs_input_grad.setter
    def needs_input_grad(self, value: bool) -> None:
        self._needs_input_grad = value
        for module in self._leading_modules():
            module.needs_input_grad = value

    def _leading_modules(self) -> list[Module]:
        """The modules that follow this container's ``needs_input_grad``: the first one, and the next ones for
        as long as all before them have no parameters (a `Features` module first: then its next `Linear`
        need not compute ∂L/∂features either). Each must have a ``needs_input_grad`` switch."""
        leading = []
        for module in self._modules:
            if not hasattr(module, "needs_input_grad"):
                break
            leading.append(module)
            if next(module.named_parameters(), None) is not None:
                break
        return leading

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

    # -- the list of modules, as torch.nn.Sequential ------------------------------------------
    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> Sequential: ...

    def __getitem__(self, index: int | slice) -> Module | Sequential:
        """The module at ``index``, or for a slice a Sequential of the same module objects under their
        names here (``model[2:]`` has children ``"2"``, ``"3"``, ... as in PyTorch). Nothing is copied or
        repacked: training the slice trains this model."""
        if not isinstance(index, slice):
            return self._modules[_checked_index(index, len(self._modules))]
        part = Sequential()
        part._modules, part._names = self._modules[index], self._names[index]
        part._bind()
        return part

    def __setitem__(self, index: int, module: Module) -> None:
        """Put ``module`` in place of ``self[index]``, under its name."""
        _check_module(module, "Sequential item")
        self._modules[_checked_index(index, len(self._modules))] = module
        self._edited(renumber=False)

    def __delitem__(self, index: int | slice) -> None:
        """Remove ``self[index]`` (a module or a slice); the rest are numbered 0, 1, ... again."""
        if isinstance(index, slice):
            del self._modules[index]
        else:
            del self._modules[_checked_index(index, len(self._modules))]
        self._edited()

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules)

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end; returns ``self``."""
        return self.insert(len(self._modules), module)

    def extend(self, modules: Iterable[Module]) -> Sequential:
        """Add each of ``modules`` (a Sequential, a list, ...) at the end; returns ``self``."""
        modules = list(modules)
        for index, module in enumerate(modules):
            _check_module(module, f"Sequential.extend item {index}")
        self._modules.extend(modules)
        self._edited()
        return self

    def insert(self, index: int, module: Module) -> Sequential:
        """Put ``module`` before position ``index`` (negative counts from the end); returns ``self``."""
        _check_module(module, "Sequential.insert")
        size = len(self._modules)
        if not -size <= index <= size:
            raise IndexError(f"Index out of range: {index}")
        self._modules.insert(index, module)
        self._edited()
        return self

    def pop(self, index: int | slice) -> Module:
        """Remove and return ``self[index]``."""
        module = self[index]
        del self[index]
        return module


def _check_module(module: object, where: str) -> None:
    if not isinstance(module, Module):
        raise TypeError(f"{where} is a {type(module).__name__}, not a minidl Module")


def _checked_index(index: int, size: int) -> int:
    """``index`` in ``range(size)`` (negative counts from the end), else PyTorch's IndexError."""
    index = operator.index(index)
    if not -size <= index < size:
        raise IndexError(f"index {index} is out of range")
    return index % size


def _owns_memory(tensor: Tensor) -> bool:
    """Whether ``tensor`` is all of its storage: no view of a buffer another tensor may use."""
    return (
        tensor._base is None
        and tensor.storage_offset() == 0
        and tensor.untyped_storage().nbytes() == tensor.numel() * tensor.element_size()
    )


def _forward_method(module: Module, previous: Module | None) -> Callable[[Tensor], Tensor]:
    """``module.forward``, or its in-place twin when its input is the fresh output of a `Linear`.

    Only a class that defines ``_forward_inplace`` itself qualifies (a subclass may change forward).
    """
    if type(previous) is Linear and "_forward_inplace" in vars(type(module)):
        return module._forward_inplace
    return module.forward
