"""The `Module` base class: forward, backward, parameters, modes and state dicts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import torch
from torch import Tensor

from minidl._flat import move_tensors, note_move
from minidl._to_arguments import parse_to
from minidl.factory import Device


class Module:
    """A layer, activation, loss or container with a hand-written backward pass.

    Subclasses implement ``forward(*inputs)`` and ``backward(*grad_wrt_outputs)``. A module with
    parameters lists their attribute names in ``_param_names``; each parameter ``name`` has its
    gradient in the attribute ``name + "_grad"``, so ``param()`` returns ``[(name, name_grad), ...]``.
    ``backward`` *accumulates* into those gradients, as ``Tensor.grad`` does in PyTorch.

    A module may also hold *buffers* (PyTorch's name), listed in ``_buffer_names``: tensors that belong to
    its state dict but are no parameters. No optimizer sees them, they have no gradient, ``to(dtype)`` leaves
    them alone and ``to(device)`` moves them; ``_check_buffer`` may refuse a value `load_state_dict` offers.
    """

    _param_names: tuple[str, ...] = ()
    _buffer_names: tuple[str, ...] = ()
    #: Attributes holding views of the parameters (Linear's ``_weight_t``): dropped during a move, then
    #: rebuilt by ``_rebind_parameter``.
    _cached_views: tuple[str, ...] = ()

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

    def _named_slots(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Module, str]]:
        """Every ``(dotted_name, owning_module, attribute_name)`` of a parameter, in order."""
        for name in self._param_names:
            yield prefix + name, self, name
        if recurse:
            for child_name, child in self.children():
                yield from child._named_slots(f"{prefix}{child_name}.")

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        """Every ``(dotted_name, parameter)`` of this module and (with ``recurse``) its children, as in PyTorch."""
        for name, module, attribute in self._named_slots(prefix, recurse):
            yield name, getattr(module, attribute)

    def named_gradients(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        """Every ``(dotted_name, gradient)``, in `named_parameters` order (PyTorch keeps it in ``p.grad``)."""
        for name, module, attribute in self._named_slots(prefix, recurse):
            yield name, getattr(module, attribute + "_grad")

    def _parameter_slots(self) -> Iterator[tuple[Module, str]]:
        """Every ``(owning_module, attribute_name)`` of a parameter, in ``named_parameters`` order."""
        for _, module, attribute in self._named_slots():
            yield module, attribute

    def param(self) -> list[tuple[Tensor, Tensor]]:
        """The list of ``(parameter, gradient)`` pairs, empty for a module without parameters."""
        return [(getattr(m, a), getattr(m, a + "_grad")) for m, a in self._parameter_slots()]

    def parameters(self) -> list[Tensor]:
        """The parameters alone, as in PyTorch."""
        return [p for _, p in self.named_parameters()]

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        """Every ``(dotted_name, buffer)`` of this module and (with ``recurse``) its children, as in PyTorch."""
        for name, module, attribute, is_buffer in self._state_slots(prefix, recurse):
            if is_buffer:
                yield name, getattr(module, attribute)

    def _state_slots(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Module, str, bool]]:
        """Every ``(dotted_name, owner, attribute, is_buffer)`` of the state dict, in PyTorch's order: a module's
        parameters, then its buffers, then its children's."""
        for name in self._param_names:
            yield prefix + name, self, name, False
        for name in self._buffer_names:
            yield prefix + name, self, name, True
        if recurse:
            for child_name, child in self.children():
                yield from child._state_slots(f"{prefix}{child_name}.")

    def _check_buffer(self, name: str, value: Tensor) -> None:
        """Raise ValueError, saying why, when buffer ``name`` may not take ``value`` from a state dict (before its
        shape is checked); any value of the right shape fits by default."""

    def zero_grad(self) -> None:
        """Set every gradient to zero (in place, so optimizers keep seeing the same tensors)."""
        for _, grad in self.named_gradients():
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

    # -- devices and dtypes --------------------------------------------------------------------
    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Move every parameter and gradient to a device and/or dtype in place; returns ``self``.

        The forms of ``torch.nn.Module.to``: ``to(device)``, ``to(dtype)``, ``to(device, dtype)``,
        ``to(tensor)`` (its device and dtype), keywords ``device=``, ``dtype=``, ``non_blocking=``; a
        dtype that is not floating point is a TypeError. Each tensor *object* stays (its data changes),
        so an optimizer built before the move keeps working: it moves its own state at its next step.
        Parameters that tile a flat buffer (as `Sequential` packs them) still tile it after the move.
        """
        device, dtype, non_blocking = parse_to(*args, **kwargs)
        slots = list(self._parameter_slots())
        owners = list({id(module): module for module, _ in slots}.values())
        with torch.inference_mode(False):
            for module in owners:
                for attribute in module._cached_views:
                    setattr(module, attribute, None)
            try:
                moved_params = move_tensors([getattr(m, a) for m, a in slots], device, dtype, non_blocking)
                moved_grads = move_tensors([getattr(m, a + "_grad") for m, a in slots], device, dtype, non_blocking)
                if moved_params or moved_grads:
                    note_move()
            except BaseException:
                note_move()  # some tensors may have moved before the error
                raise
            finally:
                for module, name in slots:
                    module._rebind_parameter(name, getattr(module, name), getattr(module, name + "_grad"))
            if device is not None:
                for _, module, name, is_buffer in self._state_slots():
                    if is_buffer:
                        setattr(module, name, getattr(module, name).to(device=device, non_blocking=non_blocking))
        return self

    def cpu(self) -> Module:
        """``to("cpu")``."""
        return self.to("cpu")

    def cuda(self, device: Device | None = None) -> Module:
        """``to(device)`` for a CUDA ``device`` (an index, ``"cuda:1"``), the current CUDA device when None."""
        return self.to(torch.device("cuda") if device is None else device)

    def double(self) -> Module:
        """``to(torch.float64)``."""
        return self.to(torch.float64)

    def float(self) -> Module:
        """``to(torch.float32)``."""
        return self.to(torch.float32)

    def half(self) -> Module:
        """``to(torch.float16)``."""
        return self.to(torch.float16)

    def bfloat16(self) -> Module:
        """``to(torch.bfloat16)``."""
        return self.to(torch.bfloat16)

    # -- state dicts ---------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Tensor]:
        """A copy of every parameter and buffer under its dotted name (``"0.weight"``), as in PyTorch."""
        return {name: getattr(module, attr).detach().clone() for name, module, attr, _ in self._state_slots()}

    def load_state_dict(self, state_dict: Mapping[str, Tensor], strict: bool = True) -> Module:
        """Copy parameters and buffers in place from ``state_dict``: all of them, or none if anything is wrong.

        Each value is copied into the parameter as it is, so it takes the module's own device and dtype
        (a float64 state dict loads into a float32 model, rounded, and the other way round).

        With ``strict=True`` the keys must match exactly, else a ``RuntimeError`` (as in PyTorch) lists
        the missing and unexpected keys; with ``strict=False`` only the shared keys are copied. Shapes
        must always match, else a ``ValueError`` names the key and both shapes; a buffer may refuse a value
        (`Features` refuses other features) with a ``ValueError`` saying why. Returns ``self``.
        """
        own = {name: (module, attr, is_buffer) for name, module, attr, is_buffer in self._state_slots()}
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if strict and (missing or unexpected):
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}: "
                f"missing keys {missing}, unexpected keys {unexpected}"
            )
        pairs = [(name, *own[name], torch.as_tensor(state_dict[name])) for name in own if name in state_dict]
        for name, module, attr, is_buffer, source in pairs:
            if is_buffer:
                module._check_buffer(attr, source)
            target = getattr(module, attr)
            if source.shape != target.shape:
                raise ValueError(
                    f"size mismatch for {name}: copying a param with shape {tuple(source.shape)}, "
                    f"the shape in the current model is {tuple(target.shape)}"
                )
        for _, module, attr, is_buffer, source in pairs:
            target = getattr(module, attr)
            if is_buffer:  # a new tensor: a buffer made under inference mode takes no in-place copy
                setattr(module, attr, source.to(device=target.device, dtype=target.dtype, copy=True))
            else:
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
    """ValueError unless ``state_dict`` has exactly ``module``'s parameter and buffer names and shapes, and
    buffer values it accepts; copies nothing.

    The check `Module.load_state_dict` makes, in words for a person who chose a file: call it first where
    the weights come from a user.
    """
    own = {name: (owner, attr, is_buffer) for name, owner, attr, is_buffer in module._state_slots()}
    missing = [name for name in own if name not in state_dict]
    unexpected = [name for name in state_dict if name not in own]
    if missing or unexpected:
        raise ValueError(f"the weights do not fit this model: missing {missing}, unexpected {unexpected}")
    for name, (owner, attr, is_buffer) in own.items():
        if is_buffer:
            owner._check_buffer(attr, torch.as_tensor(state_dict[name]))
        shape = getattr(owner, attr).shape
        if state_dict[name].shape != shape:
            raise ValueError(
                f"the weights do not fit this model: '{name}' has shape {list(state_dict[name].shape)} "
                f"but the model's is {list(shape)}"
            )
