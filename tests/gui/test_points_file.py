"""`read_points`: a CSV becomes a `ReplacePoints` edit, split with the Data group's ratio and seed, or a reason;
`write_points`: every point, training then test, in the format `read_points` reads."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from minidl.data import CSVFormatError, load_points, save_points
from minidl_gui.model.config import DataConfig
from minidl_gui.model.points_file import MAX_IMPORTED, PointsCountError, read_points, write_points
from minidl_gui.model.snapshot import Points


def write(path, n: int) -> None:
    save_points(path, torch.rand(n, 2), (torch.arange(n) % 2).float().view(-1, 1))


def test_the_points_are_split_with_the_configured_ratio_and_seed(tmp_path):
    path = tmp_path / "points.csv"
    write(path, 40)
    edit = read_points(path, DataConfig(n_train=30, n_test=10, seed=5))
    assert (len(edit.train[0]), len(edit.test[0])) == (30, 10) and edit.source == "points.csv"
    again = read_points(path, DataConfig(n_train=30, n_test=10, seed=5))
    assert torch.equal(edit.test[0], again.test[0])  # the seed decides the split
    other = read_points(path, DataConfig(n_train=30, n_test=10, seed=6))
    assert not torch.equal(edit.test[0], other.test[0])
    rows = torch.cat([torch.cat(edit.train, dim=1), torch.cat(edit.test, dim=1)])
    x, y = load_points(path)
    assert sorted(map(tuple, rows.tolist())) == sorted(map(tuple, torch.cat([x, y], dim=1).tolist()))  # every point


@pytest.mark.parametrize(("n", "found"), [(0, "has no points"), (MAX_IMPORTED + 1, f"(at most {MAX_IMPORTED})")])
def test_no_points_or_too_many_are_refused(tmp_path, n, found):
    path = tmp_path / "points.csv"
    write(path, n)
    with pytest.raises(PointsCountError, match=found.replace("(", r"\(").replace(")", r"\)")):
        read_points(path, DataConfig())


def test_what_load_points_raises_goes_through(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("0.1,zero,1\n", encoding="utf-8")
    with pytest.raises(CSVFormatError, match="line 1"):
        read_points(bad, DataConfig())
    with pytest.raises(OSError):
        read_points(tmp_path / "nowhere.csv", DataConfig())


def test_export_writes_training_then_test_points_that_import_reads_back(tmp_path):
    train = Points(np.array([[0.1, 0.2], [0.3, 0.4]], dtype=np.float32), np.array([1.0, 0.0], dtype=np.float32))
    test = Points(np.array([[0.5, 0.6]], dtype=np.float32), np.array([1.0], dtype=np.float32))
    path = tmp_path / "points.csv"
    assert write_points(path, train, test) == 3
    x, y = load_points(path)
    assert torch.equal(x, torch.tensor([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]))
    assert torch.equal(y, torch.tensor([[1.0], [0.0], [1.0]]))
    edit = read_points(path, DataConfig(n_train=2, n_test=1))
    assert (len(edit.train[0]), len(edit.test[0])) == (2, 1)


def test_no_points_are_not_exported(tmp_path):
    empty = Points(np.zeros((0, 2), dtype=np.float32), np.zeros(0, dtype=np.float32))
    with pytest.raises(PointsCountError, match="no points"):
        write_points(tmp_path / "points.csv", empty, empty)
    assert not (tmp_path / "points.csv").exists()
