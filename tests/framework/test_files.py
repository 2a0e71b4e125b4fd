"""`minidl.files`: bounded reads of regular files only, atomic writes that keep permissions and links."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from minidl.files import FileRefusedError, atomic_write, describe_size, read_bounded


def test_read_bounded_returns_the_bytes_of_a_small_file(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"1,2,0\n")
    assert read_bounded(path, 100, "CSV file") == b"1,2,0\n"


def test_read_bounded_refuses_a_file_over_the_cap_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 101)
    with pytest.raises(FileRefusedError, match=r"too large for a CSV file \(101 bytes\): the limit is 100 bytes"):
        read_bounded(path, 100, "CSV file")


def test_read_bounded_refuses_a_fifo_at_once_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    reader = threading.Thread(target=lambda: _capture(outcome, fifo), daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert isinstance(outcome[0], FileRefusedError)
    assert "named pipe" in str(outcome[0])


def _capture(outcome: list[BaseException], path: Path) -> None:
    try:
        read_bounded(path, 100)
    except BaseException as error:  # noqa: BLE001 (the test inspects it)
        outcome.append(error)


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/null"])
def test_read_bounded_refuses_devices(path: str) -> None:
    if not os.path.exists(path):
        pytest.skip(f"{path} does not exist here")
    with pytest.raises(FileRefusedError, match="character device"):
        read_bounded(path, 2**20, "session file")


def test_read_bounded_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(FileRefusedError, match="a folder, not a config file"):
        read_bounded(tmp_path, 100, "config file")


def test_read_bounded_lets_a_missing_file_raise_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_bounded(tmp_path / "missing.csv", 100)


def test_describe_size_uses_binary_units() -> None:
    assert describe_size(512) == "512 bytes"
    assert describe_size(1536) == "1.5 KB"
    assert describe_size(64 * 2**20) == "64 MB"


def test_atomic_write_creates_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    atomic_write(path, lambda f: f.write("one"))
    atomic_write(path, lambda f: f.write("two"))
    assert path.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old")

    def fail(file: object) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(path, fail)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_removes_temporaries_left_by_a_killed_save(tmp_path: Path) -> None:
    path = tmp_path / "run.minidl"
    stale = tmp_path / ".run.minidl.0123abcd.tmp"
    stale.write_text("half a file")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    in_progress = tmp_path / ".run.minidl.4567cdef.tmp"  # fresh: maybe another process saving right now
    in_progress.write_text("being written")
    other = tmp_path / ".other.minidl.0123abcd.tmp"  # another file's: not ours to remove
    other.write_text("x")
    os.utime(other, (an_hour_ago, an_hour_ago))
    atomic_write(path, lambda f: f.write("whole"))
    assert not stale.exists()
    assert in_progress.exists() and other.exists()
    assert path.read_text() == "whole"


def test_atomic_write_keeps_the_files_permissions(tmp_path: Path) -> None:
    path = tmp_path / "private.minidl"
    path.write_text("old")
    path.chmod(0o600)
    atomic_write(path, lambda f: f.write("new"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    atomic_write(path, lambda f: f.write("newer"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_atomic_write_new_file_follows_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.txt", lambda f: f.write("x"))
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_atomic_write_writes_through_a_symlink(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "session.minidl"
    target.write_text("old")
    link = tmp_path / "link.minidl"
    link.symlink_to(target)
    atomic_write(link, lambda f: f.write("new"))
    assert link.is_symlink()
    assert target.read_text() == "new"
    assert sorted(p.name for p in real_dir.iterdir()) == ["session.minidl"]
