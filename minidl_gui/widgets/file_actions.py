"""The File menu: New, Open / Save / Save as (session files), Export ▸ (plots, history, weights), Quit.

Plots are exported here (pyqtgraph's exporters draw what the window shows); everything that needs
the training — sessions, the history, the weights — is asked for with a signal carrying the chosen
path, and whoever owns the training writes it. The file dialogs are module functions
(``ask_open_path``, ``ask_save_path``) so that tests can replace them: nothing here blocks a test.
"""

from __future__ import annotations

import contextlib
import html
import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyqtgraph as pg
import pyqtgraph.exporters as pg_exporters
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from minidl_gui.model.app_state import AppState
from minidl_gui.model.session_format.version import SUFFIX as SESSION_SUFFIX
from minidl_gui.plots.decision_plot import DecisionPlot
from minidl_gui.widgets.banner import MessageBanner

SESSION_FILTER = f"minidl sessions (*{SESSION_SUFFIX})"
FILTERS = {
    ".png": "PNG images (*.png)",
    ".svg": "SVG drawings (*.svg)",
    ".csv": "CSV files (*.csv)",
    ".json": "JSON files (*.json)",
    SESSION_SUFFIX: SESSION_FILTER,
}


def ask_open_path(parent: QWidget, title: str, file_filter: str) -> str | None:
    """A file to open, from the user (None when cancelled)."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", file_filter)
    return path or None


def ask_save_path(parent: QWidget, title: str, suffix: str, suggestion: str = "") -> str | None:
    """A file to write, from the user, ending with ``suffix`` (None when cancelled)."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggestion, FILTERS[suffix])
    if not path:
        return None
    return path if path.lower().endswith(suffix) else path + suffix


def export_plot(item: pg.GraphicsItem, path: str | Path) -> None:
    """Write ``item`` (a plot, a layout) as PNG or SVG, by ``path``'s suffix; OSError when that fails."""
    path = Path(path)
    if path.suffix.lower() == ".svg":
        with _closed_paths_understood():
            pg_exporters.SVGExporter(item).export(str(path))
        written = path.is_file()
    elif path.suffix.lower() == ".png":
        exporter = pg_exporters.ImageExporter(item)
        exporter.parameters()["width"] = 2 * int(exporter.parameters()["width"])  # crisp on paper and HiDPI
        written = bool(exporter.export(str(path)))
    else:
        raise ValueError(f"cannot export a plot as {path.suffix or 'a file without suffix'}: use .png or .svg")
    if not written:
        raise OSError(f"could not write {path}")


@contextlib.contextmanager
def _closed_paths_understood() -> Iterator[None]:
    """While exporting SVG, let pyqtgraph's coordinate fix-up skip the "Z" (close path) commands that
    Qt ≥ 6.10 writes and pyqtgraph 0.14 cannot parse (its issue #3495); they are put back after."""
    module = importlib.import_module("pyqtgraph.exporters.SVGExporter")
    original = module.correctCoordinates

    def correct(node: Any, *args: Any, **kwargs: Any) -> Any:
        closes = {}
        for element in node.getElementsByTagName("path"):
            tokens = element.getAttribute("d").split()
            marks = [index - count for count, index in enumerate(i for i, t in enumerate(tokens) if t in ("Z", "z"))]
            if marks:
                closes[element] = marks
                element.setAttribute("d", " ".join(t for t in tokens if t not in ("Z", "z")))
        result = original(node, *args, **kwargs)
        for element, marks in closes.items():
            tokens = element.getAttribute("d").split()
            for count, mark in enumerate(marks):
                tokens.insert(mark + count, "Z")
            element.setAttribute("d", " ".join(tokens))
        return result

    module.correctCoordinates = correct
    try:
        yield
    finally:
        module.correctCoordinates = original


