"""Drawing and editing the points: the pure edits, the session and worker applying them between epochs
without touching the model, and mouse clicks on the decision plot (headless, simulated events)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import torch
from PySide6.QtCore import QPointF, Qt

from minidl_gui.model.point_edits import (
    AddNoise,
    AddPoint,
    ClearPoints,
    DeleteNearest,
    add_noise,
    add_point,
    empty_points,
    nearest,
    remove_point,
)
from minidl_gui.model.session import Session
from minidl_gui.worker import NO_POINTS, TrainingWorker
from minidl_gui.worker_commands import Configure, EditPoints, Step, Train

TIMEOUT = 20_000
MODIFIER = Qt.KeyboardModifier
SHIFT, CTRL, NONE = MODIFIER.ShiftModifier, MODIFIER.ControlModifier, MODIFIER.NoModifier


def three_points():
    return torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), torch.tensor([[0.0], [1.0], [1.0]])


# -- the pure edits ---------------------------------------------------------------------------------
def test_add_point_appends_without_touching_the_input():
    x, y = three_points()
    new_x, new_y = add_point((x, y), (0.5, 0.25), 0)
    assert new_x.shape == (4, 2) and new_y.shape == (4, 1)
    assert new_x[-1].tolist() == [0.5, 0.25] and new_y[-1].item() == 0.0
    assert len(x) == 3  # the old arrays stay as they were (a snapshot may hold them)
    with pytest.raises(ValueError, match="label must be 0 or 1"):
        add_point((x, y), (0.0, 0.0), 2)


def test_nearest_and_remove_point():
    x, y = three_points()
    index, distance = nearest(x, (0.9, 0.1))
    assert index == 1 and distance == pytest.approx(2**0.5 * 0.1)
    assert nearest(torch.zeros(0, 2), (0.0, 0.0)) is None
    kept_x, kept_y = remove_point((x, y), 1)
    assert kept_x.tolist() == [[0.0, 0.0], [0.0, 1.0]] and kept_y.view(-1).tolist() == [0.0, 1.0]


def test_delete_nearest_only_within_the_radius_and_also_test_points():
    train, test = three_points(), (torch.tensor([[2.0, 2.0]]), torch.tensor([[0.0]]))
    far = DeleteNearest(5.0, 5.0, radius=0.5)(train, test)
    assert far.train is None and "nothing deleted" in far.message
    near_test = DeleteNearest(1.9, 2.0, radius=0.5)(train, test)
    assert len(near_test.test[0]) == 0 and near_test.train is train
    assert DeleteNearest(1.9, 2.0, radius=0.5, include_test=False)(train, test).train is None
    near_train = DeleteNearest(0.05, 0.95, radius=0.5)(train, test)
    assert near_train.train[0].tolist() == [[0.0, 0.0], [1.0, 0.0]]


def test_add_noise_jitters_with_the_given_std_and_keeps_labels():
    x = torch.zeros(20_000, 2)
    y = torch.ones(20_000, 1)
    noisy_x, noisy_y = add_noise((x, y), 0.02, seed=7)
    assert noisy_y is y and x.abs().max() == 0
    assert noisy_x.std().item() == pytest.approx(0.02, rel=0.03)
    assert torch.equal(noisy_x, add_noise((x, y), 0.02, seed=7)[0])  # the seed decides
    edited = AddNoise(0.1, seed=1)(three_points(), empty_points())
    assert edited.train[0].shape == (3, 2) and not torch.equal(edited.train[0], three_points()[0])


def test_clear_empties_both_sets_and_says_it_can_be_undone():
    edited = ClearPoints()(three_points(), three_points())
    assert edited.train[0].shape == (0, 2) and edited.test[1].shape == (0, 1)
    assert "Ctrl+Z" in edited.message
    assert ClearPoints()(empty_points(), empty_points()).train is None


# -- the session and the worker -------------------------------------------------------------------------
def test_an_edit_keeps_the_model_the_history_and_the_plotted_domain(small_config):
    session = Session(small_config)
    for _ in session.epochs():
        if session.epoch == 3:
            break
    weights = {k: v.clone() for k, v in session.model.state_dict().items()}
    extent, version = session.extent, session.data_version
    session.edit_points(AddPoint(9.0, 9.0, 1))  # far outside: the view must not jump
    assert len(session.train_data[0]) == small_config.data.n_train + 1
    assert len(session.trainer.loader.x) == small_config.data.n_train + 1
    assert session.extent == extent and session.data_version == version + 1
    assert session.epoch == 3 and len(session.history) == 3 and session.custom_points
    for name, value in session.model.state_dict().items():
        assert torch.equal(value, weights[name])
    assert session.undo_points() and len(session.train_data[0]) == small_config.data.n_train
    assert not session.undo_points()


def test_regenerate_brings_back_the_generated_points_and_undo_the_drawn_ones(small_config):
    session = Session(small_config)
    generated = session.train_data[0].clone()
    session.edit_points(ClearPoints())
    session.edit_points(AddPoint(0.5, 0.5, 1))
    assert session.regenerate_points().reset and torch.equal(session.train_data[0], generated)
    assert not session.custom_points and not session.regenerate_points().reset
    assert session.undo_points() and session.train_data[0].tolist() == [[0.5, 0.5]]


def test_undo_back_to_generated_points_says_they_are_the_configurations_again(small_config):
    session = Session(small_config)
    generated = session.train_data[0].clone()
    session.edit_points(AddPoint(0.5, 0.5, 1))
    assert session.custom_points
    assert session.undo_points() and torch.equal(session.train_data[0], generated)
    assert not session.custom_points  # the configuration's points again: a Data edit need not reset the model
    assert not session.configure(small_config, regenerate_points=True).reset


def test_undo_back_to_another_data_sets_points_keeps_them_custom(small_config):
    session = Session(small_config)
    session.edit_points(AddPoint(0.5, 0.5, 1))  # remembers the generated disc points
    other = replace(small_config, data=replace(small_config.data, dataset="xor"))
    assert session.configure(other, regenerate_points=True).reset  # remembers the drawn points, generates xor
    assert session.undo_points() and session.custom_points  # the drawn points
    assert session.undo_points() and session.custom_points  # disc points under an xor configuration: not its own
    assert session.regenerate_points().reset and not session.custom_points


def test_configure_regenerates_drawn_points_only_when_asked(small_config):
    session = Session(small_config)
    generated = session.train_data[0].clone()
    session.edit_points(AddPoint(0.5, 0.5, 1))
    assert not session.configure(small_config).reset and session.custom_points  # a training edit, say
    change = session.configure(small_config, regenerate_points=True)  # the Data group, same data set
    assert change.reset and "Generated points again" in change.message
    assert torch.equal(session.train_data[0], generated) and not session.custom_points
    assert not session.configure(small_config, regenerate_points=True).reset  # generated already: nothing to do


def test_one_configure_command_brings_the_generated_points_back(small_config):
    worker = TrainingWorker(Session(small_config), interval=0.0)
    seen = Recorder(worker)
    generated = worker.session.train_data[0].clone()
    worker.submit(EditPoints(AddPoint(0.5, 0.5, 1)))
    worker.submit(Configure(small_config, regenerate_points=True))
    worker.quit()
    worker.run()
    assert torch.equal(worker.session.train_data[0], generated) and not worker.session.custom_points
    assert seen.messages[-1] == "Generated points again (Ctrl+Z brings the drawn ones back); the model was reset."


class Recorder:
    def __init__(self, worker: TrainingWorker) -> None:
        self.states, self.messages, self.loader_sizes = [], [], []
        worker.stateChanged.connect(self.states.append)
        worker.message.connect(self.messages.append)
        worker.yielded.connect(lambda snapshot: self._snapshot(worker, snapshot))

    def _snapshot(self, worker, snapshot) -> None:
        # The loader is only replaced between epochs, so this is the one the epoch just trained on.
        self.loader_sizes.append((snapshot.epoch, len(worker.session.trainer.loader.x)))
        worker.snapshot_consumed()


def test_a_point_drawn_while_training_joins_at_the_next_epoch(small_config, run_until_halted):
    config = replace(small_config, training=replace(small_config.training, max_epochs=6))
    worker = TrainingWorker(Session(config), interval=0.0)
    seen = Recorder(worker)
    n = config.data.n_train

    drawn = []

    def draw_after_epoch_2(snapshot) -> None:
        if snapshot.epoch == 2 and not drawn:
            drawn.append(True)
            worker.submit(EditPoints(AddPoint(0.1, 0.2, 0)))

    worker.yielded.connect(draw_after_epoch_2)
    worker.submit(Train())
    run_until_halted(worker)
    epochs = [r.epoch for r in worker.session.history.records]
    assert epochs == [1, 2, 3, 4, 5, 6]  # not reset by the edit
    sizes: dict[int, int] = {}
    for epoch, size in seen.loader_sizes:
        sizes.setdefault(epoch, size)  # the epoch's own snapshot comes first, before the edit's
    assert sizes[1] == sizes[2] == n and sizes[3] == sizes[6] == n + 1
    assert seen.states == ["running", "done"]


def test_training_without_points_is_refused_and_clearing_while_running_pauses(small_config):
    worker = TrainingWorker(Session(small_config), interval=0.0)
    seen = Recorder(worker)
    worker.submit(EditPoints(ClearPoints()))
    worker.submit(Train())
    worker.submit(Step())
    worker.quit()
    worker.run()
    assert worker.session.epoch == 0 and worker.state == "ready" and seen.states == []
    assert seen.messages[-2:] == [NO_POINTS, NO_POINTS]

    worker = TrainingWorker(Session(small_config), interval=0.0)
    seen = Recorder(worker)

    def clear_after_epoch_1(snapshot) -> None:
        if snapshot.epoch == 1 and worker.session.custom_points is False:
            worker.submit(EditPoints(ClearPoints()))
            worker.quit()

    worker.yielded.connect(clear_after_epoch_1)
    worker.submit(Train())
    worker.run()
    assert seen.states == ["running", "paused"] and NO_POINTS in seen.messages
    assert worker.session.epoch == 1 and len(worker.session.history) == 1


# -- the window: simulated mouse events on the decision plot ---------------------------------------------
def click_at(qtbot, window, x1: float, x2: float, modifier=NONE) -> None:
    """Click the decision plot at the pixel showing the data point ``(x1, x2)``."""
    decision = window.decision
    position = decision.mapFromScene(decision.editor.plot.vb.mapViewToScene(QPointF(x1, x2)))
    qtbot.mouseClick(decision.viewport(), Qt.MouseButton.LeftButton, modifier, position)


def train_points(window):
    return window.last_snapshot.train


def pixel(window) -> float:
    return max(window.decision.plot.vb.viewPixelSize())


def settled(qtbot, window) -> None:
    """Wait until the plot's layout (axis widths follow the first ticks) no longer moves."""
    vb = window.decision.plot.vb
    rects = []
    qtbot.waitUntil(lambda: rects.append(vb.sceneBoundingRect()) or rects[-2:-1] == rects[-1:], timeout=TIMEOUT)


