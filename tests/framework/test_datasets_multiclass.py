"""k-class data sets (blobs, the k-arm spiral) and the registry: which problem each set poses, make_dataset."""

from __future__ import annotations

import math

import pytest
import torch
from torch import Tensor

from minidl.data import CLASS_CHOICE, DATASETS, dataset_problem, make_blobs, make_dataset, make_spiral
from minidl.problem import Problem

DTYPES = [torch.float32, torch.float64]


def spiral_before_arms(n: int, seed: int, noise: float, dtype: torch.dtype) -> tuple[Tensor, Tensor]:
    """A copy of make_spiral as it was before it took ``arms`` (two classes), to check it is unchanged."""
    generator = torch.Generator().manual_seed(seed)
    drawn = {"device": torch.device("cpu"), "dtype": torch.float32}
    y = (torch.arange(n) % 2 == 0).to(torch.float32).unsqueeze(1)
    t = torch.rand(n, 1, generator=generator, **drawn)
    angle = t * 3 * math.pi + torch.full_like(y, math.pi).masked_fill_(y > 0, 0.0)
    x = torch.cat([torch.cos(angle), torch.sin(angle)], 1) * (0.05 + 0.4 * t) + 0.5
    x = x + noise * torch.randn(n, 2, generator=generator, **drawn)
    return x.to(dtype), y.to(dtype)


# -- make_spiral ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [0, 1, 7, 500])
def test_two_arms_are_the_old_spiral_bit_for_bit(n: int, dtype: torch.dtype) -> None:
    for seed in range(12):
        for noise in (0.02, 0.0, 0.3):
            old_x, old_y = spiral_before_arms(n, seed, noise, dtype)
            for x, y in (
                make_spiral(n, seed=seed, noise=noise, dtype=dtype),
                make_spiral(n, 2, seed=seed, noise=noise, dtype=dtype),
            ):
                assert x.dtype == y.dtype == dtype
                assert torch.equal(x, old_x) and torch.equal(y, old_y)


def test_two_arms_keep_the_recorded_numbers_of_seed_0() -> None:
    x, y = make_spiral(3, seed=0, dtype=torch.float32)
    recorded = [
        ["0x1.fe7c5a0000000p-2", "0x1.0471b00000000p-2"],
        ["0x1.30accc0000000p-2", "0x1.b64dde0000000p-3"],
        ["0x1.1f87ce0000000p-1", "0x1.29a67e0000000p-1"],
    ]
    assert x.tolist() == [[float.fromhex(v) for v in row] for row in recorded]
    assert y.view(-1).tolist() == [1.0, 0.0, 1.0]


@pytest.mark.parametrize("arms", range(2, 7))
@pytest.mark.parametrize("dtype", DTYPES)
def test_k_arms_shapes_balanced_classes_cycling_down(arms: int, dtype: torch.dtype) -> None:
    x, y = make_spiral(601, arms, seed=1, dtype=dtype)
    assert x.shape == (601, 2) and y.shape == (601, 1) and x.dtype == y.dtype == dtype
    assert y.view(-1)[:arms].tolist() == [float(arms - 1 - j) for j in range(arms)]
    counts = torch.bincount(y.view(-1).long(), minlength=arms)
    assert counts.numel() == arms and counts.max() - counts.min() <= 1


@pytest.mark.parametrize("arms", [3, 4, 6])
def test_each_arm_is_a_spiral_of_3_over_k_turns_turned_by_its_share_of_the_circle(arms: int) -> None:
    x, y = make_spiral(900, arms, seed=2, noise=0.0, dtype=torch.float64)
    offset = x - 0.5
    t = (offset.norm(dim=1) - 0.05) / 0.4
    phase = torch.atan2(offset[:, 1], offset[:, 0]) - 6 / arms * math.pi * t  # the arm's start, modulo 2π
    expected = 2 * math.pi * (arms - 1 - y.view(-1)) / arms
    difference = torch.remainder(phase - expected + math.pi, 2 * math.pi) - math.pi
    assert difference.abs().max() < 1e-4
    assert t.min() >= 0 and t.max() <= 1


# -- make_blobs ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("classes", range(2, 7))
@pytest.mark.parametrize("dtype", DTYPES)
def test_blobs_shapes_dtype_and_balanced_labels_i_mod_k(classes: int, dtype: torch.dtype) -> None:
    x, y = make_blobs(301, classes, seed=0, dtype=dtype)
    assert x.shape == (301, 2) and y.shape == (301, 1) and x.dtype == y.dtype == dtype
    assert torch.equal(y.view(-1), (torch.arange(301) % classes).to(dtype))
    counts = torch.bincount(y.view(-1).long())
    assert counts.numel() == classes and counts.max() - counts.min() <= 1


