"""Data sets, splits, the mini-batch loader and CSV points."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from minidl.data import (
    DATASETS,
    CSVFormatError,
    DataLoader,
    dataset_problem,
    load_points,
    make_dataset,
    make_disc,
    parse_points,
    save_points,
    train_test_split,
    train_validation_split,
)
from minidl.problem import Problem

RADIUS = 1 / math.sqrt(2 * math.pi)


# -- make_disc: the report's data set ------------------------------------------------------------
def test_disc_shapes_dtype_and_range(default_dtype: torch.dtype) -> None:
    x, y = make_disc(1000, seed=0)
    assert x.shape == (1000, 2) and y.shape == (1000, 1)
    assert x.dtype == y.dtype == default_dtype
    assert x.min() >= 0 and x.max() <= 1


def test_disc_labels_are_exactly_inside_the_disc_of_radius_one_over_sqrt_two_pi() -> None:
    x, y = make_disc(5000, seed=1)
    distance = (x.double() - 0.5).norm(dim=1, keepdim=True)
    clear = (distance - RADIUS).abs() > 1e-6  # away from float32 rounding at the boundary
    assert torch.equal(y[clear], (distance < RADIUS).float()[clear])
    assert set(y.unique().tolist()) == {0.0, 1.0}


def test_disc_covers_half_the_square() -> None:
    # π r² = 1/2; the fraction inside has standard deviation 0.5/√n ≈ 0.0016 here.
    _, y = make_disc(100_000, seed=2)
    assert y.mean().item() == pytest.approx(0.5, abs=0.01)


def test_disc_noise_flips_about_that_fraction_of_labels() -> None:
    x, clean = make_disc(20_000, seed=3)
    x_noisy, noisy = make_disc(20_000, seed=3, noise=0.1)
    assert torch.equal(x, x_noisy)
    assert (noisy != clean).float().mean().item() == pytest.approx(0.1, abs=0.01)


def test_disc_is_reproducible_by_seed() -> None:
    a, b, c = make_disc(50, seed=7), make_disc(50, seed=7), make_disc(50, seed=8)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])
    assert not torch.equal(make_disc(50)[0], make_disc(50)[0])


# -- the other data sets ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(DATASETS))
def test_every_data_set_has_the_right_shapes_and_all_its_classes(name: str, default_dtype: torch.dtype) -> None:
    x, y = make_dataset(name, 301, seed=0)
    assert x.shape == (301, 2) and y.shape == (301, 1)
    assert x.dtype == y.dtype == default_dtype
    assert torch.isfinite(x).all()
    problem = dataset_problem(name)
    if problem.kind == "binary":
        assert set(y.unique().tolist()) == {0.0, 1.0}
        assert 0.3 < y.mean().item() < 0.7
    elif problem.is_classification:
        assert set(y.unique().tolist()) == set(map(float, range(problem.classes)))
    else:
        assert y.min() >= -1 and y.max() <= 1 and y.min() < -0.5 and y.max() > 0.5


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_data_set_is_reproducible_by_seed_and_takes_noise(name: str) -> None:
    a, b, c = (make_dataset(name, 100, seed=s) for s in (5, 5, 6))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])
    quiet, loud = make_dataset(name, 100, seed=5, noise=0.0), make_dataset(name, 100, seed=5, noise=0.3)
    assert not torch.equal(quiet[0], loud[0]) or not torch.equal(quiet[1], loud[1])


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_data_set_accepts_zero_points(name: str) -> None:
    x, y = make_dataset(name, 0, seed=0)
    assert x.shape == (0, 2) and y.shape == (0, 1)


def test_unknown_data_set_and_negative_size_are_refused() -> None:
    with pytest.raises(ValueError, match="Unknown data set 'moons'.*disc, circles, xor, gaussians, spiral"):
        make_dataset("moons", 10)
    with pytest.raises(ValueError, match="number of points must be >= 0, got -1"):
        make_disc(-1)


# -- splits ------------------------------------------------------------------------------------------
def test_train_test_split_partitions_every_point_once() -> None:
    x = torch.arange(20.0).view(10, 2)
    y = torch.arange(10.0).view(10, 1)
    x_train, y_train, x_test, y_test = train_test_split(x, y, 0.3, seed=0)
    assert len(x_test) == 3 and len(x_train) == 7
    assert sorted(torch.cat([y_train, y_test]).view(-1).tolist()) == list(range(10))
    for xs, ys in ((x_train, y_train), (x_test, y_test)):
        assert torch.equal(xs[:, 0], 2 * ys.view(-1)), "rows of x and y must stay paired"
    again = train_test_split(x, y, 0.3, seed=0)
    assert torch.equal(again[0], x_train)


def test_train_validation_split_is_the_same_function() -> None:
    x, y = make_disc(40, seed=0)
    parts = train_validation_split(x, y, 0.25, seed=1)
    assert [len(p) for p in parts] == [30, 30, 10, 10]


def test_split_refuses_bad_fractions_and_unpaired_data() -> None:
    x, y = make_disc(10, seed=0)
    with pytest.raises(ValueError, match=r"test_fraction must be in \[0, 1\], got 1.5"):
        train_test_split(x, y, 1.5)
    with pytest.raises(ValueError, match="x has 10 rows but y has 9"):
        train_test_split(x, y[:9])


# -- DataLoader --------------------------------------------------------------------------------------
def indexed(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Points whose x encodes their index, so batches show which points they hold."""
    x = torch.arange(n, dtype=torch.float32).view(n, 1).repeat(1, 2)
    return x, x[:, :1] * 10


