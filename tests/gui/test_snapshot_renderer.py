"""Snapshots rendered on their own thread (`SnapshotRenderer`) while the worker trains on: the same snapshots as
rendered on the training thread, one at a time, in order with the states, and no history row lost."""

from __future__ import annotations

import copy
import threading
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt, QThread, Slot

from minidl_gui import snapshot_renderer
from minidl_gui.model.history import History
from minidl_gui.model.session import Session
from minidl_gui.model.snapshot_budget import RENDER_SHARE
from minidl_gui.model.worker_state import WorkerState
from minidl_gui.snapshot_renderer import SnapshotRenderer
from minidl_gui.worker import TrainingWorker
from minidl_gui.worker_commands import Train


def trained(config, epochs: int = 2) -> Session:
    session = Session(config)
    for _, _ in zip(range(epochs), session.epochs(), strict=False):
        pass
    return session


def test_a_capture_rendered_with_a_model_copy_is_the_live_snapshot(small_config):
    session = trained(small_config)
    session.selected_neuron = (1, 2)
    source = session.capture(sent=False)
    stale = copy.deepcopy(session.model)
    for parameter, _ in stale.param():
        parameter.fill_(0.5)  # the copy's own weights do not matter: the capture's are loaded
    got: list = []
    renderer = SnapshotRenderer(got.append)
    renderer.submit(source, stale)
    renderer.wait_idle()
    renderer.close()
    live = session.snapshot()
    (rendered,) = got
    for name in ("grid", "train_wrong", "test_wrong", "neuron_field", "train_confusion", "test_confusion"):
        np.testing.assert_array_equal(getattr(rendered, name), getattr(live, name), err_msg=name)
    assert rendered.weights.keys() == live.weights.keys()
    for name, value in live.weights.items():
        np.testing.assert_array_equal(rendered.weights[name], value)
    assert (rendered.epoch, rendered.start, rendered.results) == (live.epoch, live.start, live.results)
    assert rendered.neuron == live.neuron == (1, 2)


def test_one_snapshot_at_a_time(small_config):
    session = trained(small_config, 1)
    release = threading.Event()
    delivered: list = []
    renderer = SnapshotRenderer(lambda snapshot: (release.wait(10), delivered.append(snapshot)))
    renderer.submit(session.capture(), copy.deepcopy(session.model))
    assert renderer.busy
    with pytest.raises(RuntimeError, match="being rendered already"):
        renderer.submit(session.capture(), copy.deepcopy(session.model))
    release.set()
    renderer.wait_idle()
    assert not renderer.busy and len(delivered) == 1
    renderer.close()


def test_a_rendering_that_raised_is_kept_once_with_its_source(small_config, monkeypatch):
    session = trained(small_config, 1)

    def broken(source, model, frames):
        raise ValueError("no picture today")

    monkeypatch.setattr(snapshot_renderer, "render_snapshot", broken)
    delivered: list = []
    renderer = SnapshotRenderer(delivered.append)
    source = session.capture()
    renderer.submit(source, copy.deepcopy(session.model))
    renderer.wait_idle()
    error, failed = renderer.take_failure()
    assert isinstance(error, ValueError) and failed is source and not delivered
    assert renderer.take_failure() is None
    renderer.close()


class Window(QObject):
    """Stands for the window: mirrors the history as `MainWindow.show_snapshot` does and acknowledges snapshots."""

    def __init__(self, worker: TrainingWorker) -> None:
        super().__init__()
        self.worker = worker
        self.history = History()
        self.events: list[tuple[str, object]] = []

    @Slot(object)
    def snapshot(self, snapshot) -> None:
        self.events.append(("snapshot", snapshot.epoch))
        self.history.truncate(snapshot.start)
        self.history.extend(snapshot.results)
        self.worker.snapshot_consumed()

    @Slot(object)
    def state(self, state) -> None:
        self.events.append(("state", state))


class Harness:
    """``worker`` on a QThread as the controller runs it, reporting (queued) to a `Window` on this thread."""

    def __init__(self, qtbot, worker: TrainingWorker) -> None:
        self.qtbot, self.worker, self.window = qtbot, worker, Window(worker)
        self.thread = QThread()
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)
        worker.closed.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        worker.yielded.connect(self.window.snapshot, Qt.ConnectionType.QueuedConnection)
        worker.stateChanged.connect(self.window.state, Qt.ConnectionType.QueuedConnection)
        self.thread.start()

    def train_until(self, state: WorkerState) -> None:
        seen = len(self.window.events)
        self.worker.submit(Train())
        self.qtbot.waitUntil(lambda: ("state", state) in self.window.events[seen:], timeout=30_000)

    def close(self) -> None:
        self.worker.quit()
        assert self.thread.wait(30_000)


