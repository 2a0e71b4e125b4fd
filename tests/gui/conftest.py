"""GUI test fixtures: settings kept in temporary files, no training thread outliving its test, and a
small, fast playground.

Waiting for the worker (it reports from its own thread, through queued signals): wait with
``qtbot.waitUntil`` for what the window shows — ``window.toolbar.state``, ``len(window.history)``,
``window.last_snapshot`` — never with ``qtbot.waitSignal`` on a worker signal, which can fire before
the wait begins (then it waits for the timeout) or fire inside pytest-qt's own bookkeeping. The worker
sends a snapshot before the state that announces it, so once the window shows "done" or "paused" its
history and plots hold every epoch; a test that waits for a snapshot and then checks the state (or a
message) must wait for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
import torch
from PySide6.QtCore import QSettings

from minidl_gui.controller import Controller
from minidl_gui.model.config import Config, DataConfig, LayerConfig, NetworkConfig, TrainingConfig
from minidl_gui.settings import SETTINGS_ENV
from minidl_gui.worker import TrainingWorker

SMALL = Config(
    data=DataConfig(dataset="disc", n_train=200, n_test=200, seed=1),
    network=NetworkConfig(hidden=(LayerConfig(8, "tanh"), LayerConfig(8, "tanh")), init="torch", seed=3),
    training=TrainingConfig(optimizer="adam", lr=1e-2, batch_size=16, max_epochs=1000),
)
"""A network and data set small enough that an epoch takes about a millisecond."""
PROBLEM_NETWORK = NetworkConfig(hidden=(LayerConfig(8, "tanh"),), init="torch", seed=3)
PROBLEM_TRAINING = TrainingConfig(optimizer="adam", lr=1e-2, batch_size=16, max_epochs=4)
BLOBS = Config(
    data=DataConfig(dataset="blobs", classes=4, n_train=120, n_test=80, seed=1),
    network=PROBLEM_NETWORK,
    training=replace(PROBLEM_TRAINING, loss="cross_entropy"),
)
"""Four classes, four epochs."""
PLANE = Config(
    data=DataConfig(dataset="plane", n_train=120, n_test=80, seed=1), network=PROBLEM_NETWORK, training=PROBLEM_TRAINING
)
"""A regression, four epochs."""


@pytest.fixture(scope="session", autouse=True)
def no_user_settings(tmp_path_factory) -> None:
    """Even a QSettings opened without MINIDL_GUI_SETTINGS (or by Qt itself) lands in a temporary folder."""
    folder = str(tmp_path_factory.mktemp("qsettings"))
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(settings_format, scope, folder)


@pytest.fixture(autouse=True)
def temporary_settings(tmp_path, monkeypatch) -> str:
    """Never read or write the user's real settings."""
    path = str(tmp_path / "minidl-gui.ini")
    monkeypatch.setenv(SETTINGS_ENV, path)
    return path


@pytest.fixture(autouse=True)
def no_training_thread_left(monkeypatch) -> Iterator[None]:
    """Every training thread a test started (through any `Controller`) has finished when the test ends.

    A thread left running would train on behind later tests or abort the process when Qt destroys it;
    it is stopped here, and the test fails saying so.
    """
    threads = []
    build = Controller.__init__

    def recording_init(self, *args, **kwargs) -> None:
        build(self, *args, **kwargs)
        threads.append((self.worker, self.thread))

    monkeypatch.setattr(Controller, "__init__", recording_init)
    yield
    left = [thread for _, thread in threads if thread.isRunning()]
    for worker, thread in threads:
        if thread.isRunning():
            worker.quit()
            thread.wait()
    assert not left, f"{len(left)} trainingThread(s) still running at the end of the test"


@pytest.fixture(autouse=True)
def snapshots_between_epochs_only(monkeypatch) -> float | None:
    """Workers send snapshots between epochs only (as before mid-epoch snapshots): whether an epoch pauses in its
    middle depends on the wall clock (`TrainingWorker.progress_every`), and a test's sequence of snapshots must not.
    The tests of mid-epoch snapshots set ``worker.progress_every`` themselves (0: a pause after every step).
    Gives the app's own value."""
    default = TrainingWorker.progress_every
    monkeypatch.setattr(TrainingWorker, "progress_every", None)
    return default


@pytest.fixture(autouse=True)
def torch_state_kept() -> Iterator[None]:
    """A test leaves this thread's autograd mode as it found it (the worker's ``run()`` turns it off when
    a test calls it here); the intra-op thread count, which training generators finalised at some later
    garbage collection may still change, is put back."""
    threads, grad = torch.get_num_threads(), torch.is_grad_enabled()
    yield
    torch.set_num_threads(threads)
    now = torch.is_grad_enabled()
    torch.set_grad_enabled(grad)
    assert now == grad, "the test left autograd switched " + ("on" if now else "off")


@pytest.fixture
def run_until_halted() -> Callable[[TrainingWorker], None]:
    """``run_until_halted(worker)`` serves the worker's queued commands on this thread until training
    halts (paused, done, stopped, diverged, failed): whatever goes wrong, the test never blocks for
    ever on an idle worker's command queue."""

    def run(worker: TrainingWorker) -> None:
        worker.stateChanged.connect(lambda state: state != "running" and worker.quit())
        worker.run()

    return run


@pytest.fixture
def small_config() -> Config:
    return SMALL


@pytest.fixture
def playground(qtbot) -> Iterator:
    """``make(config, remember=False)`` → a shown window's controller; every window is closed at the end
    and its training thread has finished by then."""
    from minidl_gui.launch import create_window

    controllers = []

    def make(config: Config | None = SMALL, remember: bool = False):
        controller = create_window(config, remember=remember)
        qtbot.addWidget(controller.window)
        controller.window.show()
        qtbot.waitUntil(lambda: controller.window.last_snapshot is not None, timeout=20_000)
        controllers.append(controller)
        return controller

    yield make
    for controller in controllers:
        controller.window.close()
        assert controller.thread.isFinished()
