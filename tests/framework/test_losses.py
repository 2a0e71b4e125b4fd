"""Losses and their gradients against torch.nn.functional in float64 (mean reduction)."""

from __future__ import annotations

import pytest
import torch
from torch import Tensor

import minidl
from minidl.losses import LOSSES
from tests.framework.torch_oracle import F64, TORCH_LOSSES

SHAPES = [(1, 1), (16, 1), (4, 3)]
#: The losses whose target is shaped like the prediction (cross-entropy's, class indices, in test_cross_entropy.py).
ELEMENTWISE = [name for name, cls in LOSSES.items() if not cls.class_targets]


def check_loss(criterion: minidl.Module, prediction: Tensor, target: Tensor, rtol: float = 1e-12) -> None:
    """The loss value and ∂loss/∂prediction equal torch.nn.functional's and autograd's."""
    reference = TORCH_LOSSES[type(criterion)]
    p_torch = prediction.clone().requires_grad_(True)
    expected = reference(p_torch, target)
    (expected_grad,) = torch.autograd.grad(expected, p_torch)

    loss = criterion.forward(prediction, target)
    grad = criterion.backward()

    assert loss.shape == () and grad.shape == prediction.shape
    torch.testing.assert_close(loss, expected.detach(), rtol=rtol, atol=1e-12)
    torch.testing.assert_close(grad, expected_grad, rtol=rtol, atol=1e-12)


def random_case(name: str, shape: tuple[int, int], seed: int = 0) -> tuple[Tensor, Tensor]:
    g = torch.Generator().manual_seed(seed)
    prediction = torch.randn(shape, dtype=F64, generator=g) * 2
    if name == "bce":
        prediction = prediction.sigmoid()
    target = (
        torch.rand(shape, dtype=F64, generator=g).round()
        if name.startswith("bce")
        else torch.randn(shape, dtype=F64, generator=g)
    )
    return prediction, target


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("shape", SHAPES)
def test_loss_and_gradient_match_torch(name: str, shape: tuple[int, int]) -> None:
    check_loss(LOSSES[name](), *random_case(name, shape))


@pytest.mark.parametrize("name", ["bce", "bce_logits"])
def test_binary_losses_accept_soft_targets(name: str) -> None:
    prediction, _ = random_case(name, (8, 1))
    check_loss(LOSSES[name](), prediction, torch.linspace(0, 1, 8, dtype=F64).view(8, 1))


def test_bce_at_predictions_of_exactly_zero_and_one_is_finite_and_matches_torch() -> None:
    # Right and confidently wrong at both ends: torch clamps each log at −100 and guards the gradient.
    prediction = torch.tensor([[0.0], [1.0], [0.0], [1.0], [0.5]], dtype=F64)
    target = torch.tensor([[0.0], [1.0], [1.0], [0.0], [1.0]], dtype=F64)
    criterion = minidl.BCELoss()
    # At p(1 − p) = 0 torch divides by its epsilon 1e-12 stored as a float32 (9.99999996e-13); minidl by the
    # double 1e-12: the two gradients of ∓2·10¹¹ differ by 4e-9 relatively, hence rtol 1e-8 here.
    check_loss(criterion, prediction, target, rtol=1e-8)
    assert torch.isfinite(criterion.forward(prediction, target))
    assert torch.isfinite(criterion.backward()).all()


@pytest.mark.parametrize("dtype", [torch.float32, F64])
def test_bce_with_logits_is_stable_at_large_logits(dtype: torch.dtype) -> None:
    logits = torch.tensor([[50.0], [-50.0], [1000.0], [-1000.0], [1e30], [-1e30]], dtype=dtype)
    for target_value in (0.0, 1.0):
        target = torch.full_like(logits, target_value)
        p_torch = logits.clone().requires_grad_(True)
        expected = torch.nn.functional.binary_cross_entropy_with_logits(p_torch, target)
        (expected_grad,) = torch.autograd.grad(expected, p_torch)
        criterion = minidl.BCEWithLogitsLoss()
        loss = criterion.forward(logits, target)
        grad = criterion.backward()
        assert torch.isfinite(loss) and torch.isfinite(grad).all()
        torch.testing.assert_close(loss, expected.detach())
        torch.testing.assert_close(grad, expected_grad)


def test_mae_gradient_is_zero_where_prediction_equals_target() -> None:
    prediction = torch.tensor([[1.0], [2.0], [3.0]], dtype=F64)
    target = torch.tensor([[1.0], [0.0], [5.0]], dtype=F64)
    check_loss(minidl.MAELoss(), prediction, target)
    assert minidl.MAELoss().forward(prediction, prediction).item() == 0.0


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_scales_by_the_upstream_gradient(name: str) -> None:
    prediction, target = random_case(name, (6, 1))
    criterion = LOSSES[name]()
    criterion.forward(prediction, target)
    plain = criterion.backward()
    torch.testing.assert_close(criterion.backward(2.5), 2.5 * plain)
    torch.testing.assert_close(criterion.backward(torch.tensor(-3.0, dtype=F64)), -3.0 * plain)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_loss_leaves_prediction_and_target_untouched(name: str) -> None:
    prediction, target = random_case(name, (6, 2))
    before = prediction.clone(), target.clone()
    criterion = LOSSES[name]()
    criterion.forward(prediction, target)
    criterion.backward()
    assert torch.equal(prediction, before[0]) and torch.equal(target, before[1])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_shape_mismatch_is_refused_with_both_shapes_named(name: str) -> None:
    prediction = torch.full((5, 1), 0.5)
    with pytest.raises(ValueError, match=r"prediction shape \(5, 1\) and target shape \(5,\)"):
        LOSSES[name]().forward(prediction, torch.zeros(5))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_loss_backward_before_forward_is_a_clear_error(name: str) -> None:
    with pytest.raises(RuntimeError, match=r"backward\(\) called before forward\(\)"):
        LOSSES[name]().backward()


# NaN is let through on purpose (torch refuses it): the loss is then NaN and the trainer reports a divergence.
@pytest.mark.parametrize("bad", [-0.1, 1.5, float("inf")])
def test_bce_refuses_predictions_outside_zero_one(bad: float) -> None:
    prediction = torch.tensor([[0.5], [bad]])
    with pytest.raises(ValueError, match=r"predictions in \[0, 1\].*Sigmoid.*BCEWithLogitsLoss"):
        minidl.BCELoss().forward(prediction, torch.zeros(2, 1))


def test_every_loss_is_registered_and_exported() -> None:
    assert set(LOSSES) == {"mse", "mae", "bce", "bce_logits", "cross_entropy"}
    assert ELEMENTWISE == ["mse", "mae", "bce", "bce_logits"]
    for cls in LOSSES.values():
        assert getattr(minidl, cls.__name__) is cls
        assert repr(cls()) == f"{cls.__name__}()"
        assert cls.class_targets is (cls is minidl.CrossEntropyLoss)


def test_bce_turns_a_nan_prediction_into_a_nan_loss_for_the_divergence_check() -> None:
    loss = minidl.BCELoss().forward(torch.tensor([[0.5], [float("nan")]]), torch.zeros(2, 1))
    assert torch.isnan(loss)
