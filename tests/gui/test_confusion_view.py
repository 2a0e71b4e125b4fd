"""The confusion matrix view from hand-made snapshots: counts that sum to the set's points, row percentages,
the train/test choice, class-coloured labels and the regression's message."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QTableWidget

from minidl.problem import Problem
from minidl_gui.model.colours import CLASS_COLOURS
from minidl_gui.model.snapshot import Points, Snapshot
from minidl_gui.plots.confusion_matrix import REGRESSION_TEXT, ConfusionView, row_percentages

TRAIN = np.array([[50, 3, 0], [4, 40, 6], [0, 0, 0]])
TEST = np.array([[20, 1, 2], [0, 25, 0], [3, 3, 14]])


def make_snapshot(problem: Problem, train=None, test=None) -> Snapshot:
    empty = Points(np.zeros((0, 2)), np.zeros(0))
    return Snapshot(
        epoch=1,
        start=0,
        results=(),
        grid=np.zeros((2, 2)),
        extent=(0.0, 1.0, 0.0, 1.0),
        data_version=1,
        custom_points=False,
        train=empty,
        test=empty,
        train_wrong=np.zeros(0, dtype=bool),
        test_wrong=np.zeros(0, dtype=bool),
        problem=problem,
        train_confusion=train,
        test_confusion=test,
    )


@pytest.fixture
def view(qtbot) -> ConfusionView:
    widget = ConfusionView()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cells(view: ConfusionView) -> list[list[str]]:
    table = view.findChild(QTableWidget, "confusionTable")
    return [[table.item(i, j).text() for j in range(table.columnCount())] for i in range(table.rowCount())]


def test_counts_sum_to_the_chosen_sets_points_and_the_set_can_be_switched(view):
    view.show_snapshot(make_snapshot(Problem.classification(3), TRAIN, TEST))
    assert view.pages.currentIndex() == 0
    shown = np.array(cells(view), dtype=int)
    assert np.array_equal(shown, TRAIN) and shown.sum() == TRAIN.sum() == 103
    assert view.summary.text() == "Train: 103 points, 90 correct, accuracy 87.4 %"
    combo = view.findChild(QComboBox, "confusionSetCombo")
    combo.setCurrentIndex(combo.findData("test"))
    assert np.array_equal(np.array(cells(view), dtype=int), TEST)
    assert view.summary.text().startswith("Test: 68 points, 59 correct")


def test_row_percentages_sum_to_one_hundred_and_empty_rows_show_a_dash(view):
    view.show_snapshot(make_snapshot(Problem.classification(3), TRAIN, TEST))
    view.findChild(QCheckBox, "confusionNormalizeCheck").setChecked(True)
    shown = cells(view)
    assert shown[0] == ["94.3 %", "5.7 %", "0.0 %"] and shown[1] == ["8.0 %", "80.0 %", "12.0 %"]
    assert shown[2] == ["–", "–", "–"]
    shares = row_percentages(TEST)
    assert np.allclose(shares.sum(axis=1), 100.0)
    assert np.isnan(row_percentages(TRAIN)[2]).all()


def test_labels_carry_the_class_colours_and_the_matrix_follows_the_class_count(view):
    view.show_snapshot(make_snapshot(Problem.classification(3), TRAIN, TEST))
    table = view.findChild(QTableWidget, "confusionTable")
    for c in range(3):
        for header in (table.horizontalHeaderItem(c), table.verticalHeaderItem(c)):
            colour = header.icon().pixmap(10, 10).toImage().pixelColor(5, 5)
            assert (colour.red(), colour.green(), colour.blue()) == CLASS_COLOURS[c]
    assert table.verticalHeaderItem(2).text() == "true 2" and table.horizontalHeaderItem(1).text() == "pred. 1"
    binary = np.array([[7, 1], [2, 9]])
    view.show_snapshot(make_snapshot(Problem(), binary, binary))
    assert np.array_equal(np.array(cells(view), dtype=int), binary)


def test_a_regression_says_where_its_metrics_are(view):
    view.show_snapshot(make_snapshot(Problem.regression()))
    assert view.pages.currentWidget() is view.message and view.message.text() == REGRESSION_TEXT
    assert not view.findChild(QComboBox, "confusionSetCombo").isEnabled()
    view.show_snapshot(make_snapshot(Problem.classification(3), TRAIN, TEST))
    assert view.pages.currentIndex() == 0 and view.findChild(QComboBox, "confusionSetCombo").isEnabled()


def test_a_hidden_view_draws_the_last_snapshot_when_shown(qtbot):
    widget = ConfusionView()
    qtbot.addWidget(widget)
    widget.show_snapshot(make_snapshot(Problem.classification(3), TRAIN, TEST))
    assert widget.findChild(QTableWidget, "confusionTable").rowCount() == 0  # not drawn while hidden
    widget.show()
    qtbot.waitExposed(widget)
    assert np.array_equal(np.array(cells(widget), dtype=int), TRAIN)
