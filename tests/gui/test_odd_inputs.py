"""Odd inputs the playground must survive: each trains a few epochs in the real window and checks it drew them."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from minidl_gui.model.config import LayerConfig


def _train(qtbot, controller, epochs: int = 3) -> None:
    window = controller.window
    controller.submit("train", epochs)
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
    controller.submit("train")
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
