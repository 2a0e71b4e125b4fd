"""GUI test fixtures: a temporary settings file for every test, and a small, fast playground."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from minidl_gui.model.config import Config, DataConfig, LayerConfig, NetworkConfig, TrainingConfig
from minidl_gui.settings import SETTINGS_ENV

SMALL = Config(
    data=DataConfig(dataset="disc", n_train=200, n_test=200, seed=1),
    network=NetworkConfig(hidden=(LayerConfig(8, "tanh"), LayerConfig(8, "tanh")), init="torch", seed=3),
    training=TrainingConfig(optimizer="adam", lr=1e-2, batch_size=16, max_epochs=1000),
)
"""A network and data set small enough that an epoch takes about a millisecond."""


@pytest.fixture(autouse=True)
def temporary_settings(tmp_path, monkeypatch) -> str:
    """Never read or write the user's real settings."""
    path = str(tmp_path / "minidl-gui.ini")
    monkeypatch.setenv(SETTINGS_ENV, path)
    return path


@pytest.fixture
def small_config() -> Config:
    return SMALL


@pytest.fixture
def playground(qtbot) -> Iterator:
    """``make(config, remember=False)`` → a shown window's controller; every window is closed at the end."""
    from minidl_gui.run import create_window

    controllers = []

    def make(config: Config | None = SMALL, remember: bool = False):
        controller = create_window(config, remember=remember)
        qtbot.addWidget(controller.window)
        controller.window.show()
        qtbot.waitUntil(lambda: controller.window.last_snapshot is not None)
        controllers.append(controller)
        return controller

    yield make
    for controller in controllers:
        controller.window.close()
        assert not controller.thread.isRunning()