def test_clicks_add_shift_clicks_add_the_other_class_ctrl_clicks_delete(qtbot, playground):
    controller = playground()
    window = controller.window
    settled(qtbot, window)
    n = len(train_points(window).x)
    click_at(qtbot, window, 0.3, 0.7)
    qtbot.waitUntil(lambda: "Added a class-1 point" in window.status.currentMessage(), timeout=TIMEOUT)
    added = train_points(window)  # sent before the message
    assert len(added.x) == n + 1
    assert added.y[-1] == 1 and abs(added.x[-1] - [0.3, 0.7]).max() <= 2 * pixel(window)
    assert window.controls.data.dataset.currentText() == "Custom (drawn/imported)"

    click_at(qtbot, window, 0.6, 0.4, SHIFT)
    qtbot.waitUntil(lambda: len(train_points(window).x) == n + 2, timeout=TIMEOUT)
    assert train_points(window).y[-1] == 0

    window.points.class_picker.set_current(0)  # "Class: 0"
    click_at(qtbot, window, 0.5, 0.5)
    click_at(qtbot, window, 0.5, 0.9, SHIFT)
    qtbot.waitUntil(lambda: len(train_points(window).x) == n + 4, timeout=TIMEOUT)
    assert train_points(window).y[-2:].tolist() == [0, 1]

    target = train_points(window).x[n].copy()  # the first drawn point
    click_at(qtbot, window, *(target + 2 * pixel(window)), CTRL)  # a few pixels off still hits it
    qtbot.waitUntil(lambda: len(train_points(window).x) == n + 3, timeout=TIMEOUT)
    assert not any((abs(p - target) < 1e-6).all() for p in train_points(window).x)
    assert len(controller.session.trainer.loader.x) == n + 3


