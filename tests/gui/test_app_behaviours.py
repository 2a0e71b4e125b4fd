"""What a user notices (issue #8): exit codes, presets, run labels, readouts, shortcuts, the runs' memory."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QToolButton

from minidl_gui.model.config import LayerConfig
from minidl_gui.run import ScriptedRun

TIMEOUT = 20_000


def diverging(config):
    training = replace(config.training, optimizer="sgd", lr=10.0, batch_size=1)
    network = replace(config.network, hidden=(LayerConfig(32, "relu"),) * 3, init="normal", init_std=3.0)
    return replace(config, training=training, network=network)


def test_a_diverged_run_is_listed_and_cannot_be_stopped(qtbot, playground, small_config):
    controller = playground(diverging(small_config))
    window = controller.window
    controller.submit("train")
    qtbot.waitUntil(lambda: window.toolbar.state == "diverged" and len(window.runs.log) == 1, timeout=TIMEOUT)
    assert window.runs.table.item(0, 6).text() == "diverged"
    assert not window.findChild(QToolButton, "stopButton").isEnabled()


@pytest.mark.parametrize(("scripted", "code"), [(False, 0), (True, 1)])
def test_only_a_scripted_run_exits_1_after_a_divergence(qtbot, playground, small_config, scripted, code):
    controller = playground(diverging(small_config))
    script = ScriptedRun(controller, autostart=scripted, quit_after_epochs=None, screenshot=None)
    seen = Recorder(controller)  # queued after the script's own slot: once it has seen it, so has the script
    controller.worker.diverged.connect(seen.record, Qt.ConnectionType.QueuedConnection)
    if not scripted:
        controller.submit("train")  # the user pressed Train
    qtbot.waitUntil(lambda: bool(seen.texts), timeout=TIMEOUT)
    assert script.exit_code == code


class Recorder(QObject):
    """Records the texts of a signal it is connected to, in the UI thread."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.texts: list[str] = []

    @Slot(str)
    def record(self, text: str) -> None:
        self.texts.append(text)
