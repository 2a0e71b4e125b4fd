"""The report's three figures, drawn with pyqtgraph from the CSV files ``minidl reproduce --out DIR`` writes.

``python -m minidl_gui.figures DIR`` reads ``DIR/points_train.csv`` and ``DIR/history.csv`` and writes
``figure1_data.png`` (the data set), ``figure2_sgd_loss.png`` and ``figure3_adam_loss.png`` (train and
test loss per epoch, log scale). It needs no display (Qt's offscreen platform by default). The framework
(``minidl``) never imports Qt, which is why the CLI calls this module in a subprocess.
"""

from __future__ import annotations

import csv
import math
import os
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter

from minidl.data import load_points
from minidl.data.datasets import DISC_CENTER, DISC_RADIUS
from minidl.experiments import EXPERIMENTS
from minidl.formatting import short_number
from minidl_gui.plots.log_axis import LogAxis

SIZE = (900, 650)
DATA_SIZE = (650, 700)  # a square plot area for the unit square
CLASS_COLORS = {1: (31, 119, 180), 0: (255, 127, 14)}
CURVE_COLORS = {"train": (31, 119, 180), "test": (214, 39, 40)}
TITLE_SIZE = "13pt"

# experiment → seed → column → values, in epoch order
History = dict[str, dict[int, dict[str, list[float]]]]


def read_history(path: Path) -> History:
    """The per-epoch rows of ``history.csv`` grouped by experiment and seed."""
    history: History = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    with open(path, newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            columns = history[row["experiment"]][int(row["seed"])]
            for key in ("epoch", "train_loss", "test_loss", "lr"):
                columns[key].append(float(row[key]))
    return history


def _plot(title: str, x_label: str, y_label: str, size: tuple[int, int] = SIZE) -> pg.PlotWidget:
    widget = pg.PlotWidget(axisItems={"left": LogAxis("left")})  # the loss figures' axis is log
    widget.resize(*size)
    plot = widget.getPlotItem()
    plot.setTitle(title, size=TITLE_SIZE)
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.addLegend(
        offset=(-10, 10), labelTextSize="10pt", brush=pg.mkBrush(255, 255, 255, 230), pen=pg.mkPen((160, 160, 160))
    )
    return widget


def data_figure(points: Path) -> pg.PlotWidget:
    """Figure 1: the training points coloured by label, and the disc's boundary."""
    x, y = load_points(points)
    widget = _plot(f"Figure 1: the disc data set ({len(x)} training points)", "x₁", "x₂", DATA_SIZE)
    plot = widget.getPlotItem()
    for label, name in ((1, "label 1: inside the disc"), (0, "label 0: outside")):
        mask = y.view(-1) == label
        color = CLASS_COLORS[label]
        plot.addItem(
            pg.ScatterPlotItem(
                x[mask, 0].numpy(), x[mask, 1].numpy(), size=6, pen=None, brush=pg.mkBrush(*color, 200), name=name
            )
        )
    angles = [2 * math.pi * k / 256 for k in range(257)]
    circle_x = [DISC_CENTER[0] + DISC_RADIUS * math.cos(a) for a in angles]
    circle_y = [DISC_CENTER[1] + DISC_RADIUS * math.sin(a) for a in angles]
    plot.plot(circle_x, circle_y, pen=pg.mkPen("k", width=2), name="boundary, radius 1/√(2π)")
    plot.setAspectLocked(True)
    plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.02)
    return widget


def loss_figure(number: int, experiment: str, seeds: dict[int, dict[str, list[float]]]) -> pg.PlotWidget:
    """Train and test loss per epoch on a log scale: each seed faint, the mean over seeds bold."""
    label = next((e.label for e in EXPERIMENTS if e.name == experiment), experiment)
    first = next(iter(seeds.values()))
    n = len(seeds)
    seeds_text = f" ({n} seeds)" if n > 1 else ""
    title = f"Figure {number}: {label}, lr {short_number(first['lr'][0])}, batch 1: MSE loss per epoch{seeds_text}"
    widget = _plot(title, "epoch", "MSE loss (log scale)")
    plot = widget.getPlotItem()
    plot.setLogMode(y=True)
    for kind in ("train", "test"):
        color = CURVE_COLORS[kind]
        columns = list(seeds.values())
        if n > 1:
            for column in columns:
                plot.plot(column["epoch"], column[f"{kind}_loss"], pen=pg.mkPen(*color, 60, width=1))
        length = min(len(c["epoch"]) for c in columns)
        mean = [sum(c[f"{kind}_loss"][i] for c in columns) / n for i in range(length)]
        name = f"{kind} loss" + (f" (mean of {n} seeds)" if n > 1 else "")
        plot.plot(first["epoch"][:length], mean, pen=pg.mkPen(*color, width=2.5), name=name)
    return widget


def export(widget: pg.PlotWidget, path: Path) -> None:
    """Write ``widget`` as a PNG of ``SIZE`` pixels with pyqtgraph's `ImageExporter`."""
    # Laid out at its size only once shown; never on screen, even when a display exists.
    widget.setAttribute(pg.QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen)
    widget.show()
    pg.QtWidgets.QApplication.processEvents()
    exporter = ImageExporter(widget.getPlotItem())
    exporter.parameters()["width"] = widget.width()
    exporter.export(str(path))
    widget.close()


def render_all(out_dir: Path) -> list[Path]:
    """Draw the three figures into ``out_dir``; returns the files written."""
    pg.mkQApp("minidl figures")
    pg.setConfigOptions(background="w", foreground="k", antialias=True)
    written: list[Path] = []
    targets = [(data_figure(out_dir / "points_train.csv"), out_dir / "figure1_data.png")]
    for number, (experiment, seeds) in enumerate(read_history(out_dir / "history.csv").items(), start=2):
        targets.append((loss_figure(number, experiment, seeds), out_dir / f"figure{number}_{experiment}_loss.png"))
    for widget, path in targets:
        export(widget, path)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m minidl_gui.figures DIR``; exit code 0, or 2 with one line if DIR lacks the CSV files."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m minidl_gui.figures DIR  (DIR written by 'minidl reproduce --out DIR')", file=sys.stderr)
        return 2
    out_dir = Path(args[0])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # figures need no display
    missing = [name for name in ("points_train.csv", "history.csv") if not (out_dir / name).is_file()]
    if missing:
        print(
            f"minidl_gui.figures: error: {out_dir} has no {' or '.join(missing)}; "
            f"write it with 'minidl reproduce --out {out_dir}'",
            file=sys.stderr,
        )
        return 2
    for path in render_all(out_dir):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