def test_ctrl_click_far_from_any_point_deletes_nothing_and_says_so(qtbot, playground):
    controller = playground()
    window = controller.window
    settled(qtbot, window)
    window.points.clear()
    qtbot.waitUntil(lambda: len(train_points(window).x) == 0, timeout=TIMEOUT)
    click_at(qtbot, window, 0.2, 0.2)
    qtbot.waitUntil(lambda: len(train_points(window).x) == 1, timeout=TIMEOUT)
    version = window.last_snapshot.data_version
    click_at(qtbot, window, 0.8, 0.8, CTRL)
    qtbot.waitUntil(lambda: "nothing deleted" in window.status.currentMessage(), timeout=TIMEOUT)
    assert window.last_snapshot.data_version == version and len(train_points(window).x) == 1


def test_clear_draw_both_classes_then_train_learns_them(qtbot, playground):
    controller = playground()
    window = controller.window
    settled(qtbot, window)
    window.points.clear()
    qtbot.waitUntil(lambda: len(train_points(window).x) == 0, timeout=TIMEOUT)
    window.toolbar.trainRequested.emit()  # nothing to train on: refused, not crashed
    qtbot.waitUntil(lambda: window.status.currentMessage() == NO_POINTS, timeout=TIMEOUT)
    assert window.toolbar.state == "ready"
    for i in range(12):
        click_at(qtbot, window, 0.1 + 0.02 * i, 0.15 + 0.01 * i)
        click_at(qtbot, window, 0.7 + 0.02 * i, 0.85 - 0.01 * i, SHIFT)
    qtbot.waitUntil(lambda: len(train_points(window).x) == 24, timeout=TIMEOUT)
    assert sorted(train_points(window).y.tolist()) == [0] * 12 + [1] * 12
    window.toolbar.trainRequested.emit()
    qtbot.waitUntil(lambda: window.history.last("train_accuracy") == 1.0, timeout=TIMEOUT)
    window.toolbar.pauseRequested.emit()
    qtbot.waitUntil(lambda: window.toolbar.state == "paused", timeout=TIMEOUT)
    assert math.isnan(window.history.last("test_accuracy"))  # Clear emptied the test set too
    assert len(controller.session.trainer.loader.x) == 24


