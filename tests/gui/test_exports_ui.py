"""File ▸ Export: the decision and loss plots as PNG and SVG, the history as CSV, the weights as JSON."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import torch
from PySide6.QtGui import QImage

from minidl.training import build_model
from minidl_gui.model.export import load_weights
from minidl_gui.model.history import BASE_COLUMNS
from minidl_gui.model.session import run_settings
from minidl_gui.widgets import file_actions
from minidl_gui.worker_commands import Train

TIMEOUT = 20_000


@pytest.fixture
def trained(qtbot, playground):
    """A window paused after three epochs."""
    controller = playground()
    window = controller.window
    controller.submit(Train(3))
    qtbot.waitUntil(lambda: window.toolbar.state == "paused" and len(window.history) == 3, timeout=TIMEOUT)
    return controller


def export(monkeypatch, window, action: str, path) -> None:
    monkeypatch.setattr(file_actions, "ask_save_path", lambda *_: str(path))
    window.file_actions.exports[action].trigger()


@pytest.mark.parametrize("plot", ["decision", "loss"])
def test_plots_export_as_png_and_svg(trained, monkeypatch, tmp_path, plot):
    window = trained.window
    png, svg = tmp_path / f"{plot}.png", tmp_path / f"{plot}.svg"
    export(monkeypatch, window, f"{plot}_png", png)
    export(monkeypatch, window, f"{plot}_svg", svg)
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= 200 and image.height() >= 100
    pixels = np.array([image.pixelColor(x, image.height() // 2).rgb() for x in range(0, image.width(), 3)])
    assert len(np.unique(pixels)) > 3  # something is drawn, not a blank image
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert len([e for e in root.iter() if e.tag.endswith("path") or e.tag.endswith("polyline")]) > 3
    assert "Exported" in window.statusBar().currentMessage()


def test_plot_export_failure_is_reported_not_raised(trained, monkeypatch, tmp_path):
    window = trained.window
    export(monkeypatch, window, "loss_png", tmp_path / "missing-folder" / "loss.png")
    assert window.banner.isVisible() and "Export failed" in window.banner.label.text()


def test_history_exports_as_csv_with_every_epoch(qtbot, trained, monkeypatch, tmp_path):
    window = trained.window
    path = tmp_path / "history.csv"
    export(monkeypatch, window, "history_csv", path)
    qtbot.waitUntil(path.exists, timeout=TIMEOUT)
    with path.open(newline="") as file:
        rows = list(csv.reader(file))
    assert tuple(rows[0]) == BASE_COLUMNS and len(rows) == 4  # a classification: no regression columns
    for index, name in enumerate(BASE_COLUMNS):
        written = np.array([float(row[index]) for row in rows[1:]])
        np.testing.assert_array_equal(written, window.history.column(name))


def test_weights_export_alone_and_load_into_the_same_network(qtbot, trained, monkeypatch, tmp_path):
    window, session = trained.window, trained.session
    path = tmp_path / "weights.json"
    export(monkeypatch, window, "weights_json", path)
    qtbot.waitUntil(path.exists, timeout=TIMEOUT)
    model = build_model(run_settings(session.config))
    load_weights(path, model)
    expected = session.model.state_dict()
    assert all(torch.equal(model.state_dict()[name], tensor) for name, tensor in expected.items())


def test_an_export_the_worker_cannot_write_shows_why(qtbot, trained, monkeypatch, tmp_path):
    window = trained.window
    export(monkeypatch, window, "history_csv", tmp_path / "missing-folder" / "history.csv")
    qtbot.waitUntil(window.banner.isVisible, timeout=TIMEOUT)
    assert "Could not export" in window.banner.label.text() and "No such file" in window.banner.label.text()