@pytest.mark.parametrize(
    ("n", "batch_size", "sizes"), [(10, 1, [1] * 10), (10, 5, [5, 5]), (10, 4, [4, 4, 2]), (3, 8, [3])]
)
def test_loader_batch_sizes_with_a_partial_last_batch(n: int, batch_size: int, sizes: list[int]) -> None:
    loader = DataLoader(*indexed(n), batch_size=batch_size, generator=torch.Generator().manual_seed(0))
    assert [len(xb) for xb, _ in loader] == sizes
    assert len(loader) == len(sizes)


def test_loader_visits_every_point_once_per_epoch_in_a_new_order() -> None:
    loader = DataLoader(*indexed(50), batch_size=7, generator=torch.Generator().manual_seed(0))
    orders = []
    for _ in range(3):
        seen = []
        for xb, yb in loader:
            assert torch.equal(yb, xb[:, :1] * 10), "x and y rows must stay paired"
            seen += xb[:, 0].int().tolist()
        assert sorted(seen) == list(range(50))
        orders.append(seen)
    assert orders[0] != orders[1] != orders[2]


def test_loader_without_shuffle_keeps_the_order() -> None:
    loader = DataLoader(*indexed(5), batch_size=2, shuffle=False)
    assert [xb[:, 0].int().tolist() for xb, _ in loader] == [[0, 1], [2, 3], [4]]


def test_loader_batch_size_can_change_between_epochs() -> None:
    loader = DataLoader(*indexed(12), batch_size=4)
    assert len(list(loader)) == 3
    loader.batch_size = 5
    assert [len(xb) for xb, _ in loader] == [5, 5, 2]


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_loader_refuses_bad_batch_sizes(bad: float) -> None:
    with pytest.raises(ValueError, match=f"Invalid batch_size: {bad}"):
        DataLoader(*indexed(4), batch_size=bad)


def test_loader_refuses_unpaired_data() -> None:
    with pytest.raises(ValueError, match="x has 4 rows but y has 3"):
        DataLoader(torch.zeros(4, 2), torch.zeros(3, 1))


def test_loader_is_reproducible_by_generator_seed() -> None:
    def first_epoch(seed: int) -> list[int]:
        loader = DataLoader(*indexed(20), batch_size=3, generator=torch.Generator().manual_seed(seed))
        return [int(v) for xb, _ in loader for v in xb[:, 0]]

    assert first_epoch(1) == first_epoch(1) != first_epoch(2)


# -- CSV ---------------------------------------------------------------------------------------------
def test_csv_round_trip_is_exact(tmp_path: Path) -> None:
    x, y = make_disc(200, seed=0)
    path = tmp_path / "points.csv"
    save_points(path, x, y)
    assert path.read_text().splitlines()[0] == "x1,x2,label"
    x_loaded, y_loaded = load_points(path)
    assert torch.equal(x_loaded, x) and torch.equal(y_loaded, y)
    assert not (tmp_path / "points.csv.tmp").exists()


def test_csv_accepts_no_header_blank_lines_and_comments() -> None:
    x, y = parse_points("# hand-written\n0.1, 0.2, 1\n\n0.3,0.4,0\n")
    assert torch.equal(x, torch.tensor([[0.1, 0.2], [0.3, 0.4]]))
    assert torch.equal(y, torch.tensor([[1.0], [0.0]]))


def test_csv_with_only_a_header_is_an_empty_set() -> None:
    x, y = parse_points("x1,x2,label\n")
    assert x.shape == (0, 2) and y.shape == (0, 1)


@pytest.mark.parametrize(
    ("bad_row", "what"),
    [
        ("0.1,0.2", "expected 3 values"),
        ("0.1,0.2,1,4", "expected 3 values"),
        ("0.1,abc,1", "not a number"),
        ("0.1,nan,1", "coordinates must be finite"),
        ("0.1,inf,0", "coordinates must be finite"),
        ("0.1,0.2,0.5", "label must be 0 or 1"),
        ("0.1,0.2,2", "label must be 0 or 1"),
    ],
)
def test_csv_format_error_names_the_line_of_the_bad_row(tmp_path: Path, bad_row: str, what: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"x1,x2,label\n0.5,0.5,1\n\n{bad_row}\n0.2,0.2,0\n")
    with pytest.raises(CSVFormatError, match=f"bad.csv, line 4: {what}"):
        load_points(path, problem=Problem.classification(2))  # the labels of a binary problem


def test_csv_format_error_is_a_value_error_and_binary_files_are_refused(tmp_path: Path) -> None:
    assert issubclass(CSVFormatError, ValueError)
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(CSVFormatError, match="not a text file"):
        load_points(path)