def test_drawing_during_a_run_does_not_reset_it(qtbot, playground):
    controller = playground()
    window = controller.window
    settled(qtbot, window)
    n = len(train_points(window).x)
    window.toolbar.trainRequested.emit()
    qtbot.waitUntil(lambda: len(window.history) >= 5, timeout=TIMEOUT)
    click_at(qtbot, window, 0.5, 0.5)
    qtbot.waitUntil(lambda: len(train_points(window).x) == n + 1, timeout=TIMEOUT)
    epoch_at_edit = window.last_snapshot.epoch
    qtbot.waitUntil(lambda: window.last_snapshot.epoch >= epoch_at_edit + 3, timeout=TIMEOUT)
    window.toolbar.pauseRequested.emit()
    qtbot.waitUntil(lambda: window.toolbar.state == "paused", timeout=TIMEOUT)
    epochs = window.history.column("epoch")
    assert epochs[0] == 1 and (epochs[1:] - epochs[:-1] == 1).all()  # one run, never restarted
    assert epoch_at_edit >= 5 and len(controller.session.trainer.loader.x) == n + 1


def test_undo_and_regenerate_from_the_window(qtbot, playground):
    controller = playground()
    window = controller.window
    settled(qtbot, window)
    generated = train_points(window).x.copy()
    window.points.clear()
    qtbot.waitUntil(lambda: len(train_points(window).x) == 0, timeout=TIMEOUT)
    window.points.undo()
    qtbot.waitUntil(lambda: len(train_points(window).x) == len(generated), timeout=TIMEOUT)
    click_at(qtbot, window, 0.5, 0.5)
    qtbot.waitUntil(lambda: len(train_points(window).x) == len(generated) + 1, timeout=TIMEOUT)
    assert window.controls.data.custom and window.config().data == controller.session.config.data
    same_dataset = window.controls.data.dataset.findData("disc")
    window.controls.data.dataset.setCurrentIndex(same_dataset)  # back to the generated set, same config
    qtbot.waitUntil(lambda: len(train_points(window).x) == len(generated), timeout=TIMEOUT)
    assert (train_points(window).x == generated).all() and not controller.session.custom_points
    assert window.controls.data.dataset.findData("custom") == -1


def test_an_edit_of_the_data_group_over_drawn_points_is_one_worker_command(qtbot, playground, monkeypatch):
    """The new configuration and "generated points again" travel as one command: the outcome cannot
    depend on the order in which two handlers of the same edit happen to be connected."""
    controller = playground()
    window = controller.window
    settled(qtbot, window)
    n = len(train_points(window).x)
    click_at(qtbot, window, 0.5, 0.5)
    qtbot.waitUntil(lambda: len(train_points(window).x) == n + 1 and window.controls.data.custom, timeout=TIMEOUT)
    commands = []
    submit = controller.worker.submit
    monkeypatch.setattr(controller.worker, "submit", lambda command: commands.append(command) or submit(command))
    window.controls.data.dataset.setCurrentIndex(window.controls.data.dataset.findData("xor"))
    message = "Data changed: new points, the model was reset to its initial weights."
    qtbot.waitUntil(lambda: window.status.currentMessage() == message, timeout=TIMEOUT)
    assert commands == [Configure(controller.session.config, regenerate_points=True)]
    assert not controller.session.custom_points and controller.session.config.data.dataset == "xor"
    assert len(train_points(window).x) == n and not window.controls.data.custom
