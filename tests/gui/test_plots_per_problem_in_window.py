"""The window's plots follow a trained session's problem, found through their objectNames: k classes give the
class image, a confusion matrix summing to the points and accuracy curves; a regression the prediction's colour
bar, the Confusion tab's message and RMSE/R² curves."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QCheckBox, QComboBox, QTableWidget, QTabWidget

from minidl_gui.model.colours import class_image
from minidl_gui.model.config import Config
from minidl_gui.plots.confusion_matrix import REGRESSION_TEXT, ConfusionView
from minidl_gui.plots.curves import CurvesView
from minidl_gui.plots.decision_plot import DecisionPlot
from minidl_gui.worker_commands import Train
from tests.gui.conftest import BLOBS, PLANE

TIMEOUT = 20_000


def trained(qtbot, playground, config: Config):
    controller = playground(config)
    controller.submit(Train())
    qtbot.waitUntil(lambda: controller.window.toolbar.state == "done", timeout=TIMEOUT)
    return controller.window


def test_four_classes_fill_the_class_image_the_confusion_matrix_and_the_accuracy(qtbot, playground):
    window = trained(qtbot, playground, BLOBS)
    snapshot = window.last_snapshot
    decision = window.findChild(DecisionPlot, "decisionPlot")
    assert snapshot.grid.shape == (100, 100, 4)
    assert np.array_equal(decision.image.image, class_image(snapshot.grid))
    assert not decision.colorbar.isVisible()
    tabs = window.findChild(QTabWidget, "sideTabs")
    view = window.findChild(ConfusionView, "confusionView")
    tabs.setCurrentWidget(view)
    table = view.findChild(QTableWidget, "confusionTable")
    qtbot.waitUntil(lambda: table.rowCount() == 4)
    counts = np.array([[int(table.item(i, j).text()) for j in range(4)] for i in range(4)])
    assert counts.sum() == 120 and np.array_equal(counts, snapshot.train_confusion)
    combo = view.findChild(QComboBox, "confusionSetCombo")
    combo.setCurrentIndex(combo.findData("test"))
    assert sum(int(table.item(i, j).text()) for i in range(4) for j in range(4)) == 80
    wrong = int(snapshot.test_wrong.sum())
    assert wrong == 80 - int(np.trace(snapshot.test_confusion))
    assert not window.findChild(CurvesView, "curvesView").regression


def test_a_regression_shows_its_colour_bar_the_confusion_message_and_rmse_curves(qtbot, playground):
    window = trained(qtbot, playground, PLANE)
    decision = window.findChild(DecisionPlot, "decisionPlot")
    assert decision.colorbar.isVisible() and decision.colorbar.getAxis("left").labelText == "prediction"
    assert len(decision.wrong_points) == 0
    curves = window.findChild(CurvesView, "curvesView")
    assert curves.regression
    _, r2 = curves.curves["test_r2"].getData()
    assert len(r2) == len(window.history) and np.all(np.isfinite(r2))
    view = window.findChild(ConfusionView, "confusionView")
    window.findChild(QTabWidget, "sideTabs").setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.message.isVisible())
    assert view.message.text() == REGRESSION_TEXT
    before = decision.image.image.copy()
    window.findChild(QCheckBox, "discretizeCheck").setChecked(True)
    assert (
        len(np.unique(decision.image.image.reshape(-1, 4), axis=0)) <= 2 < len(np.unique(before.reshape(-1, 4), axis=0))
    )
