"""The pure configuration: validation, JSON round trip, the report's presets."""

from __future__ import annotations

import json

import pytest

from minidl.experiments import EXPERIMENTS, REPORT_INIT, REPORT_INIT_STD
from minidl_gui.model.config import Config, LayerConfig, NetworkConfig, TrainingConfig
from minidl_gui.model.presets import PRESETS, preset


def test_config_round_trips_through_json(small_config):
    assert Config.from_dict(json.loads(json.dumps(small_config.to_dict()))) == small_config


def test_missing_sections_and_keys_keep_defaults():
    config = Config.from_dict({"training": {"lr": 0.1}})
    assert config.training.lr == 0.1
    assert config.network == NetworkConfig()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"training": {"learning_rate": 0.1}}, "unknown key"),
        ({"trainig": {}}, "unknown config section"),
        ({"training": {"lr": "fast"}}, "must be a number"),
        ({"training": {"batch_size": 2.5}}, "whole number"),
        ({"training": {"lr": -1.0}}, "learning rate"),
        ({"network": {"hidden": [{"width": 0, "activation": "relu"}]}}, "width"),
        ({"network": {"hidden": [{"width": 4, "activation": "swish"}]}}, "Unknown activation"),
        ({"data": {"dataset": "moons"}}, "Unknown data set"),
        ({"training": {"loss": "bce"}}, "sigmoid"),
        ([1, 2], "JSON object"),
    ],
)
def test_bad_configs_say_what_is_wrong(data, message):
    with pytest.raises(ValueError, match=message):
        Config.from_dict(data)


def test_nesterov_needs_momentum():
    with pytest.raises(ValueError, match="Nesterov"):
        TrainingConfig(optimizer="sgd", nesterov=True, momentum=0.0)


@pytest.mark.parametrize("experiment", EXPERIMENTS, ids=lambda e: e.name)
def test_presets_are_the_experiments_configurations(experiment):
    config = preset(f"report-{experiment.name}")
    assert PRESETS[f"report-{experiment.name}"][0] == f"Report — {experiment.label}"
    assert config.network.hidden == (LayerConfig(25, "relu"),) * 3
    assert (config.network.init, config.network.init_std) == (experiment.init, experiment.init_std)
    assert config.network.output_activation == experiment.output_activation
    assert (config.data.dataset, config.data.n_train, config.data.n_test) == ("disc", 1000, 1000)
    training = config.training
    assert (training.loss, training.batch_size, training.schedule) == (experiment.loss, 1, experiment.scheduler)
    assert (training.optimizer, training.lr, training.max_epochs) == (
        experiment.optimizer,
        experiment.lr,
        experiment.epochs,
    )
    assert (training.beta1, training.beta2) == experiment.betas


def test_the_reports_presets_are_its_mse_runs_from_n01():
    for key in ("report-sgd", "report-adam"):
        config = preset(key)
        assert (config.network.init, config.network.init_std) == (REPORT_INIT, REPORT_INIT_STD)
        assert (config.training.loss, config.training.schedule, config.network.output_activation) == (
            "mse",
            "none",
            "identity",
        )
    assert PRESETS["report-adam-annealed"][0] == "Report — Adam, annealed"


def test_the_layer_list_allows_exactly_the_hidden_layers_the_configuration_accepts(qtbot):
    from minidl_gui.model.config import MAX_HIDDEN_LAYERS
    from minidl_gui.widgets.layer_list import LayerList

    layers = tuple(LayerConfig(4, "relu") for _ in range(MAX_HIDDEN_LAYERS))
    NetworkConfig(hidden=layers)  # accepted
    with pytest.raises(ValueError, match=f"at most {MAX_HIDDEN_LAYERS} hidden layers"):
        NetworkConfig(hidden=(*layers, LayerConfig(4, "relu")))
    widget = LayerList()
    qtbot.addWidget(widget)
    widget.set_layers(layers[:-1])
    assert widget.add_button.isEnabled()
    widget.set_layers(layers)
    assert not widget.add_button.isEnabled()


def test_replaced_layer_rows_leave_the_list_at_once(qtbot):
    """Old rows used to stay children of the list until Qt's deferred delete ran: drawn under the new
    rows, and found first by their objectName (``layerWidthSpin0``)."""
    from PySide6.QtWidgets import QSpinBox

    from minidl_gui.widgets.layer_list import LayerList

    widget = LayerList()
    qtbot.addWidget(widget)
    widget.set_layers((LayerConfig(4, "relu"), LayerConfig(5, "tanh")))
    widget.set_layers((LayerConfig(7, "relu"),))  # no event loop in between: deferred deletes not run yet
    assert len(widget.findChildren(QSpinBox)) == 1
    assert widget.findChild(QSpinBox, "layerWidthSpin0").value() == 7


def test_the_app_offers_minidls_losses_but_the_logit_one_each_named_once(qtbot):
    from minidl.losses import LOSSES
    from minidl_gui.model.config import LOSS_NAMES
    from minidl_gui.widgets.training_panel import TrainingPanel

    assert LOSS_NAMES == ("mse", "mae", "bce", "cross_entropy") and set(LOSS_NAMES) < set(LOSSES)
    with pytest.raises(ValueError, match="bce_logits"):
        TrainingConfig(loss="bce_logits")
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    combo = panel.loss
    items = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
    assert items[:3] == [("MSE", "mse"), ("MAE", "mae"), ("BCE", "bce")]
    assert [data for _, data in items] == list(LOSS_NAMES)  # and cross-entropy, for k classes (issue #11)
