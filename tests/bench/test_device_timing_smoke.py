"""The device benchmark runs and compares like with like; its CPU table and its no-CUDA line.

No timing is asserted here: speed is measured by ``python -m bench`` only.
"""

from __future__ import annotations

import pytest
import torch

import bench.__main__ as bench_main
from bench import device_timing
from bench.device_timing import DeviceTiming, device_twins, format_device_table
from bench.models import TRAIN_SEED
from bench.step_timing import minidl_step, torch_step
from minidl.data import make_dataset

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def follow_the_same_losses(device: str, width: int = 8) -> None:
    twins = device_twins(width, device)
    theirs = twins.net.state_dict()
    for name, ours in twins.model.state_dict().items():
        assert ours.device.type == theirs[name].device.type == torch.device(device).type, name
        assert torch.equal(ours, theirs[name]), name
    ours_step, torch_step_ = minidl_step(twins), torch_step(twins)
    x, y = make_dataset("disc", 16, seed=TRAIN_SEED, device=device)
    for _ in range(3):
        torch.testing.assert_close(ours_step(x, y), torch_step_(x, y).detach())


def test_device_twins_start_from_identical_weights_and_follow_the_same_losses() -> None:
    follow_the_same_losses("cpu")


@pytest.mark.cuda
@needs_cuda
def test_cuda_twins_hold_the_cpu_weights_and_follow_the_same_losses() -> None:
    on_cpu, on_cuda = device_twins(8, "cpu").model.state_dict(), device_twins(8, "cuda").model.state_dict()
    for name, weights in on_cuda.items():
        assert weights.is_cuda and torch.equal(weights.cpu(), on_cpu[name]), name
    follow_the_same_losses("cuda")


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    """The device table at a tiny size: one width, two batch sizes, one round of a few steps."""
    monkeypatch.setattr(device_timing, "WIDTHS", (3,))
    monkeypatch.setattr(device_timing, "BATCH_SIZES", (1, 2))
    monkeypatch.setattr(device_timing, "rounds", lambda quick: 1)
    monkeypatch.setattr(device_timing, "ROUND_SECONDS", 1e-4)
    monkeypatch.setattr(device_timing, "MAX_STEPS", 2)


@pytest.mark.usefixtures("tiny")
def test_cpu_table_prints_a_row_per_width_and_batch_and_no_cuda_columns(capsys: pytest.CaptureFixture[str]) -> None:
    bench_main.main(["--device", "cpu", "--quick", "--threads", "1"])
    out = capsys.readouterr().out
    assert "Training step on CPU:" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("net"))
    assert header.split() == ["net", "batch", "torch.nn", "CPU", "µs", "minidl", "CPU", "µs", "ratio"]
    rows = [line.split() for line in lines if line.lstrip().startswith("2-3-3-3-1")]
    assert [row[1] for row in rows] == ["1", "2"]
    for row in rows:
        torch_us, minidl_us, ratio = map(float, row[2:])
        assert torch_us > 0 and minidl_us > 0
        assert ratio == pytest.approx(minidl_us / torch_us, rel=0.01, abs=1e-3)
    assert "CUDA" not in out


def test_threads_flag_sets_the_cpu_thread_count_of_the_table_only(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    monkeypatch.setattr(device_timing, "report", lambda device, quick: seen.append(torch.get_num_threads()))
    before = torch.get_num_threads()
    try:
        bench_main.main(["--device", "cpu", "--threads", "3"])
        assert seen == [3]
        assert torch.get_num_threads() == 1  # the other tables' setting, restored after the device table
    finally:
        torch.set_num_threads(before)


def test_cuda_without_cuda_prints_one_line_and_times_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(device_timing, "cuda_available", lambda: False)
    monkeypatch.setattr(device_timing, "run", pytest.fail)
    bench_main.main(["--device", "cuda", "--quick"])
    out = capsys.readouterr().out
    assert out.splitlines() == [device_timing.unavailable_message()]
    assert "CUDA is not available on this machine" in out and "skipped" in out


@pytest.mark.parametrize("available", [False, True])
def test_the_full_bench_adds_the_cuda_table_only_where_cuda_is_available(
    monkeypatch: pytest.MonkeyPatch, available: bool
) -> None:
    monkeypatch.setattr(device_timing, "cuda_available", lambda: available)
    for module, names in (
        (bench_main.step_timing, ("run", "format_step_table")),
        (bench_main.end_to_end, ("run", "format_run_table")),
    ):
        for name in names:
            monkeypatch.setattr(module, name, lambda *args: "")
    reported: list[str] = []
    monkeypatch.setattr(device_timing, "report", lambda device, quick: reported.append(device))
    before = torch.get_num_threads()
    try:
        bench_main.main(["--framework", "--quick"])
    finally:
        torch.set_num_threads(before)
    assert reported == (["cuda"] if available else [])


def test_both_devices_add_the_cpu_over_cuda_ratio_of_each_framework() -> None:
    us = {("torch.nn", "cpu"): 300.0, ("minidl", "cpu"): 100.0, ("torch.nn", "cuda"): 100.0, ("minidl", "cuda"): 50.0}
    table = format_device_table([DeviceTiming(1024, 4096, us)], ["cpu", "cuda"])
    header, _, row = table.splitlines()
    assert "torch.nn CUDA µs" in header and header.rstrip().endswith("CPU/CUDA torch.nn  CPU/CUDA minidl")
    assert row.split() == [
        "2-1024-1024-1024-1",
        "4096",
        "300.0",
        "100.0",
        "0.333",
        "100.0",
        "50.0",
        "0.500",
        "3.00",
        "2.00",
    ]
