"""Odd inputs the playground must survive: each trains a few epochs in the real window and checks it drew them."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from minidl_gui.model import config as bounds
from minidl_gui.model.config import Config, DataConfig, LayerConfig, NetworkConfig, TrainingConfig
from minidl_gui.worker_commands import Train


def _train(qtbot, controller, epochs: int = 3) -> None:
    window = controller.window
    controller.submit(Train(epochs))
    qtbot.waitUntil(lambda: window.toolbar.state in ("paused", "done", "diverged", "failed"), timeout=20_000)


def test_empty_test_set(playground, qtbot, small_config):
    controller = playground(small_config.replace(data=replace(small_config.data, n_test=0)))
    _train(qtbot, controller)
    assert controller.window.toolbar.state == "paused" and len(controller.window.history) == 3
    assert np.isnan(controller.window.history.column("test_loss")).all()


def test_one_training_point(playground, qtbot, small_config):
    controller = playground(small_config.replace(data=replace(small_config.data, n_train=1, n_test=1)))
    _train(qtbot, controller)
    assert controller.window.toolbar.state == "paused" and len(controller.window.history) == 3


def test_width_one_layers_with_a_neuron_selected(playground, qtbot, small_config):
    network = replace(small_config.network, hidden=(LayerConfig(1, "relu"), LayerConfig(1, "tanh")))
    controller = playground(small_config.replace(network=network))
    controller.window.neuronSelected.emit((1, 0))
    _train(qtbot, controller)
    qtbot.waitUntil(lambda: controller.window.last_snapshot.neuron_field is not None, timeout=20_000)
    assert controller.window.toolbar.state == "paused"


def test_no_hidden_layer(playground, qtbot, small_config):
    controller = playground(small_config.replace(network=replace(small_config.network, hidden=())))
    _train(qtbot, controller)
    assert controller.window.toolbar.state == "paused"


def test_huge_learning_rate(playground, qtbot, small_config):
    training = replace(small_config.training, optimizer="sgd", lr=100.0, batch_size=1)
    controller = playground(small_config.replace(training=training))
    _train(qtbot, controller, 20)
    assert controller.window.toolbar.state in ("diverged", "paused")


def test_switching_to_bce_mid_run(playground, qtbot, small_config):
    controller = playground(small_config)
    _train(qtbot, controller)
    controls = controller.window.controls
    controls.training.loss.setCurrentIndex(controls.training.loss.findData("bce"))
    qtbot.waitUntil(lambda: controller.session.config.training.loss == "bce", timeout=20_000)
    assert controller.session.config.network.output_activation == "sigmoid"
    _train(qtbot, controller)
    assert controller.window.toolbar.state == "paused" and len(controller.window.history) == 3


def test_closing_while_saving(playground, qtbot, small_config, tmp_path):
    controller = playground(small_config)
    controller.submit(Train())
    controller.files.save(tmp_path / "s.minidl")
    controller.window.close()
    assert controller.thread.isFinished()
    assert (tmp_path / "s.minidl").exists()


def test_the_controls_keep_every_value_the_configuration_allows(playground, small_config):
    """A configuration at the edges of what `TrainingConfig` accepts reaches the session unclamped by the spin boxes."""
    training = replace(small_config.training, lr=100.0, weight_decay=10.0, l1=10.0, eps=1.0)
    controller = playground(small_config.replace(training=training))
    assert controller.window.config().training == training
    assert controller.session.config.training == training


LOWEST = Config(
    data=DataConfig(n_train=1, n_test=0, noise=0.0, seed=0),
    network=NetworkConfig(
        hidden=(LayerConfig(1, "relu"),), init_mean=-bounds.MAX_INIT_MEAN, init_std=bounds.RESOLUTION, seed=0
    ),
    training=TrainingConfig(
        optimizer="sgd", lr=bounds.MIN_LR, momentum=0.0, beta1=0.0, beta2=0.0, eps=bounds.MIN_EPS,
        weight_decay=0.0, l1=0.0, batch_size=1, max_epochs=1, schedule="step", gamma=bounds.RESOLUTION, step_size=1,
    ),
)  # fmt: skip
HIGHEST = Config(
    data=DataConfig(n_train=bounds.MAX_POINTS, n_test=bounds.MAX_POINTS, noise=1.0, seed=bounds.MAX_SEED),
    network=NetworkConfig(
        hidden=(LayerConfig(bounds.MAX_WIDTH, "tanh"),),
        init_mean=bounds.MAX_INIT_MEAN,
        init_std=bounds.MAX_INIT_STD,
        seed=bounds.MAX_SEED,
    ),
    training=TrainingConfig(
        optimizer="sgd", lr=bounds.MAX_LR, momentum=bounds.MAX_BELOW_ONE, nesterov=True,
        beta1=bounds.MAX_BELOW_ONE, beta2=bounds.MAX_BELOW_ONE, eps=bounds.MAX_EPS,
        weight_decay=bounds.MAX_PENALTY, l1=bounds.MAX_PENALTY, batch_size=bounds.MAX_BATCH_SIZE,
        max_epochs=bounds.MAX_EPOCHS, schedule="step", gamma=1.0, step_size=bounds.MAX_EPOCHS,
    ),
)  # fmt: skip
FINE = Config(
    data=DataConfig(noise=0.123457),
    network=NetworkConfig(init_mean=-0.000123, init_std=0.000123),
    training=TrainingConfig(
        lr=1.23456789e-7,
        momentum=0.999998,
        beta1=0.123456,
        beta2=0.999999,
        eps=3.21e-11,
        weight_decay=1.2345e-9,
        l1=9.87654321,
        gamma=0.000001,
    ),
)


@pytest.mark.parametrize("config", [LOWEST, HIGHEST, FINE], ids=["lowest", "highest", "fine"])
def test_every_control_shows_the_configurations_extremes_exactly(playground, config):
    """Each number at the bounds `config.py` defines, or with all the digits it keeps, comes back unchanged."""
    controller = playground(config)
    assert controller.window.config() == config
    assert controller.session.config == config


@pytest.mark.parametrize(
    ("section", "name", "value", "kept"),
    [
        (DataConfig, "noise", 0.12345649, 0.123456),
        (NetworkConfig, "init_std", 2.00000051, 2.000001),
        (NetworkConfig, "init_mean", -2.00000051, -2.000001),
        (TrainingConfig, "momentum", 0.9999994, 0.999999),
        (TrainingConfig, "gamma", 0.0000005001, 0.000001),
    ],
)
def test_the_configuration_rounds_fractions_to_the_controls_decimals(section, name, value, kept):
    assert getattr(section(**{name: value}), name) == kept


@pytest.mark.parametrize(
    ("section", "values"),
    [
        (DataConfig, {"noise": 1.0000006}),
        (DataConfig, {"seed": bounds.MAX_SEED + 1}),
        (NetworkConfig, {"init_std": 0.0000004}),
        (NetworkConfig, {"init_mean": -10.0000006}),
        (TrainingConfig, {"momentum": 0.9999996}),
        (TrainingConfig, {"beta2": 0.9999996}),
        (TrainingConfig, {"gamma": 0.0000004}),
        (TrainingConfig, {"lr": bounds.MIN_LR / 2}),
        (TrainingConfig, {"eps": bounds.MIN_EPS / 2}),
        (TrainingConfig, {"batch_size": bounds.MAX_BATCH_SIZE + 1}),
        (TrainingConfig, {"max_epochs": bounds.MAX_EPOCHS + 1}),
        (TrainingConfig, {"step_size": bounds.MAX_EPOCHS + 1}),
    ],
)
def test_the_configuration_refuses_what_no_control_can_show(section, values):
    """A value outside the controls' range (after rounding to their decimals) is refused, naming the field."""
    ((name, _),) = values.items()
    with pytest.raises(ValueError, match="learning rate" if name == "lr" else name):
        section(**values)
