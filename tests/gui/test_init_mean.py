"""The normal init's mean: a Mean box beside Std, through the configuration, the session and session files."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
import torch
from PySide6.QtWidgets import QDoubleSpinBox

from minidl.training import build_model
from minidl_gui.model.config import MAX_INIT_MEAN, Config, NetworkConfig
from minidl_gui.model.saved_session import capture_session, session_from_saved
from minidl_gui.model.session import Session, run_settings
from minidl_gui.model.session_format import load_session, save_session
from minidl_gui.widgets.network_panel import NetworkPanel

TIMEOUT = 20_000
VERSION_1_FILE = Path(__file__).parent / "session_samples" / "v1_adam_step.minidl"


def with_mean(config: Config, mean: float, init: str = "normal") -> Config:
    return config.replace(network=replace(config.network, init=init, init_mean=mean))


# -- the configuration -----------------------------------------------------------------------------------
def test_the_mean_defaults_to_0_is_kept_to_6_decimals_and_round_trips_through_dicts() -> None:
    assert NetworkConfig().init_mean == 0.0
    assert NetworkConfig(init_mean=-1.23456749).init_mean == -1.234567
    config = with_mean(Config(), 2.5)
    assert Config.from_dict(json.loads(json.dumps(config.to_dict()))) == config


def test_a_configuration_written_before_the_mean_existed_reads_as_mean_0() -> None:
    data = json.loads(json.dumps(Config().to_dict()))
    del data["network"]["init_mean"]
    assert Config.from_dict(data).network.init_mean == 0.0


@pytest.mark.parametrize("mean", [MAX_INIT_MEAN + 1e-6, -MAX_INIT_MEAN - 1e-6, math.nan, math.inf])
def test_a_mean_beyond_the_box_s_range_is_refused_naming_the_range(mean: float) -> None:
    with pytest.raises(ValueError, match=r"init_mean must be in \[-10, 10\] \(6 decimals\)"):
        NetworkConfig(init_mean=mean)


def test_the_run_s_weights_are_drawn_from_n_mean_std(small_config: Config) -> None:
    config = with_mean(small_config, -0.75)
    settings = run_settings(config)
    assert (settings.init, settings.init_mean, settings.init_std) == ("normal", -0.75, 1.0)
    session = Session(config)
    plain = build_model(replace(settings, init_mean=0.0))
    for shifted, unshifted in zip(session.model.parameters(), plain.parameters(), strict=True):
        torch.testing.assert_close(shifted, unshifted - 0.75, rtol=0, atol=1e-6)


# -- the Network group -------------------------------------------------------------------------------------
def test_the_mean_box_sits_beside_std_with_the_same_rules(qtbot) -> None:
    panel = NetworkPanel()
    qtbot.addWidget(panel)
    mean, std = panel.init_mean, panel.init_std
    assert panel.findChild(QDoubleSpinBox, "initMeanSpin") is mean
    (mean_row, mean_column, _, _), (std_row, std_column, _, _) = (
        panel.grid.getItemPosition(panel.grid.indexOf(box)) for box in (mean, std)
    )
    assert mean_row == std_row and mean_column < std_column  # one row: Mean | Std
    assert (mean.minimum(), mean.maximum(), mean.decimals()) == (-MAX_INIT_MEAN, MAX_INIT_MEAN, std.decimals())
    assert "N(mean, std²)" in mean.toolTip() and "N(mean, std²)" in std.toolTip()
    for init in ("torch", "normal", "xavier", "kaiming", "normal"):
        panel.init.setCurrentIndex(panel.init.findData(init))
        assert mean.isEnabled() == std.isEnabled() == (init == "normal")


def test_the_mean_box_edits_and_shows_the_configuration(qtbot) -> None:
    panel = NetworkPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.changed, timeout=TIMEOUT):
        panel.init_mean.setValue(-0.25)
    assert panel.config().init_mean == -0.25
    panel.set_config(NetworkConfig(init="torch", init_mean=3.5))
    assert panel.init_mean.value() == 3.5 and not panel.init_mean.isEnabled()


def test_a_mean_typed_in_the_window_reaches_the_app_state_and_the_running_session(qtbot, playground, small_config):
    controller = playground(with_mean(small_config, 0.0))
    window = controller.window
    window.findChild(QDoubleSpinBox, "initMeanSpin").setValue(0.5)
    qtbot.waitUntil(lambda: controller.session.config.network.init_mean == 0.5, timeout=TIMEOUT)
    assert window.app_state.config.network.init_mean == 0.5 and window.app_state.modified
    qtbot.waitUntil(lambda: "Network changed" in window.statusBar().currentMessage(), timeout=TIMEOUT)


# -- session files ----------------------------------------------------------------------------------------
def test_a_session_with_a_mean_saves_and_reopens_with_it(tmp_path: Path, small_config: Config) -> None:
    session = Session(with_mean(small_config, 1.5))
    epochs = session.epochs()
    next(epochs)
    epochs.close()
    path = tmp_path / "mean.minidl"
    save_session(path, capture_session(session))
    assert json.loads(path.read_text())["config"]["network"]["init_mean"] == 1.5
    opened = session_from_saved(load_session(path))
    assert opened.config.network.init_mean == 1.5 and opened.epoch == 1
    assert all(torch.equal(a, b) for a, b in zip(opened.model.parameters(), session.model.parameters(), strict=True))


def test_a_session_with_mean_0_is_written_as_format_version_1_wrote_it(small_config: Config) -> None:
    """No ``init_mean`` key: a minidl from before the mean opens it (the layout test checks the rest)."""
    network = capture_session(Session(with_mean(small_config, 0.0))).config["network"]
    assert "init_mean" not in network and network["init"] == "normal"


def test_the_version_1_sample_opens_with_mean_0() -> None:
    assert session_from_saved(load_session(VERSION_1_FILE)).config.network.init_mean == 0.0
