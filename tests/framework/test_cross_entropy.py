"""CrossEntropyLoss against torch.nn.functional.cross_entropy in float64: k = 2..6, batch 1 and larger."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F  # noqa: N812
from torch import Tensor

import minidl
from minidl.losses import LOSSES, CrossEntropyLoss
from minidl.training.fast_path import loss_gradient
from tests.framework.torch_oracle import F64

CLASSES = [2, 3, 4, 5, 6]
BATCHES = [1, 7, 64]


def case(batch: int, classes: int, seed: int = 0, scale: float = 3.0) -> tuple[Tensor, Tensor]:
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(batch, classes, generator=g, dtype=F64) * scale
    return logits, torch.randint(classes, (batch,), generator=g)


def torch_reference(logits: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
    leaf = logits.clone().requires_grad_(True)
    loss = F.cross_entropy(leaf, target)
    (grad,) = torch.autograd.grad(loss, leaf)
    return loss.detach(), grad


@pytest.mark.parametrize("classes", CLASSES)
@pytest.mark.parametrize("batch", BATCHES)
def test_loss_and_gradient_match_torch(batch: int, classes: int) -> None:
    logits, target = case(batch, classes)
    expected_loss, expected_grad = torch_reference(logits, target)
    criterion = CrossEntropyLoss()
    loss = criterion.forward(logits, target)
    grad = criterion.backward()
    assert loss.shape == () and grad.shape == logits.shape and grad.dtype == F64
    torch.testing.assert_close(loss, expected_loss, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(grad, expected_grad, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("classes", CLASSES)
def test_extreme_logits_give_finite_values_equal_to_torch(classes: int) -> None:
    logits = torch.tensor([[1000.0, -1000.0] + [0.0] * (classes - 2), [-1000.0] * classes], dtype=F64)
    logits[1, -1] = 1000.0
    for target in (torch.tensor([0, classes - 1]), torch.tensor([1, 0])):
        expected_loss, expected_grad = torch_reference(logits, target)
        criterion = CrossEntropyLoss()
        loss, grad = criterion.forward(logits, target), criterion.backward()
        assert torch.isfinite(loss) and torch.isfinite(grad).all()
        torch.testing.assert_close(loss, expected_loss)
        torch.testing.assert_close(grad, expected_grad)


def test_a_confidently_wrong_prediction_costs_the_logit_gap() -> None:
    loss = CrossEntropyLoss().forward(torch.tensor([[1000.0, -1000.0]], dtype=F64), torch.tensor([1]))
    assert loss.item() == pytest.approx(2000.0, rel=1e-12)


def test_backward_scales_by_the_upstream_gradient_and_leaves_inputs_untouched() -> None:
    logits, target = case(5, 4)
    before = logits.clone(), target.clone()
    criterion = CrossEntropyLoss()
    criterion.forward(logits, target)
    plain = criterion.backward()
    torch.testing.assert_close(criterion.backward(0.5), 0.5 * plain)
    assert torch.equal(logits, before[0]) and torch.equal(target, before[1])


@pytest.mark.parametrize("batch", [1, 9])
def test_the_fast_path_gradient_is_backwards_gradient(batch: int) -> None:
    logits, target = case(batch, 3, seed=2)
    criterion = CrossEntropyLoss()
    gradient = loss_gradient(criterion)
    assert gradient is not None  # the Trainer's fast path takes cross-entropy too
    criterion.forward(logits, target)
    torch.testing.assert_close(gradient(logits, target), criterion.backward(), rtol=0, atol=0)
    # Again in float32 (the cached one-hot rows follow the logits' dtype).
    expected = torch_reference(logits, target)[1].float()
    torch.testing.assert_close(gradient(logits.float(), target), expected)


def test_a_float_column_target_is_refused_saying_how_to_pass_class_indices() -> None:
    logits, target = case(4, 3)
    with pytest.raises(ValueError, match=r"class indices.*float64 of shape \(4, 1\).*y\.view\(-1\)\.long\(\)"):
        CrossEntropyLoss().forward(logits, target.to(F64).view(-1, 1))


@pytest.mark.parametrize(
    ("logits_shape", "target", "message"),
    [
        ((4, 3), torch.zeros(4, 1, dtype=torch.int64), r"target shape \(4, 1\).*shape \(4,\)"),
        ((4, 3), torch.zeros(3, dtype=torch.int64), r"target shape \(3,\)"),
        ((4,), torch.zeros(4, dtype=torch.int64), r"logits of shape \(N, k\), got shape \(4,\)"),
        ((4, 3), torch.tensor([0, 1, 2, 3]), r"class indices must be in 0\.\.2 for 3 logits, got 0\.\.3"),
        ((4, 3), torch.tensor([0, -1, 2, 1]), r"in 0\.\.2 .*got -1\.\.2"),
        ((2, 3), torch.tensor([True, False]), r"class indices.*bool"),
    ],
)
def test_bad_targets_are_refused_with_what_to_do(logits_shape: tuple[int, ...], target: Tensor, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CrossEntropyLoss().forward(torch.zeros(logits_shape, dtype=F64), target)


def test_it_is_registered_takes_class_targets_and_is_exported() -> None:
    assert LOSSES["cross_entropy"] is CrossEntropyLoss is minidl.CrossEntropyLoss
    assert CrossEntropyLoss.class_targets and not minidl.MSELoss.class_targets
    assert repr(CrossEntropyLoss()) == "CrossEntropyLoss()"
    with pytest.raises(RuntimeError, match=r"backward\(\) called before forward\(\)"):
        CrossEntropyLoss().backward()
