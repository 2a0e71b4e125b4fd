"""The regression sets: TensorFlow Playground's regressPlane and regressGaussian, mapped to the unit square."""

from __future__ import annotations

import math

import pytest
import torch

from minidl.data import make_dataset, make_multi_gauss, make_plane

DTYPES = [torch.float32, torch.float64]
REGRESSIONS = {"plane": make_plane, "multi_gauss": make_multi_gauss}


# TensorFlow Playground's src/dataset.ts, transcribed line for line (its coordinates: [-6, 6]²).
def tf_regress_plane_label(x: float, y: float) -> float:
    return -1 + (x + y - -10) * (1 - -1) / (10 - -10)  # d3.scale.linear().domain([-10, 10]).range([-1, 1])


TF_GAUSSIANS = [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]]


def tf_regress_gaussian_label(x: float, y: float) -> float:
    def label_scale(d: float) -> float:  # d3.scale.linear().domain([0, 2]).range([1, 0]).clamp(true)
        return 1 + (min(max(d, 0), 2) - 0) * (0 - 1) / (2 - 0)

    label = 0.0
    for cx, cy, sign in TF_GAUSSIANS:
        new_label = sign * label_scale(math.hypot(x - cx, y - cy))
        if abs(new_label) > abs(label):
            label = new_label
    return label


def tf_point(x1: float, x2: float) -> tuple[float, float]:
    """Our point (x1, x2) in TensorFlow Playground's coordinates: u = 12 (x − 0.5)."""
    return 12 * (x1 - 0.5), 12 * (x2 - 0.5)


def noisy_points(n: int, seed: int, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    """The points and where their targets are taken, drawn as the docstrings say: x ~ U[0, 1]², then the
    shift noise · U(-0.5, 0.5) per axis (TensorFlow's noise · U(-6, 6), mapped)."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 2, generator=generator, dtype=torch.float32)
    return x, x + noise * (torch.rand(n, 2, generator=generator, dtype=torch.float32) - 0.5)


@pytest.mark.parametrize("name", REGRESSIONS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_shapes_dtype_points_in_the_square_targets_in_minus_one_one(name: str, dtype: torch.dtype) -> None:
    for noise in (0.0, 0.5):
        x, y = REGRESSIONS[name](2000, seed=0, noise=noise, dtype=dtype)
        assert x.shape == (2000, 2) and y.shape == (2000, 1) and x.dtype == y.dtype == dtype
        assert x.min() >= 0 and x.max() <= 1
        assert y.min() >= -1 and y.max() <= 1 and y.min() < -0.8 and y.max() > 0.8


@pytest.mark.parametrize("noise", [0.0, 0.2, 0.5])
def test_multi_gauss_is_tensorflows_regress_gaussian_at_the_mapped_points(noise: float) -> None:
    x, y = make_multi_gauss(1500, seed=1, noise=noise, dtype=torch.float64)
    points, at = noisy_points(1500, seed=1, noise=noise)
    assert torch.equal(x, points.double())
    expected = [tf_regress_gaussian_label(*tf_point(a, b)) for a, b in at.double().tolist()]
    torch.testing.assert_close(y.view(-1), torch.tensor(expected, dtype=torch.float64), atol=2e-5, rtol=0)


@pytest.mark.parametrize("noise", [0.0, 0.2, 0.5])
def test_plane_is_tensorflows_regress_plane_scaled_to_fill_minus_one_one(noise: float) -> None:
    """Ours = TensorFlow's label × 10/12 (its labels reach ±1.2 in the corners), clipped to [-1, 1]."""
    x, y = make_plane(1500, seed=2, noise=noise, dtype=torch.float64)
    points, at = noisy_points(1500, seed=2, noise=noise)
    assert torch.equal(x, points.double())
    expected = [min(max(tf_regress_plane_label(*tf_point(a, b)) * 10 / 12, -1), 1) for a, b in at.double().tolist()]
    torch.testing.assert_close(y.view(-1), torch.tensor(expected, dtype=torch.float64), atol=1e-6, rtol=0)


def test_the_noiseless_plane_is_x1_plus_x2_minus_1_and_fills_minus_one_one() -> None:
    x, y = make_plane(20_000, seed=3, dtype=torch.float64)
    torch.testing.assert_close(y, x.sum(1, keepdim=True) - 1, atol=1e-7, rtol=0)
    assert y.min() < -0.95 and y.max() > 0.95


def test_multi_gauss_bumps_cover_about_half_the_square_with_both_signs() -> None:
    _, y = make_multi_gauss(40_000, seed=4, dtype=torch.float32)
    share = 6 * math.pi * (2 / 12) ** 2  # six discs of radius 2 (of 12): ≈ 0.524 of the square
    assert (y != 0).float().mean().item() == pytest.approx(share, abs=0.01)
    assert (y > 0).sum() == pytest.approx((y < 0).sum().item(), rel=0.05)


@pytest.mark.parametrize("name", REGRESSIONS)
def test_noise_moves_the_targets_not_the_points_and_each_seed_is_one_set(name: str) -> None:
    make = REGRESSIONS[name]
    clean, noisy = make(500, seed=5, dtype=torch.float32), make(500, seed=5, noise=0.3, dtype=torch.float32)
    assert torch.equal(clean[0], noisy[0]) and not torch.equal(clean[1], noisy[1])
    again, other = make(500, seed=5, noise=0.3, dtype=torch.float32), make(500, seed=6, dtype=torch.float32)
    assert torch.equal(noisy[0], again[0]) and torch.equal(noisy[1], again[1]) and not torch.equal(clean[0], other[0])
    float64 = make(500, seed=5, noise=0.3, dtype=torch.float64)
    assert torch.equal(float64[0], noisy[0].double()) and torch.equal(float64[1], noisy[1].double())


@pytest.mark.parametrize("name", REGRESSIONS)
def test_make_dataset_draws_the_regression_sets_with_their_noise(name: str) -> None:
    made = make_dataset(name, 50, seed=7, noise=0.1, dtype=torch.float64)
    direct = REGRESSIONS[name](50, seed=7, noise=0.1, dtype=torch.float64)
    assert torch.equal(made[0], direct[0]) and torch.equal(made[1], direct[1])
    x, y = make_dataset(name, 0, seed=0)
    assert x.shape == (0, 2) and y.shape == (0, 1)
    with pytest.raises(ValueError, match="number of points must be >= 0, got -1"):
        make_dataset(name, -1)
