"""History keeps every epoch; downsampling only thins what is drawn."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from minidl_gui.model.history import History, downsample


def record(epoch: int, loss: float, test_loss: float | None = None) -> SimpleNamespace:
    return SimpleNamespace(
        epoch=epoch, train_loss=loss, test_loss=test_loss, train_accuracy=0.5, test_accuracy=None,
        lr=0.1, elapsed=epoch * 0.01, steps_per_second=100.0,
    )  # fmt: skip


def test_history_records_every_epoch_beyond_its_initial_capacity():
    history = History()
    history.extend(record(e, 1.0 / e) for e in range(1, 1001))
    assert len(history) == 1000
    np.testing.assert_array_equal(history.column("epoch"), np.arange(1, 1001))
    assert np.isnan(history.column("test_accuracy")).all()
    assert history.last("train_loss") == 1.0 / 1000
    assert len(history.records) == 1000


def test_truncate_then_extend_replaces_the_tail():
    history = History()
    history.extend(record(e, e) for e in range(1, 6))
    history.truncate(2)
    history.append(record(3, 30.0))
    np.testing.assert_array_equal(history.column("train_loss"), [1.0, 2.0, 30.0])
    history.clear()
    assert len(history) == 0 and history.last("epoch") is None


def test_extending_by_a_block_keeps_what_appending_one_by_one_keeps():
    """Blocks of several sizes across the capacity's growth, after a truncation, with missing values and columns (a
    record without ``gradient_norms`` or the regression metrics) and numpy scalars: the same table row for row."""
    records = [record(e, 1.0 / e, None if e % 3 else 2.0 / e) for e in range(1, 200)]
    for e, r in enumerate(records, 1):
        r.gradient_norms = np.array([e, 2.0 * e]) if e % 2 else None
        r.epoch = np.int64(e)
    one_by_one, blocks = History(), History()
    for r in records[:10]:
        one_by_one.append(r)
    blocks.extend(records[:10])
    for history in (one_by_one, blocks):
        history.truncate(7)
    for r in records[7:]:
        one_by_one.append(r)
    for start, stop in ((7, 8), (8, 60), (60, 63), (63, 199)):
        blocks.extend(iter(records[start:stop]))
    blocks.extend([])
    assert len(blocks) == len(one_by_one) == 199
    for name in ("epoch", "train_loss", "test_loss", "test_accuracy", "train_rmse", "test_r2"):
        np.testing.assert_array_equal(blocks.column(name), one_by_one.column(name))
    np.testing.assert_array_equal(blocks.column("test_loss")[:3], [np.nan, np.nan, 2.0 / 3])
    np.testing.assert_array_equal(blocks.gradient_norms.values(), one_by_one.gradient_norms.values())
    assert blocks.records == records


def test_downsample_bounds_the_points_and_keeps_ends_and_spikes():
    x = np.arange(100_000, dtype=float)
    y = np.exp(-x / 10_000)
    y[54_321] = 50.0
    xs, ys = downsample(x, y, 1000)
    assert len(xs) <= 1002
    assert xs[0] == 0 and xs[-1] == 99_999
    assert 50.0 in ys
    assert np.all(np.diff(xs) > 0)


def test_downsample_leaves_short_curves_alone():
    x = np.arange(10.0)
    xs, ys = downsample(x, x**2, 1000)
    assert xs is x


def reference_downsample(x: np.ndarray, y: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """The definition, bucket by bucket: ends, then each bucket's first finite minimum and maximum
    (its first point when it has no finite value)."""
    n, buckets = len(x), max(1, max_points // 2)
    edges = np.linspace(0, n, buckets + 1).astype(int)
    finite = np.where(np.isfinite(y), y, np.nan)
    keep = {0, n - 1}
    for start, stop in zip(edges[:-1], edges[1:], strict=True):
        segment = finite[start:stop]
        if len(segment) and np.isnan(segment).all():
            keep.add(start)
        elif len(segment):
            keep |= {start + int(np.nanargmin(segment)), start + int(np.nanargmax(segment))}
    index = np.array(sorted(keep))
    return x[index], y[index]


def test_downsample_keeps_each_buckets_first_extremes_despite_nan_inf_and_ties():
    rng = np.random.default_rng(0)
    for n, max_points in ((2001, 2000), (5000, 1000), (12_345, 999), (3000, 7)):
        x = np.arange(n, dtype=float)
        y = np.round(rng.normal(size=n))  # many ties
        y[rng.random(n) < 0.3] = np.nan
        y[rng.random(n) < 0.05] = np.inf
        y[n // 3 : n // 3 + n // 10] = np.nan  # whole buckets without a finite value
        xs, ys = downsample(x, y, max_points)
        expected_x, expected_y = reference_downsample(x, y, max_points)
        np.testing.assert_array_equal(xs, expected_x)
        np.testing.assert_array_equal(ys, expected_y)