@pytest.mark.parametrize("classes", [2, 3, 4, 6])
def test_blobs_are_gaussians_around_centres_evenly_on_a_circle(classes: int) -> None:
    x, y = make_blobs(30_000, classes, seed=3, noise=0.05, dtype=torch.float64)
    for c in range(classes):
        points = x[y.view(-1) == c]
        angle = math.pi / 2 + 2 * math.pi * c / classes
        centre = torch.tensor([0.5 + 0.3 * math.cos(angle), 0.5 + 0.3 * math.sin(angle)], dtype=torch.float64)
        torch.testing.assert_close(points.mean(0), centre, atol=0.003, rtol=0)  # std of the mean ≈ 0.0007
        torch.testing.assert_close(points.std(0), torch.full((2,), 0.05, dtype=torch.float64), atol=0.002, rtol=0)


def test_blobs_default_to_three_classes_and_are_reproducible_by_seed() -> None:
    a, b, c = (make_blobs(60, seed=s, dtype=torch.float32) for s in (4, 4, 5))
    assert set(a[1].view(-1).tolist()) == {0.0, 1.0, 2.0}
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1]) and not torch.equal(a[0], c[0])
    float64 = make_blobs(60, seed=4, dtype=torch.float64)
    assert torch.equal(float64[0], a[0].double())  # the float32 draw, cast


@pytest.mark.parametrize("bad", [0, 1, 7, 2.5, True, "3"])
def test_a_class_count_minidl_cannot_train_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match=r"classes must be an integer in 2\.\.6"):
        make_blobs(10, bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"arms must be an integer in 2\.\.6"):
        make_spiral(10, bad)  # type: ignore[arg-type]


# -- the registry --------------------------------------------------------------------------------------------
PROBLEMS = {
    "disc": Problem.classification(2),
    "circles": Problem.classification(2),
    "xor": Problem.classification(2),
    "gaussians": Problem.classification(2),
    "spiral": Problem.classification(2),
    "blobs": Problem.classification(3),
    "plane": Problem.regression(),
    "multi_gauss": Problem.regression(),
}


def test_every_data_set_knows_its_problem() -> None:
    assert list(DATASETS) == list(PROBLEMS) and CLASS_CHOICE == ("blobs", "spiral")
    assert {name: dataset_problem(name) for name in DATASETS} == PROBLEMS


@pytest.mark.parametrize("name", CLASS_CHOICE)
@pytest.mark.parametrize("classes", range(2, 7))
def test_a_class_choice_set_poses_the_chosen_problem_and_draws_it(name: str, classes: int) -> None:
    assert dataset_problem(name, classes) == Problem.classification(classes)
    x, y = make_dataset(name, 40, seed=6, classes=classes, dtype=torch.float64)
    generator = make_blobs if name == "blobs" else make_spiral
    expected = generator(40, classes, seed=6, dtype=torch.float64)
    assert torch.equal(x, expected[0]) and torch.equal(y, expected[1])
    assert set(y.view(-1).tolist()) == set(map(float, range(classes)))


@pytest.mark.parametrize("name", ["disc", "circles", "xor", "gaussians"])
def test_a_binary_set_takes_its_own_class_count_and_refuses_another(name: str) -> None:
    assert dataset_problem(name, 2) == Problem.classification(2)
    assert torch.equal(make_dataset(name, 30, seed=1, classes=2)[1], make_dataset(name, 30, seed=1)[1])
    with pytest.raises(
        ValueError, match=rf"^{name} is a binary set: a class count \(3\) is taken only by blobs and spiral$"
    ):
        make_dataset(name, 30, classes=3)


@pytest.mark.parametrize("name", ["plane", "multi_gauss"])
@pytest.mark.parametrize("classes", [0, 2, 3])
def test_a_regression_set_takes_no_class_count(name: str, classes: int) -> None:
    with pytest.raises(
        ValueError, match=rf"^{name} is a regression set: a class count \({classes}\) is taken only by blobs"
    ):
        dataset_problem(name, classes)
    with pytest.raises(ValueError, match="is taken only by blobs and spiral"):
        make_dataset(name, 10, classes=classes)


@pytest.mark.parametrize("name", CLASS_CHOICE)
def test_a_class_choice_set_refuses_a_count_out_of_range_naming_itself(name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: the number of classes must be in 2\.\.6, got 7$"):
        dataset_problem(name, 7)
    with pytest.raises(ValueError, match=rf"^{name}: the number of classes must be in 2\.\.6, got 1$"):
        make_dataset(name, 10, classes=1)


def test_an_unknown_set_is_refused_naming_every_set() -> None:
    everything = "disc, circles, xor, gaussians, spiral, blobs, plane, multi_gauss"
    for call in (lambda: dataset_problem("moons"), lambda: make_dataset("moons", 5, classes=3)):
        with pytest.raises(ValueError, match=f"^Unknown data set 'moons': choose one of {everything}$"):
            call()