def test_a_worker_rendering_on_its_thread_loses_no_row_and_keeps_the_order(qtbot, small_config):
    config = small_config.replace(training=replace(small_config.training, max_epochs=60))
    worker = TrainingWorker(Session(config), interval=0.0, render_thread=True)
    threads: list[str] = []
    worker.yielded.connect(
        lambda _: threads.append(threading.current_thread().name), Qt.ConnectionType.DirectConnection
    )
    harness = Harness(qtbot, worker)
    try:
        harness.train_until(WorkerState.DONE)
    finally:
        harness.close()
    window = harness.window
    assert [int(epoch) for epoch in window.history.column("epoch")] == list(range(1, 61))
    assert "snapshotRenderer" in threads  # snapshots taken while training were rendered there
    assert threads[-1] != "snapshotRenderer"  # the last, sent as training halted, on the worker's thread
    done = window.events.index(("state", WorkerState.DONE))
    assert window.events[done - 1] == ("snapshot", 60)  # the data, then the state announcing it


def test_a_rendering_that_failed_fails_the_run_and_its_rows_come_with_the_next(qtbot, small_config, monkeypatch):
    config = small_config.replace(training=replace(small_config.training, max_epochs=40))
    real = snapshot_renderer.render_snapshot
    calls: list[int] = []

    def fails_once(source, model, frames):
        calls.append(source.epoch)
        if len(calls) == 1:
            raise ValueError("no picture today")
        return real(source, model, frames)

    monkeypatch.setattr(snapshot_renderer, "render_snapshot", fails_once)
    worker = TrainingWorker(Session(config), interval=0.0, render_thread=True)
    errors: list[str] = []
    worker.errored.connect(errors.append, Qt.ConnectionType.DirectConnection)
    harness = Harness(qtbot, worker)
    try:
        harness.train_until(WorkerState.FAILED)
        qtbot.waitUntil(lambda: bool(errors))  # said on the worker's thread right after the state
        assert errors == ["ValueError: no picture today"] and worker.session.epoch < 40
        harness.train_until(WorkerState.DONE)  # Train goes on from where it failed
    finally:
        harness.close()
    assert [int(epoch) for epoch in harness.window.history.column("epoch")] == list(range(1, 41))


def test_a_rendering_failed_just_before_the_run_halted_loses_no_row_and_is_said_once(qtbot, small_config, monkeypatch):
    """The run halts (here: its last epoch) before another snapshot is due: the halting snapshot brings the failed
    one's rows, the failure is reported then, and a later run does not fail on it again."""
    config = small_config.replace(training=replace(small_config.training, max_epochs=2))
    real = snapshot_renderer.render_snapshot
    calls: list[int] = []

    def fails_once(source, model, frames):
        calls.append(source.epoch)
        if len(calls) == 1:
            raise ValueError("no picture today")
        return real(source, model, frames)

    monkeypatch.setattr(snapshot_renderer, "render_snapshot", fails_once)
    worker = TrainingWorker(Session(config), interval=0.0, render_thread=True)
    errors: list[str] = []
    worker.errored.connect(errors.append, Qt.ConnectionType.DirectConnection)
    harness = Harness(qtbot, worker)
    try:
        worker.submit(Train())
        halted = (WorkerState.DONE, WorkerState.FAILED)
        qtbot.waitUntil(lambda: any(("state", state) in harness.window.events for state in halted), timeout=30_000)
        assert calls == [1]  # the renderer's only snapshot: the one after epoch 1, which failed; epoch 2 ended the run
        assert [int(epoch) for epoch in harness.window.history.column("epoch")] == [1, 2]
        assert ("state", WorkerState.FAILED) in harness.window.events
        qtbot.waitUntil(lambda: bool(errors))  # said on the worker's thread right after the state
        assert errors == ["ValueError: no picture today"]
        harness.train_until(WorkerState.DONE)  # a new run (the last ended): no stale failure
    finally:
        harness.close()
    assert errors == ["ValueError: no picture today"]
    assert [int(epoch) for epoch in harness.window.history.column("epoch")] == [1, 2]


def test_the_renderers_cpu_time_paces_the_worker(small_config):
    session = trained(small_config, 1)
    measured: list[float] = []
    renderer = SnapshotRenderer(lambda _: None, measured.append)
    renderer.submit(session.capture(), copy.deepcopy(session.model))
    renderer.wait_idle()
    renderer.close()
    assert len(measured) == 1 and measured[0] >= 0
    worker = TrainingWorker(Session(small_config), interval=0.04, render_thread=True)
    worker.render_budget.record(0.06)  # 60 ms of rendering at RENDER_SHARE 0.2: one snapshot per 0.3 s at most
    assert worker.snapshot_interval() == pytest.approx(0.06 / RENDER_SHARE) == pytest.approx(0.3)
    worker.set_interval(0.5)
    assert worker.snapshot_interval() == 0.5