class FileActions(QObject):
    """Builds ``menu``, the File menu, from its collaborators: the ``app_state`` (its ``path`` is the
    current session file, None: not saved yet), the ``decision`` and ``loss`` plots (exported as they
    are drawn), the ``banner`` (what went wrong) and the ``parent`` window (of the dialogs; Quit closes it).

    Emits ``newRequested``, ``openRequested(path)``, ``saveRequested(path)``,
    ``exportHistoryRequested(path)``, ``exportWeightsRequested(path)`` and ``message(text)`` (for the
    status bar).
    """

    newRequested = Signal()  # noqa: N815 (Qt naming)
    openRequested = Signal(str)  # noqa: N815
    saveRequested = Signal(str)  # noqa: N815
    exportHistoryRequested = Signal(str)  # noqa: N815
    exportWeightsRequested = Signal(str)  # noqa: N815
    message = Signal(str)

    def __init__(
        self,
        *,
        app_state: AppState,
        menu: QMenu,
        decision: DecisionPlot,
        loss: pg.PlotWidget,
        banner: MessageBanner,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.app_state, self.banner, self.dialog_parent = app_state, banner, parent
        self.new = self._action(menu, "&New", "newAction", QKeySequence.StandardKey.New, self.newRequested.emit)
        self.open = self._action(menu, "&Open session…", "openAction", QKeySequence.StandardKey.Open, self.ask_open)
        self.save = self._action(menu, "&Save session", "saveAction", QKeySequence.StandardKey.Save, self.ask_save)
        self.save_as = self._action(
            menu, "Save session &as…", "saveAsAction", QKeySequence("Ctrl+Shift+S"), self.ask_save_as
        )
        menu.addSeparator()
        export = menu.addMenu("&Export")
        export.setObjectName("exportMenu")
        self.exports = {
            "decision_png": self._action(export, "Decision plot as &PNG…", "exportDecisionPngAction", None,
                                         lambda: self.ask_plot(decision.ci, "decision", ".png")),
            "decision_svg": self._action(export, "Decision plot as &SVG…", "exportDecisionSvgAction", None,
                                         lambda: self.ask_plot(decision.ci, "decision", ".svg")),
            "loss_png": self._action(export, "&Loss plot as PNG…", "exportLossPngAction", None,
                                     lambda: self.ask_plot(loss.getPlotItem(), "loss", ".png")),
            "loss_svg": self._action(export, "Loss plot as S&VG…", "exportLossSvgAction", None,
                                     lambda: self.ask_plot(loss.getPlotItem(), "loss", ".svg")),
            "history_csv": self._action(export, "&History as CSV…", "exportHistoryAction", None,
                                        lambda: self._ask(self.exportHistoryRequested, "history", ".csv")),
            "weights_json": self._action(export, "&Weights as JSON…", "exportWeightsAction", None,
                                         lambda: self._ask(self.exportWeightsRequested, "weights", ".json")),
        }  # fmt: skip
        menu.addSeparator()
        self.quit = self._action(menu, "&Quit", "quitAction", QKeySequence("Ctrl+Q"), parent.close)

    def _action(
        self, menu: QMenu, text: str, name: str, key: QKeySequence | QKeySequence.StandardKey | None, slot: Callable
    ) -> QAction:
        action = QAction(text, self.dialog_parent)
        action.setObjectName(name)
        if key is not None:
            action.setShortcut(key)
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        return action

    # -- sessions -----------------------------------------------------------------------------------
    def ask_open(self) -> None:
        path = ask_open_path(self.dialog_parent, "Open a minidl session", f"{SESSION_FILTER};;All files (*)")
        if path:
            self.openRequested.emit(path)

    def ask_save(self) -> None:
        """Save to the current file, or ask for one when there is none yet."""
        if self.app_state.path is None:
            self.ask_save_as()
        else:
            self.saveRequested.emit(str(self.app_state.path))

    def ask_save_as(self) -> None:
        current = self.app_state.path
        suggestion = str(current) if current is not None else "session" + SESSION_SUFFIX
        path = ask_save_path(self.dialog_parent, "Save the session as", SESSION_SUFFIX, suggestion)
        if path:
            self.saveRequested.emit(path)

    # -- exports ------------------------------------------------------------------------------------
    def _ask(self, signal: Signal, what: str, suffix: str) -> None:
        path = ask_save_path(self.dialog_parent, f"Export the {what} as", suffix, self._suggestion(what, suffix))
        if path:
            signal.emit(path)

    def ask_plot(self, item: pg.GraphicsItem, what: str, suffix: str) -> None:
        path = ask_save_path(self.dialog_parent, f"Export the {what} plot as", suffix, self._suggestion(what, suffix))
        if path:
            self.export_plot(item, path)

    def export_plot(self, item: pg.GraphicsItem, path: str | Path) -> bool:
        """Export, then say so in the status bar — or what went wrong in the banner."""
        try:
            export_plot(item, path)
        except (OSError, ValueError) as error:
            self.banner.show_message(f"<b>Export failed.</b> {html.escape(str(error))}", "error")
            return False
        self.message.emit(f"Exported {path}")
        return True

    def _suggestion(self, what: str, suffix: str) -> str:
        current = self.app_state.path
        stem = current.with_suffix("").name if current is not None else "minidl"
        return f"{stem}-{what}{suffix}"
