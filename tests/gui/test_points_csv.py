"""Importing and exporting points as ``x1,x2,label`` CSV from the window: round trip, bad files change nothing."""

from __future__ import annotations

import numpy as np
import torch
from PySide6.QtWidgets import QFileDialog

from minidl.data import load_points, save_points
from minidl_gui.worker_commands import SendSnapshot

TIMEOUT = 20_000


def imported(qtbot, window, path) -> bool:
    """Import ``path`` (read off the UI thread) and wait for the outcome: True when the points were sent."""
    with qtbot.waitSignal(window.points.importFinished, timeout=TIMEOUT) as blocker:
        assert window.points.import_points(path)
    return blocker.args[0]


def all_points(snapshot) -> np.ndarray:
    """Every point of a snapshot as sorted ``(x1, x2, label)`` rows, training and test together."""
    rows = np.concatenate([np.column_stack([points.x, points.y]) for points in (snapshot.train, snapshot.test)]).astype(
        np.float64
    )
    return rows[np.lexsort(rows.T[::-1])]


def test_export_then_import_gives_back_the_same_points_split_with_the_configured_ratio(qtbot, playground, tmp_path):
    controller = playground()
    window = controller.window
    before = window.last_snapshot
    path = tmp_path / "points.csv"
    assert window.points.export_points(path)
    x, y = load_points(path)
    assert len(x) == len(before.train.x) + len(before.test.x) == 400
    assert np.array_equal(x[: len(before.train.x)].numpy(), before.train.x)  # training first, then test

    version = before.data_version
    assert imported(qtbot, window, path)
    message = "Imported 400 points from points.csv: 200 for training, 200 for testing"
    qtbot.waitUntil(lambda: message in window.status.currentMessage(), timeout=TIMEOUT)
    after = window.last_snapshot  # sent before the message
    assert after.data_version > version
    np.testing.assert_array_equal(all_points(after), all_points(before))
    assert (len(after.train.x), len(after.test.x)) == (200, 200)  # the Data group's 200 / 200
    assert window.controls.data.custom and len(controller.session.trainer.loader.x) == 200


def test_a_malformed_file_names_its_first_bad_line_and_changes_nothing(qtbot, playground, tmp_path):
    controller = playground()
    window = controller.window
    before = window.last_snapshot
    path = tmp_path / "bad.csv"
    path.write_text("x1,x2,label\n0.1,0.2,1\n0.3,zero,0\n0.5,0.6,7\n", encoding="utf-8")
    assert not imported(qtbot, window, path)
    assert window.banner.isVisible() and window.banner.kind == "error"
    text = window.banner.label.text()
    assert "line 3" in text and "not a number" in text and "unchanged" in text
    controller.submit(SendSnapshot())  # a fresh snapshot: the worker's points are the same
    qtbot.waitUntil(lambda: window.last_snapshot is not before, timeout=TIMEOUT)
    assert window.last_snapshot.data_version == before.data_version
    assert np.array_equal(window.last_snapshot.train.x, before.train.x)
    assert not window.controls.data.custom

    path.write_text("0.1,0.2,1\n0.3,0.4,nan\n", encoding="utf-8")  # labels 0..5 are classes now (issue #11)
    assert not imported(qtbot, window, path)
    assert "line 2" in window.banner.label.text() and "labels must be finite numbers" in window.banner.label.text()


def test_a_file_of_another_problem_switches_the_data_set_and_says_so(qtbot, playground, tmp_path):
    controller = playground()
    window = controller.window
    path = tmp_path / "targets.csv"
    path.write_text("x1,x2,target\n0.1,0.2,0.25\n0.3,0.4,-0.5\n0.5,0.5,1\n0.7,0.1,0\n", encoding="utf-8")
    assert imported(qtbot, window, path)
    message = "They are a regression problem: data set disc → plane; a new model was built."
    qtbot.waitUntil(lambda: message in window.status.currentMessage(), timeout=TIMEOUT)
    assert "Imported 4 points from targets.csv" in window.status.currentMessage()
    assert window.app_state.config.data.dataset == "plane" and controller.session.config == window.app_state.config
    assert window.last_snapshot.problem.kind == "regression" and window.controls.data.custom
    assert sorted(np.concatenate([window.last_snapshot.train.y, window.last_snapshot.test.y])) == [-0.5, 0, 0.25, 1]


def test_missing_empty_or_binary_files_are_refused_with_a_reason(qtbot, playground, tmp_path):
    window = playground().window
    assert not imported(qtbot, window, tmp_path / "nowhere.csv")
    assert "cannot read" in window.banner.label.text()
    empty = tmp_path / "empty.csv"
    empty.write_text("x1,x2,label\n", encoding="utf-8")
    assert not imported(qtbot, window, empty)
    assert "has no points" in window.banner.label.text()
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    assert not imported(qtbot, window, binary)
    assert "not a text file" in window.banner.label.text()


def test_the_file_menu_actions_use_file_dialogs(qtbot, playground, tmp_path, monkeypatch):
    controller = playground()
    window = controller.window
    source = tmp_path / "drawn.csv"
    save_points(
        source, torch.tensor([[0.1, 0.1], [0.2, 0.9], [0.8, 0.2], [0.9, 0.9]]), torch.tensor([[0.0], [1.0]] * 2)
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(source), "CSV points (*.csv)"))
    version = window.last_snapshot.data_version
    window.points.import_action.trigger()
    qtbot.waitUntil(lambda: window.last_snapshot.data_version > version, timeout=TIMEOUT)
    assert len(window.last_snapshot.train.x) + len(window.last_snapshot.test.x) == 4
    x0, x1, y0, y1 = window.last_snapshot.extent  # the plotted domain fits the imported points
    assert x0 < 0.1 and x1 > 0.9 and y0 < 0.1 and y1 > 0.9 and x1 - x0 < 1.0

    target = tmp_path / "out.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "CSV points (*.csv)"))
    window.points.export_action.trigger()
    exported_x, exported_y = load_points(target)
    assert sorted(map(tuple, exported_x.tolist())) == sorted(map(tuple, load_points(source)[0].tolist()))
    assert sorted(exported_y.view(-1).tolist()) == [0.0, 0.0, 1.0, 1.0]
    assert "Exported 4 points" in window.status.currentMessage()
    assert window.points.import_action in window.menuBar().actions()[0].menu().actions()


def test_regenerate_after_an_import_returns_to_the_generated_set(qtbot, playground, tmp_path):
    controller = playground()
    window = controller.window
    generated_seed = window.config().data.seed
    path = tmp_path / "few.csv"
    save_points(path, torch.tensor([[0.0, 0.0], [1.0, 1.0]]), torch.tensor([[0.0], [1.0]]))
    version = window.last_snapshot.data_version
    assert imported(qtbot, window, path)
    qtbot.waitUntil(lambda: window.last_snapshot.data_version > version, timeout=TIMEOUT)
    assert window.controls.data.dataset.currentText() == "Custom (drawn/imported)"
    window.controls.data.regenerate.click()
    qtbot.waitUntil(lambda: len(window.last_snapshot.train.x) == 200, timeout=TIMEOUT)
    assert window.controls.data.dataset.currentData() == "disc" and window.config().data.seed != generated_seed
    assert not controller.session.custom_points
