"""The controls follow the data set's problem (binary, k classes, regression): the class count, the problem
label, the losses offered (the others greyed, saying why), the output activation and width; the input
features toggle from their checkboxes and from the network diagram's input nodes; drawing adds the class
picked or the target value set. Everything found by objectName."""

from __future__ import annotations

import math
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLabel, QSpinBox, QToolButton, QWidget

from minidl.features import FEATURE_NAMES
from minidl.problem import Problem
from minidl_gui.model.config import ConfigEdit, DataConfig, fit_problem
from minidl_gui.model.feature_fields import FEATURE_LABELS, all_feature_fields, feature_fields, grid_axes
from minidl_gui.model.history import History
from minidl_gui.model.point_edits import AddPoint
from minidl_gui.model.snapshot import Points, Snapshot
from minidl_gui.widgets.control_panel import ControlPanel
from minidl_gui.widgets.main_window import MainWindow
from minidl_gui.widgets.status_bar import TrainingStatusBar

TIMEOUT = 5_000


def find(parent: QWidget, kind: type, name: str):
    widget = parent.findChild(kind, name)
    assert widget is not None, f"no {kind.__name__} named {name}"
    return widget


def pick(combo: QComboBox, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))


def loss_items(panel: QWidget) -> dict[str, tuple[bool, str]]:
    """``{loss: (enabled, tooltip)}`` of the loss combo's items."""
    combo = find(panel, QComboBox, "lossCombo")
    model = combo.model()
    assert isinstance(model, QStandardItemModel)
    return {combo.itemData(i): (model.item(i).isEnabled(), model.item(i).toolTip()) for i in range(combo.count())}


@pytest.fixture
def panel(qtbot) -> ControlPanel:
    widget = ControlPanel()
    qtbot.addWidget(widget)
    widget.show()
    return widget


# -- the data set rules the problem ------------------------------------------------------------------
def test_switching_the_data_set_switches_classes_problem_losses_and_output(qtbot, panel):
    classes = find(panel, QSpinBox, "classesSpin")
    problem = find(panel, QLabel, "problemLabel")
    outputs = find(panel, QLabel, "outputWidthLabel")
    activation = find(panel, QComboBox, "outputActivationCombo")
    dataset = find(panel, QComboBox, "datasetCombo")
    # The disc: binary, a fixed class count, the one-output losses.
    assert not classes.isEnabled() and "two classes" in classes.toolTip()
    assert problem.text() == "binary" and outputs.text() == "1 output" and activation.isEnabled()
    items = loss_items(panel)
    assert items["mse"][0] and items["bce"][0]
    assert items["cross_entropy"] == (False, Problem().why_not("cross_entropy"))
    # Blobs: 3 classes by default; the loss and output activation change to fit, and say so.
    messages = []
    panel.problemMessage.connect(messages.append)
    with qtbot.waitSignal(panel.configChanged, timeout=TIMEOUT) as changed:
        pick(dataset, "blobs")
    config, section = changed.args
    three = Problem.classification(3)
    assert section is ConfigEdit.DATA and config.data.problem == three
    assert config.training.loss == "cross_entropy" and config.network.output_activation == "identity"
    assert messages and "cross_entropy" in messages[-1]
    assert classes.isEnabled() and classes.value() == 3 and problem.text() == "3 classes"
    assert outputs.text() == "3 outputs (softmax)"
    assert find(panel, QComboBox, "lossCombo").currentData() == "cross_entropy"
    items = loss_items(panel)
    assert items["cross_entropy"][0]
    for loss in ("mse", "mae", "bce"):
        assert items[loss] == (False, three.why_not(loss))
    assert not activation.isEnabled() and "logits" in activation.toolTip()
    # Five classes: five outputs, in the summary too.
    with qtbot.waitSignal(panel.configChanged, timeout=TIMEOUT) as changed:
        classes.setValue(5)
    assert changed.args[0].data.problem == Problem.classification(5) and changed.args[0].sizes[-1] == 5
    assert problem.text() == "5 classes" and outputs.text() == "5 outputs (softmax)"
    assert find(panel, QLabel, "networkSummaryLabel").text().split("·")[0].strip().endswith("→ 5")
    # The plane: a regression; no classes, the regression losses, one output.
    with qtbot.waitSignal(panel.configChanged, timeout=TIMEOUT) as changed:
        pick(dataset, "plane")
    regression = Problem.regression()
    assert changed.args[0].data.problem == regression and changed.args[0].training.loss == "mse"
    assert not classes.isEnabled() and "regression" in classes.toolTip() and classes.text() == "—"
    assert problem.text() == "regression" and outputs.text() == "1 output"
    items = loss_items(panel)
    assert items["mse"][0] and items["mae"][0]
    assert items["bce"] == (False, regression.why_not("bce"))
    assert items["cross_entropy"] == (False, regression.why_not("cross_entropy"))
    assert not activation.isEnabled() and "regression" in activation.toolTip()
    # Back to the spiral: two classes by default, its count can be chosen.
    pick(dataset, "spiral")
    assert classes.isEnabled() and classes.value() == 2 and problem.text() == "binary"
    assert activation.isEnabled() and loss_items(panel)["bce"][0]


