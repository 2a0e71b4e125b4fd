"""The device the app trains on: a preference of the machine (not of a session), a Device choice only where
CUDA is available, and a run that moves there between two epochs and goes on."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox

from minidl_gui.model import devices
from minidl_gui.model.devices import CPU, CUDA
from minidl_gui.model.saved_session import capture_session, session_from_saved
from minidl_gui.model.session import Change, Session
from minidl_gui.widgets.main_window import MainWindow
from minidl_gui.worker import TrainingWorker
from minidl_gui.worker_commands import Adopt, SetDevice, StartAfresh, Step
from tests.gui.test_settings import restored
from tests.gui.test_worker import Recorder, serve

TIMEOUT = 20_000
OTHER_CPU = "cpu:0"
"""Another name of the CPU: a session moved there takes the path a move to CUDA takes, on any machine."""


@pytest.fixture
def cpu_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "available_devices", lambda: (CPU,))


@pytest.fixture
def with_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "available_devices", lambda: (CPU, CUDA))


def shown_window(qtbot) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def device_combo(window: MainWindow) -> QComboBox:
    combo = window.findChild(QComboBox, "deviceCombo")
    assert combo is not None
    return combo


def items(combo: QComboBox) -> list[tuple[str, str]]:
    return [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]


def train(session: Session, epochs: int) -> list[tuple[float, ...]]:
    generator = session.epochs()
    rows = [next(generator) for _ in range(epochs)]
    generator.close()
    return [(r.epoch, r.train_loss, r.test_loss, r.train_accuracy, r.lr) for r in rows]


# -- which devices there are -------------------------------------------------------------------------------
@pytest.mark.parametrize(("has_cuda", "expected"), [(False, (CPU,)), (True, (CPU, CUDA))])
def test_the_devices_are_the_cpu_and_cuda_where_torch_sees_it(monkeypatch, has_cuda, expected) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: has_cuda)
    assert devices.available_devices() == expected


def test_without_cuda_the_toolbar_shows_no_device_choice(qtbot, cpu_only) -> None:
    window = shown_window(qtbot)
    combo = device_combo(window)
    assert not combo.isVisibleTo(window) and items(combo) == [("CPU", CPU)]


def test_with_cuda_the_toolbar_offers_cpu_and_cuda(qtbot, with_cuda) -> None:
    window = shown_window(qtbot)
    combo = device_combo(window)
    assert combo.isVisibleTo(window) and items(combo) == [("CPU", CPU), ("CUDA", CUDA)]
    assert combo.currentData() == CPU and "CUDA" in combo.toolTip()


# -- a preference of the machine ---------------------------------------------------------------------------
def test_the_chosen_device_is_remembered(qtbot, with_cuda, temporary_settings) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    combo = device_combo(window)
    combo.setCurrentIndex(combo.findData(CUDA))
    window.save_settings(QSettings(temporary_settings, QSettings.Format.IniFormat))
    again, messages = restored(qtbot, temporary_settings)
    assert device_combo(again).currentData() == CUDA and messages == []


def test_settings_from_a_cuda_machine_train_on_the_cpu_here_and_say_so(qtbot, cpu_only, temporary_settings) -> None:
    window, messages = restored(qtbot, temporary_settings, "[General]\ndevice=cuda\n")
    assert device_combo(window).currentData() == CPU
    assert messages == ["CUDA is not available on this machine: training on the CPU."]


def test_an_unknown_saved_device_is_reset_like_any_invalid_setting(qtbot, cpu_only, temporary_settings) -> None:
    window, messages = restored(qtbot, temporary_settings, "[General]\ndevice=tpu\nresolution=abc\n")
    assert device_combo(window).currentData() == CPU
    assert messages == ["Some saved settings were invalid and were reset: resolution, device"]


# -- moving a run ------------------------------------------------------------------------------------------
def test_a_moved_run_goes_on_exactly_where_it_was(small_config) -> None:
    moved, stayed = Session(small_config), Session(small_config)
    assert moved.device == CPU and train(moved, 2) == train(stayed, 2)
    before = moved.trainer
    change = moved.set_device(OTHER_CPU)
    assert change == Change(False, f"Now training on {OTHER_CPU}: the run goes on from epoch 2.")
    # Trainer.to moves the run in place: the same trainer and model, nothing rebuilt.
    assert moved.device == OTHER_CPU and moved.trainer is before and moved.trainer.model is moved.model
    assert len(moved.history) == 2 and moved.epoch == 2
    assert train(moved, 3) == train(stayed, 3)  # weights, optimizer, schedule and shuffle state moved along
    assert all(torch.equal(a, b) for a, b in zip(moved.model.parameters(), stayed.model.parameters(), strict=True))
    moved.reset()
    assert moved.epoch == 0 and train(moved, 1) == train(Session(small_config), 1)
    assert moved.set_device(OTHER_CPU) == Change(False)  # already there: nothing to do


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_a_device_this_machine_lacks_is_refused_and_nothing_changes(small_config) -> None:
    session = Session(small_config)
    trainer = session.trainer
    with pytest.raises(ValueError, match="device 'cuda' needs a CUDA GPU, and this machine has none"):
        session.set_device(CUDA)
    assert session.device == CPU and session.trainer is trainer


def test_the_worker_moves_its_run_and_every_session_it_adopts_follows(small_config) -> None:
    worker = TrainingWorker(Session(small_config))
    seen = Recorder(worker)
    serve(worker, Step(), SetDevice(OTHER_CPU), Step())
    assert worker.session.device == OTHER_CPU and worker.session.epoch == 2
    assert f"Now training on {OTHER_CPU}: the run goes on from epoch 1." in seen.messages
    assert [s.epoch for s in seen.snapshots] == [1, 2]
    serve(worker, StartAfresh(small_config))
    assert worker.session.device == OTHER_CPU and worker.session.epoch == 0
    opened = Session(small_config)  # as a file opens: on the CPU
    serve(worker, Adopt(opened))
    assert worker.session is opened and opened.device == OTHER_CPU


def test_the_device_combo_moves_the_window_s_run(qtbot, with_cuda, monkeypatch, playground) -> None:
    chosen: list[str] = []

    def set_device(session: Session, device: str) -> Change:
        chosen.append(device)
        return Change(False, f"moved to {device}")

    monkeypatch.setattr(Session, "set_device", set_device)  # this machine may have no GPU to move to
    window = playground().window
    combo = device_combo(window)
    combo.setCurrentIndex(combo.findData(CUDA))
    qtbot.waitUntil(lambda: chosen == [CUDA], timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "moved to cuda", timeout=TIMEOUT)


# -- on a GPU ----------------------------------------------------------------------------------------------
@pytest.mark.cuda
def test_a_cuda_session_trains_shows_and_saves_cpu_tensors_that_open_on_the_cpu(small_config) -> None:
    session = Session(small_config, device=CUDA)
    assert session.trainer.loader.x.is_cuda and not session.train_data[0].is_cuda
    rows = train(session, 2)
    snapshot = session.snapshot()
    assert isinstance(snapshot.grid, np.ndarray) and snapshot.grid.shape == (session.resolution, session.resolution)
    saved = capture_session(session)
    assert not saved.train[0].is_cuda and not saved.trainer["model"]["0.weight"].is_cuda
    opened = session_from_saved(saved)
    assert opened.device == CPU and opened.epoch == 2 and len(rows) == 2
    pairs = zip(opened.model.parameters(), session.model.parameters(), strict=True)
    assert all(torch.equal(a, b.cpu()) for a, b in pairs)
