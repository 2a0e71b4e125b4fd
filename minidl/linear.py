"""`Linear`: the affine layer y = x Wᵀ + b."""

from __future__ import annotations

import torch
from torch import Tensor

from minidl.factory import DRAW_DTYPE, Device, draw_device, place, resolve_device, resolve_dtype
from minidl.init import Initializer, get_initializer
from minidl.module import Module

# One addmm call is fastest for small batches; for large ones, torch's addmm (copy the broadcast bias
# into the output, then a GEMM that adds to it) is slower than a plain GEMM followed by the bias add.
_ADDMM_MAX_BATCH = 64


class Linear(Module):
    """Affine map ``y = x Wᵀ + b`` with ``W`` of shape ``(out_features, in_features)``.

    Backward, for an upstream gradient ``G = ∂L/∂y`` of shape ``(batch, out)``:
    ``∂L/∂W += Gᵀ x``, ``∂L/∂b += Σ_batch G`` and ``∂L/∂x = G W`` (``=`` instead of ``+=`` when
    ``accumulate_grad`` is False).

    ``init`` is one of ``"torch"`` (PyTorch's default, uniform ±1/√in), ``"normal"`` (the report's
    N(init_mean, init_std²)), ``"xavier"``, ``"kaiming"``, or a callable ``f(weight, bias, generator)``.
    The draw is made in float32 on the generator's device (the CPU by default) and then cast and moved
    to ``dtype`` / ``device`` (None: torch's defaults, as ``torch.nn.Linear``), so a seed gives the same
    weights on every device and dtype.
    """

    _cached_views = ("_weight_t",)

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        init: str | Initializer = "torch",
        *,
        init_mean: float = 0.0,
        init_std: float = 1.0,
        generator: torch.Generator | None = None,
        device: Device | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        if in_features <= 0 or out_features <= 0:
            raise ValueError(f"Linear needs positive sizes, got in_features={in_features}, out_features={out_features}")
        device, dtype = resolve_device(device), resolve_dtype(dtype)  # refused before the generator is used
        self.in_features = in_features
        self.out_features = out_features
        self._param_names = ("weight", "bias") if bias else ("weight",)
        drawn = {"device": draw_device(generator), "dtype": DRAW_DTYPE}
        weight = torch.empty(out_features, in_features, **drawn)
        bias_values = torch.empty(out_features, **drawn) if bias else None
        initializer = get_initializer(init, mean=init_mean, std=init_std) if isinstance(init, str) else init
        initializer(weight, bias_values, generator)
        self.weight = place(weight, device, dtype)
        self.weight_grad = torch.zeros_like(self.weight)
        self.bias: Tensor | None = None if bias_values is None else place(bias_values, device, dtype)
        self.bias_grad: Tensor | None = None if self.bias is None else torch.zeros_like(self.bias)
        #: Set to False by a container when nobody needs ∂L/∂x (the first layer): saves one matmul.
        self.needs_input_grad = True
        #: Set to False (training does) to have backward *overwrite* the gradients instead of adding
        #: to them: the gradients then need no zeroing before each step.
        self.accumulate_grad = True
        self._input: Tensor | None = None
        self._cache_views()

    def _cache_views(self) -> None:
        self._weight_t = self.weight.t()

    def _rebind_parameter(self, name: str, value: Tensor, grad: Tensor) -> None:
        super()._rebind_parameter(name, value, grad)
        self._cache_views()

    def forward(self, x: Tensor) -> Tensor:
        self._input = x
        if self.bias is None:
            return torch.mm(x, self._weight_t)
        if x.shape[0] > _ADDMM_MAX_BATCH:
            return torch.mm(x, self._weight_t).add_(self.bias)
        return torch.addmm(self.bias, x, self._weight_t)

    def backward(self, grad_output: Tensor) -> Tensor | None:
        x = self._input
        if x is None:
            raise RuntimeError("Linear.backward() called before forward()")
        if self.accumulate_grad:
            self.weight_grad.addmm_(grad_output.t(), x)
            if self.bias_grad is not None:
                self.bias_grad.add_(grad_output.sum(0))
        else:
            torch.mm(grad_output.t(), x, out=self.weight_grad)
            if self.bias_grad is not None:
                torch.sum(grad_output, 0, out=self.bias_grad)
        if not self.needs_input_grad:
            return None
        return torch.mm(grad_output, self.weight)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
