"""Snapshots rendered on their own thread (`SnapshotRenderer`) while the worker trains on: the same snapshots as
rendered on the training thread, one at a time, in order with the states, and no history row lost."""

from __future__ import annotations

import copy
import os
import sys
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
from minidl_gui.worker_commands import SendSnapshot, Train


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


def failing_first_render(monkeypatch) -> None:
    """The renderer thread's first rendering raises ValueError("no picture today"), the others render."""
    real = snapshot_renderer.render_snapshot
    calls: list[int] = []

    def fails_once(source, model, frames):
        calls.append(source.epoch)
        if len(calls) == 1:
            raise ValueError("no picture today")
        return real(source, model, frames)

    monkeypatch.setattr(snapshot_renderer, "render_snapshot", fails_once)


def test_a_rendering_that_failed_fails_the_run_and_its_rows_come_with_the_next(qtbot, small_config, monkeypatch):
    config = small_config.replace(training=replace(small_config.training, max_epochs=40))
    failing_first_render(monkeypatch)
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


class Mirror:
    """The window's history as `MainWindow.show_snapshot` keeps it, fed on whatever thread delivers (direct), with
    each snapshot acknowledged at once and the thread that delivered it noted."""

    def __init__(self, worker: TrainingWorker) -> None:
        self.worker, self.history, self.threads = worker, History(), []
        self.states: list = []
        self.errors: list[str] = []
        direct = Qt.ConnectionType.DirectConnection
        worker.yielded.connect(self.snapshot, direct)
        worker.stateChanged.connect(self.states.append, direct)
        worker.errored.connect(self.errors.append, direct)

    def snapshot(self, snapshot) -> None:
        self.threads.append(threading.current_thread().name)
        self.history.truncate(snapshot.start)
        self.history.extend(snapshot.results)
        self.worker.snapshot_consumed()


def test_a_rendering_that_failed_just_before_a_halt_fails_the_run_with_every_row_sent(
    small_config, monkeypatch, run_until_halted
):
    """Epoch 1's snapshot fails on the renderer; epoch 2 ends a Train(2): the halt's snapshot, which waits for the
    renderer, carries epoch 1's row too, and the failure is reported then (not at some later Train)."""
    failing_first_render(monkeypatch)
    worker = TrainingWorker(Session(small_config), interval=0.0, render_thread=True)
    mirror = Mirror(worker)
    worker.submit(Train(2))
    run_until_halted(worker)
    assert [int(epoch) for epoch in mirror.history.column("epoch")] == [1, 2]
    assert mirror.errors == ["ValueError: no picture today"] and mirror.states == ["running", "failed"]
    worker.submit(Train(4))
    run_until_halted(worker)
    assert mirror.errors == ["ValueError: no picture today"], "reported once"
    assert [int(epoch) for epoch in mirror.history.column("epoch")] == [1, 2, 3, 4]
    assert mirror.states[-1] == "paused"


def test_after_a_rendering_failed_training_sends_snapshots_again(small_config, monkeypatch, run_until_halted):
    """The failed snapshot never reached the window, which therefore acknowledges nothing: the worker must not wait
    for that acknowledgement before the next one."""
    failing_first_render(monkeypatch)
    worker = TrainingWorker(Session(small_config), interval=0.0, render_thread=True)
    mirror = Mirror(worker)
    worker.submit(Train())
    run_until_halted(worker)
    assert mirror.states[-1] == "failed"
    failed_at, delivered = worker.session.epoch, len(mirror.threads)
    worker.submit(Train(failed_at + 3))  # a fresh renderer thread (run() starts one), idle
    run_until_halted(worker)
    assert mirror.states[-1] == "paused"
    assert "snapshotRenderer" in mirror.threads[delivered:], "epochs' snapshots rendered on the renderer again"
    assert [int(epoch) for epoch in mirror.history.column("epoch")] == list(range(1, failed_at + 4))


def test_a_snapshot_rendered_on_the_worker_paces_the_renderer_not_the_captures(small_config, monkeypatch):
    """With a renderer, the worker's budget holds what a capture costs it; a snapshot it renders itself (a forced one,
    0.5 s here: a wide network) is a rendering, and paces as one (RENDER_SHARE), not as 0.5 s per capture."""
    clock = [0.0]
    worker = TrainingWorker(
        Session(small_config), interval=0.04, clock=lambda: clock[0], work_clock=lambda: clock[0], render_thread=True
    )
    snapshot = worker.session.snapshot

    def slow_snapshot():
        clock[0] += 0.5
        return snapshot()

    monkeypatch.setattr(worker.session, "snapshot", slow_snapshot)
    worker.submit(SendSnapshot())
    worker.quit()
    worker.run()
    assert worker.budget.preparation is None
    assert worker.render_budget.preparation == pytest.approx(0.5)
    assert worker.snapshot_interval() == pytest.approx(0.5 / RENDER_SHARE)


def test_a_run_that_fails_sends_the_snapshot_in_flight_before_the_failed_state(small_config, monkeypatch):
    """Epoch 1's snapshot is still rendering when epoch 2 raises: it goes out before the state "failed" (whatever comes
    after a state belongs to what that state says), as it does before a halt's state."""
    rendering, real_render = threading.Event(), snapshot_renderer.render_snapshot
    real_wait = SnapshotRenderer.wait_idle

    def slow_render(source, model, frames):
        rendering.wait(30)  # until the worker waits for it, or the run has failed (then it comes too late)
        return real_render(source, model, frames)

    def wait_idle(self):
        rendering.set()
        real_wait(self)

    monkeypatch.setattr(snapshot_renderer, "render_snapshot", slow_render)
    monkeypatch.setattr(SnapshotRenderer, "wait_idle", wait_idle)
    worker = TrainingWorker(Session(small_config), interval=0.0, render_thread=True)
    events: list = []
    direct = Qt.ConnectionType.DirectConnection
    worker.yielded.connect(lambda snapshot: events.append(("snapshot", snapshot.epoch)), direct)
    worker.stateChanged.connect(lambda state: events.append(("state", state)), direct)
    worker.stateChanged.connect(lambda state: state == "failed" and (rendering.set(), worker.quit()), direct)
    step = worker.session.optimizer.step

    def fails_in_epoch_2():
        if worker.session.epoch == 1:
            raise RuntimeError("a broken step")
        step()

    monkeypatch.setattr(worker.session.optimizer, "step", fails_in_epoch_2)
    worker.submit(Train())
    worker.run()
    assert events == [("state", "running"), ("snapshot", 1), ("state", "failed")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="threads have nice values of their own on Linux")
def test_the_renderer_thread_yields_the_cpu_to_the_window():
    from minidl_gui.snapshot_renderer import RENDER_NICENESS, yield_cpu_to_the_window

    seen: list[tuple[int, int]] = []

    def render_thread() -> None:
        before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        yield_cpu_to_the_window()
        seen.append((before, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))

    thread = threading.Thread(target=render_thread)
    thread.start()
    thread.join()
    (before, after), own = seen[0], os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert after == min(before + RENDER_NICENESS, 19) and RENDER_NICENESS == 10
    assert own == before, "the calling thread's priority is its own: this one kept it"