def test_every_data_set_is_listed_with_its_problem_in_a_tooltip(panel):
    dataset = find(panel, QComboBox, "datasetCombo")
    tips = {dataset.itemData(i): dataset.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(dataset.count())}
    assert {"disc", "blobs", "spiral", "plane", "multi_gauss"} <= set(tips)
    assert "binary" in tips["disc"] and "regression" in tips["plane"] and "regression" in tips["multi_gauss"]
    assert "classes" in tips["blobs"] and "classes" in tips["spiral"]
    assert all(
        dataset.itemText(i) != dataset.itemData(i) or dataset.itemData(i).isalpha() for i in range(dataset.count())
    )


def test_a_config_with_a_class_count_shows_it(panel):
    current = panel.config()
    config, message = fit_problem(DataConfig(dataset="spiral", classes=4), current.network, current.training)
    assert "cross_entropy" in message
    panel.set_config(config)
    assert find(panel, QSpinBox, "classesSpin").value() == 4
    assert find(panel, QLabel, "outputWidthLabel").text() == "4 outputs (softmax)"
    assert panel.config() == config


# -- input features --------------------------------------------------------------------------------------
def test_feature_checkboxes_are_named_in_feature_order_and_emit_a_network_edit(qtbot, panel):
    boxes = [find(panel, QCheckBox, f"featureCheck_{i}") for i in range(len(FEATURE_NAMES))]
    assert [box.text() for box in boxes] == ["X₁", "X₂", "X₁²", "X₂²", "X₁X₂", "sin(X₁)", "sin(X₂)"]
    assert [box.isChecked() for box in boxes] == [True, True, False, False, False, False, False]
    assert "(x₁ − 0.5)²" in boxes[2].toolTip() and "sin(2π" in boxes[5].toolTip()
    with qtbot.waitSignal(panel.configChanged, timeout=TIMEOUT) as changed:
        boxes[2].click()
    config, section = changed.args
    assert section is ConfigEdit.NETWORK and config.network.features == ("x1", "x2", "x1^2")
    assert config.sizes[0] == 3
    assert find(panel, QLabel, "networkSummaryLabel").text().startswith("3 →")


def test_the_last_feature_cannot_be_unchecked(qtbot, panel):
    first, second = find(panel, QCheckBox, "featureCheck_0"), find(panel, QCheckBox, "featureCheck_1")
    with qtbot.waitSignal(panel.configChanged, timeout=TIMEOUT):
        first.click()
    assert panel.config().network.features == ("x2",)
    assert "at least one input" in second.toolTip()
    with qtbot.assertNotEmitted(panel.configChanged):
        second.click()
    assert second.isChecked() and panel.config().network.features == ("x2",)


# -- the network diagram ----------------------------------------------------------------------------------
def fake_snapshot(inputs: int = 2, problem: Problem | None = None) -> Snapshot:
    problem = problem or Problem()
    empty = Points(np.zeros((0, 2)), np.zeros(0))
    weights = {
        "1.weight": np.ones((3, inputs)),
        "1.bias": np.zeros(3),
        "3.weight": np.ones((problem.out_features, 3)),
        "3.bias": np.zeros(problem.out_features),
    }
    return Snapshot(
        epoch=0, start=0, results=(), grid=np.zeros((4, 4)), extent=(0.0, 1.0, 0.0, 1.0), data_version=1,
        custom_points=False, train=empty, test=empty, train_wrong=np.zeros(0, bool), test_wrong=np.zeros(0, bool),
        weights=weights, problem=problem,
    )  # fmt: skip


@pytest.fixture
def window(qtbot) -> MainWindow:
    widget = MainWindow()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_diagram_shows_every_feature_and_a_click_on_one_toggles_it(qtbot, window):
    view = window.network
    window.side_tabs.setCurrentWidget(view)
    view.show_snapshot(fake_snapshot())
    assert len(view.neurons.data) == len(FEATURE_NAMES) + 3 + 1
    assert [view.input_images[name].opacity() for name in FEATURE_NAMES] == [1, 1] + [0.3] * 5
    assert view.input_images["x1^2"].image is not None  # every feature's field, used or not
    index = FEATURE_NAMES.index("x1*x2")
    scene = view.diagram.vb.mapViewToScene(QPointF(*view._positions[0][index]))
    position = view.graphics.mapFromScene(scene)
    with qtbot.waitSignal(window.controls.configChanged, timeout=TIMEOUT) as changed:
        qtbot.mouseClick(view.graphics.viewport(), Qt.MouseButton.LeftButton, pos=position)
    config, section = changed.args
    assert section is ConfigEdit.NETWORK and config.network.features == ("x1", "x2", "x1*x2")
    assert find(window, QCheckBox, f"featureCheck_{index}").isChecked()  # one config: both views show it
    assert view.features == ("x1", "x2", "x1*x2") and view.input_images["x1*x2"].opacity() == 1
    assert FEATURE_LABELS["x1*x2"] in view.field_label.text()  # the click (a hover) showed its field
    view.show_snapshot(fake_snapshot(3))  # the rebuilt model: 3 inputs, linked from their nodes
    assert view.widths == [3, 3, 1] and view.inputs == ("x1", "x2", "x1*x2")
    assert view.column_labels[0] == "input\n3"


def test_the_diagram_toggle_is_the_checkbox_toggle(qtbot, window):
    window.network.show_snapshot(fake_snapshot())
    with qtbot.waitSignal(window.controls.configChanged, timeout=TIMEOUT) as changed:
        window.network.toggle_feature(0)  # x1 off
    assert changed.args[0].network.features == ("x2",)
    with qtbot.assertNotEmitted(window.controls.configChanged):
        window.network.toggle_feature(1)  # the last one stays
    assert window.config().network.features == ("x2",)


def test_the_output_column_has_one_node_per_class(window):
    view = window.network
    window.side_tabs.setCurrentWidget(view)
    four = Problem.classification(4)
    view.show_snapshot(fake_snapshot(problem=four))
    assert view.widths == [2, 3, 4] and len(view.neurons.data) == len(FEATURE_NAMES) + 3 + 4
    brushes = [spot.brush().color().name() for spot in view.neurons.points()[-4:]]
    assert len(set(brushes)) == 4


# -- drawing -------------------------------------------------------------------------------------------------
def click_plot(qtbot, window, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    decision = window.decision
    centre = decision.plot.vb.sceneBoundingRect().center()
    qtbot.mouseClick(decision.viewport(), Qt.MouseButton.LeftButton, modifier, decision.mapFromScene(centre))


def added_label(qtbot, window, modifier=Qt.KeyboardModifier.NoModifier) -> float:
    with qtbot.waitSignal(window.points.editRequested, timeout=TIMEOUT) as edit:
        click_plot(qtbot, window, modifier)
    assert isinstance(edit.args[0], AddPoint)
    return edit.args[0].label


def test_the_class_picker_offers_k_classes_and_a_click_adds_the_picked_one(qtbot, window):
    picker = find(window, QWidget, "classPicker")
    buttons = lambda: [b for b in picker.findChildren(QToolButton) if b.isVisibleTo(picker)]  # noqa: E731
    assert len(buttons()) == 2 and added_label(qtbot, window) == 1.0
    assert added_label(qtbot, window, Qt.KeyboardModifier.ShiftModifier) == 0.0  # two classes: the other one
    pick(find(window, QComboBox, "datasetCombo"), "blobs")
    find(window, QSpinBox, "classesSpin").setValue(4)
    assert len(buttons()) == 4 and picker.isVisible()
    find(window, QToolButton, "classButton_2").click()
    assert added_label(qtbot, window) == 2.0
    assert added_label(qtbot, window, Qt.KeyboardModifier.ShiftModifier) == 3.0  # the next class
    find(window, QToolButton, "classButton_3").click()
    assert added_label(qtbot, window, Qt.KeyboardModifier.ShiftModifier) == 0.0  # after the last, the first
    assert "class 3" in find(window, QLabel, "drawHint").text()


def test_for_a_regression_a_click_adds_the_target_value_set(qtbot, window):
    pick(find(window, QComboBox, "datasetCombo"), "plane")
    target = find(window, QDoubleSpinBox, "targetSpin")
    assert target.isVisible() and not find(window, QWidget, "classPicker").isVisible()
    assert (target.minimum(), target.maximum()) == (-1.0, 1.0)
    target.setValue(-0.25)
    assert added_label(qtbot, window) == -0.25
    assert added_label(qtbot, window, Qt.KeyboardModifier.ShiftModifier) == 0.25
    assert "target -0.25" in find(window, QLabel, "drawHint").text()


# -- the features' fields -------------------------------------------------------------------------------------
def test_feature_fields_match_their_formulas():
    xs, ys = np.array([0.0, 0.25, 0.9]), np.array([-0.5, 0.5, 1.0, 1.7])
    fields = feature_fields(FEATURE_NAMES, xs, ys)
    a, b = np.meshgrid(xs - 0.5, ys - 0.5, indexing="ij")  # field[i, j] at (xs[i], ys[j])
    expected = {
        "x1": a,
        "x2": b,
        "x1^2": a**2,
        "x2^2": b**2,
        "x1*x2": a * b,
        "sin(x1)": np.sin(2 * math.pi * a),
        "sin(x2)": np.sin(2 * math.pi * b),
    }
    assert list(fields) == list(FEATURE_NAMES)
    for name, field in fields.items():
        assert field.shape == (3, 4)
        np.testing.assert_allclose(field, expected[name], rtol=1e-12, atol=1e-12, err_msg=name)
    assert list(feature_fields(["x2", "x1"], xs, ys)) == ["x2", "x1"]
    with pytest.raises(ValueError):
        feature_fields(["x3"], xs, ys)


def test_all_feature_fields_cover_the_extent_at_cell_centres():
    xs, ys = grid_axes((0.0, 2.0, -1.0, 1.0), 4)
    np.testing.assert_allclose(xs, [0.25, 0.75, 1.25, 1.75])
    np.testing.assert_allclose(ys, [-0.75, -0.25, 0.25, 0.75])
    fields = all_feature_fields((0.0, 2.0, -1.0, 1.0), 4)
    np.testing.assert_allclose(fields["x1"][:, 0], xs - 0.5)
    np.testing.assert_allclose(fields["x2"][0], ys - 0.5)


# -- the status bar ---------------------------------------------------------------------------------------------
def test_the_status_bar_shows_r2_for_a_regression_and_accuracy_for_a_classification(qtbot):
    status = TrainingStatusBar()
    qtbot.addWidget(status)
    history = History()
    history.append(SimpleNamespace(epoch=1, train_loss=0.1, test_loss=0.2, train_accuracy=0.9, test_accuracy=0.85))
    status.show_history(history)
    assert status.fields["accuracy"].text() == "accuracy train 90.0 % · test 85.0 %"
    history.clear()
    history.append(SimpleNamespace(epoch=1, train_loss=0.1, test_loss=0.2, train_r2=0.99512, test_r2=0.98))
    status.show_history(history)
    assert status.fields["accuracy"].text() == "R² train 0.9951 · test 0.9800"
    assert "R²" in status.fields["accuracy"].toolTip()


def test_the_feature_thumbnails_are_computed_again_only_for_a_new_extent(window):
    view = window.network
    window.side_tabs.setCurrentWidget(view)
    view.show_snapshot(fake_snapshot())
    fields = view._fields
    view.show_snapshot(fake_snapshot(3))
    assert view._fields is fields  # the same domain: not recomputed
    moved = replace(fake_snapshot(), extent=(-1.0, 2.0, -1.0, 2.0))
    view.show_snapshot(moved)
    assert view._fields is not fields
    np.testing.assert_allclose(view._fields["x1"], all_feature_fields(moved.extent)["x1"])


def test_what_a_data_set_switch_changed_is_on_the_banner_until_the_next_switch(window):
    dataset = find(window, QComboBox, "datasetCombo")
    pick(dataset, "blobs")
    assert window.banner.isVisible() and window.banner.kind == "info"
    assert "3-class" in window.banner.label.text() and "cross_entropy" in window.banner.label.text()
    assert "cross_entropy" in window.status.currentMessage()
    find(window, QSpinBox, "trainPointsSpin").setValue(500)  # another edit: the note stays
    assert window.banner.isVisible()
    pick(dataset, "plane")  # changes the loss again: a new note
    assert window.banner.isVisible() and "regression" in window.banner.label.text()
    pick(dataset, "multi_gauss")  # nothing to change: the note goes
    assert not window.banner.isVisible()
