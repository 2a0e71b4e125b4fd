"""`NetworkView`: the network as a diagram — neurons in columns, links coloured by the sign of their
weight and drawn thicker with its magnitude — and the activation field of the neuron under the mouse.

Links are grouped by (sign, thickness bucket) into a fixed set of `PlotCurveItem`s with
``connect="pairs"``, so an update of any network is a handful of ``setData`` calls. A layer wider
than ``max_neurons`` shows its first ``max_neurons`` neurons and says so. The field of the selected
neuron comes computed from the worker (``Snapshot.neuron_field``): this view only asks for it, with
``neuronSelected``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from minidl_gui.model.snapshot import Snapshot
from minidl_gui.plots.style import CLASS0, CLASS1, MIDDLE, class_colormap

MAX_NEURONS = 25
"""Neurons drawn per layer (the report's 25-wide layers fit); wider layers show their first ``MAX_NEURONS``."""

LINK_WIDTHS = (1.0, 1.0, 2.0, 3.0)
"""Pen widths (px) of the links whose |w| / max |w| of their layer falls in each quarter."""

LINK_SHADES = (0.3, 0.55, 0.8, 1.0)
"""How much of the link colour (over white) each quarter gets. Opaque pens, drawn as separate
segments, with antialiasing only for the 1 px ones: what Qt's raster engine draws fastest (a 3×25
network in a few milliseconds, where translucent antialiased wide lines take tens)."""
NEGATIVE, POSITIVE = 0, 1
LINK_COLORS = {NEGATIVE: CLASS0, POSITIVE: CLASS1}
"""Negative weights orange, positive blue: the decision plot's colours for outputs below / above 0.5."""

NEURON_SIZE = 11
BIAS_SHADES = 17
"""Neuron fills are quantised to this many colours, so the symbol atlas renders each only once."""
THUMBNAIL_SIZE = 130


def diverging_colormap() -> pg.ColorMap:
    """Field values: negative → orange, 0 → near white, positive → blue (the decision plot's colours)."""
    return pg.ColorMap([0.0, 0.5, 1.0], [CLASS0, MIDDLE, CLASS1])


def linear_weights(weights: dict[str, np.ndarray]) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """``[(W_k, b_k), …]`` of the `Linear` layers in order, from a state dict ("0.weight", "0.bias", …)."""
    names = sorted(
        (name for name, value in weights.items() if name.endswith(".weight") and value.ndim == 2), key=_index
    )
    return [(weights[name], weights.get(name[: -len("weight")] + "bias")) for name in names]


def _index(name: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in name.split(".")[:-1])


def layer_name(layer: int, layers: int) -> str:
    """``"input"``, ``"hidden layer k"`` or ``"output"`` for diagram column ``layer`` of ``layers``."""
    if layer == 0:
        return "input"
    return "output" if layer == layers - 1 else f"hidden layer {layer}"


def neuron_name(layer: int, index: int, layers: int) -> str:
    if layer == 0:
        return "input x₁" if index == 0 else "input x₂" if index == 1 else f"input {index + 1}"
    if layer == layers - 1:
        return "output" if index == 0 else f"output {index + 1}"
    return f"hidden layer {layer}, neuron {index + 1}"


class NetworkView(QWidget):
    """The diagram (``show_snapshot`` restyles items created once) and the selected neuron's field.

    ``neuronSelected`` sends ``(layer, index)`` when the mouse hovers or clicks another neuron (or
    None when the network changed under the selection); layer 0 is the input.
    """

    neuronSelected = Signal(object)  # noqa: N815 (Qt naming)

    def __init__(self, max_neurons: int = MAX_NEURONS) -> None:
        super().__init__()
        self.setObjectName("networkView")
        self.max_neurons = max_neurons
        self.selected: tuple[int, int] | None = None
        self.widths: list[int] = []
        self.column_labels: list[str] = []
        self._drawn: list[int] = []
        self._last: Snapshot | None = None
        self._stale = False
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setObjectName("networkDiagram")
        self.graphics.setBackground("w")
        self.diagram: pg.PlotItem = self.graphics.addPlot()
        self._setup_diagram()
        self.cap_label = QLabel()
        self.cap_label.setObjectName("networkCapLabel")
        self.cap_label.setWordWrap(True)
        self.cap_label.setStyleSheet("color: #666;")
        self.thumbnail, self.field_view, self.field_image = _thumbnail()
        self.field_label = QLabel("Hover or click a neuron to see its activation over the data domain.")
        self.field_label.setObjectName("neuronFieldLabel")
        self.field_label.setWordWrap(True)
        self.field_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        legend = QLabel(
            f"Weights <span style='color:{CLASS1}'>■ positive</span> <span style='color:{CLASS0}'>■ negative</span>,"
            " thicker = larger <nobr>|w|</nobr> in the layer; neuron fill = bias. Hover a neuron."
        )
        legend.setWordWrap(True)
        legend.setStyleSheet("color: #444;")
        bottom = QHBoxLayout()
        bottom.setContentsMargins(4, 0, 4, 4)
        bottom.addWidget(self.thumbnail)
        bottom.addWidget(self.field_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(legend)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.cap_label)
        layout.addLayout(bottom)
        self.cap_label.hide()

    def _setup_diagram(self) -> None:
        plot = self.diagram
        plot.setTitle("Network", color="#333", size="10pt")
        plot.hideAxis("left")
        self.axis: pg.AxisItem = plot.getAxis("bottom")
        self.axis.setPen(pg.mkPen(None))
        self.axis.setTextPen("#444")
        self.axis.setHeight(34)
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        self.links: dict[tuple[int, int], pg.PlotCurveItem] = {}
        for bucket, (width, shade) in enumerate(zip(LINK_WIDTHS, LINK_SHADES, strict=True)):
            for sign, name in LINK_COLORS.items():
                pen = pg.mkPen(_over_white(name, shade), width=width)
                curve = pg.PlotCurveItem(pen=pen, connect="pairs", antialias=width <= 1)
                curve.setSegmentedLineMode("on")
                self.links[sign, bucket] = curve
                plot.addItem(curve)
        self.neurons = pg.ScatterPlotItem(size=NEURON_SIZE, pen=pg.mkPen("#555", width=1), hoverable=True, tip=None)
        self.neurons.setZValue(10)
        self.neurons.sigHovered.connect(self._hovered)
        self.neurons.sigClicked.connect(self._hovered)
        self.ring = pg.ScatterPlotItem(size=NEURON_SIZE + 8, pen=pg.mkPen("#222", width=2), brush=None)
        self.ring.setZValue(11)
        for item in (self.neurons, self.ring):
            plot.addItem(item)
        levels = np.linspace(0.0, 1.0, BIAS_SHADES)
        self._bias_brushes = [pg.mkBrush(c) for c in class_colormap().map(levels, mode="qcolor")]
        self._input_brush = pg.mkBrush("#d0d0d0")

    # -- drawing ------------------------------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Restyle the links and neurons from ``snapshot.weights``; show its neuron field if it is ours."""
        self._last = snapshot
        if not self.isVisible():
            self._stale = True  # drawn when shown: a hidden tab costs nothing
            return
        self._stale = False
        layers = linear_weights(snapshot.weights)
        if not layers:
            return
        widths = [layers[0][0].shape[1], *(w.shape[0] for w, _ in layers)]
        if widths != self.widths:
            self._layout(widths)
        self._style_links([w for w, _ in layers])
        self._style_neurons([b for _, b in layers])
        self._show_field(snapshot)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale and self._last is not None:
            self.show_snapshot(self._last)

    def _layout(self, widths: list[int]) -> None:
        """Place the neurons of a new architecture (only when the layer sizes change)."""
        self.widths = widths
        self._drawn = [min(width, self.max_neurons) for width in widths]
        self._positions = [
            np.column_stack([np.full(n, float(layer)), (n - 1) / 2 - np.arange(n, dtype=float)])
            for layer, n in enumerate(self._drawn)
        ]
        self._segments = np.concatenate([self._layer_segments(k) for k in range(1, len(widths))])
        spots = [(layer, index) for layer, n in enumerate(self._drawn) for index in range(n)]
        self.neurons.setData(pos=np.concatenate(self._positions), data=spots, brush=self._input_brush)
        self._name_columns()
        tallest = max(self._drawn)
        self.diagram.setRange(xRange=(-0.3, len(widths) - 0.7), yRange=(-tallest / 2, tallest / 2), padding=0.03)
        if self.selected is not None and not self._valid(self.selected):
            self.selected = None
            self.neuronSelected.emit(None)
        self._draw_ring()

    def _layer_segments(self, layer: int) -> np.ndarray:
        """The ``(2·links, 2)`` end points of the drawn links into ``layer``, ordered as ``W[:out, :in].ravel()``."""
        targets, sources = self._positions[layer], self._positions[layer - 1]
        out, inp = len(targets), len(sources)
        ends = np.empty((out, inp, 2, 2))
        ends[:, :, 0] = sources[None, :, :]
        ends[:, :, 1] = targets[:, None, :]
        return ends.reshape(-1, 2)

    def _name_columns(self) -> None:
        """Name each column on the bottom axis, with "16 of 128" under a capped layer, and say so below."""
        layers = len(self.widths)
        ticks, capped = [], []
        for layer, (shown, width) in enumerate(zip(self._drawn, self.widths, strict=True)):
            name = layer_name(layer, layers).replace("hidden layer ", "hidden ")
            ticks.append((layer, f"{name}\n{shown} of {width}" if shown < width else f"{name}\n{width}"))
            if shown < width:
                capped.append(f"{layer_name(layer, layers)}: showing {shown} of {width} neurons")
        self.column_labels = [label for _, label in ticks]
        self.axis.setTicks([ticks])
        self.cap_label.setText("; ".join(capped) + (" (the first ones)." if capped else ""))
        self.cap_label.setVisible(bool(capped))

    def _style_links(self, weights: list[np.ndarray]) -> None:
        values, strengths = [], []
        for layer, w in enumerate(weights, start=1):
            drawn = w[: self._drawn[layer], : self._drawn[layer - 1]].ravel()
            scale = float(np.max(np.abs(w))) if w.size else 0.0
            values.append(drawn)
            strengths.append(np.abs(drawn) / scale if scale > 0 else np.zeros_like(drawn))
        value, strength = np.concatenate(values), np.concatenate(strengths)
        buckets = np.minimum((np.nan_to_num(strength) * len(LINK_WIDTHS)).astype(int), len(LINK_WIDTHS) - 1)
        signs = np.where(value >= 0, POSITIVE, NEGATIVE)
        for (sign, bucket), curve in self.links.items():
            ends = self._segments[np.repeat((signs == sign) & (buckets == bucket), 2)]
            curve.setData(ends[:, 0], ends[:, 1], connect="pairs")

    def _style_neurons(self, biases: list[np.ndarray | None]) -> None:
        """Inputs grey; every other neuron coloured by its bias: 0.5 ± ½·b / max |b| of its layer."""
        colors = [np.full(self._drawn[0], 0.5)]
        for layer, bias in enumerate(biases, start=1):
            n = self._drawn[layer]
            if bias is None:
                colors.append(np.full(n, 0.5))
                continue
            scale = float(np.max(np.abs(bias))) if bias.size else 0.0
            colors.append(0.5 + 0.5 * bias[:n] / scale if scale > 0 else np.full(n, 0.5))
        levels = np.clip(np.nan_to_num(np.concatenate(colors), nan=0.5), 0.0, 1.0)
        shades = np.rint(levels * (BIAS_SHADES - 1)).astype(int).tolist()
        brushes = [self._bias_brushes[shade] for shade in shades]
        brushes[: self._drawn[0]] = [self._input_brush] * self._drawn[0]
        self.neurons.setBrush(brushes)

    # -- the selected neuron -----------------------------------------------------------------------
    def select(self, layer: int, index: int) -> None:
        """Select neuron ``index`` of ``layer`` (what a hover or a click does); tells ``neuronSelected``."""
        if (layer, index) == self.selected or not self._valid((layer, index)):
            return
        self.selected = (layer, index)
        self._draw_ring()
        self.field_label.setText(f"<b>{neuron_name(layer, index, len(self.widths))}</b><br>computing…")
        self.neuronSelected.emit(self.selected)

    def _valid(self, neuron: tuple[int, int]) -> bool:
        layer, index = neuron
        return 0 <= layer < len(self._drawn) and 0 <= index < self._drawn[layer]

    def _hovered(self, _item: pg.ScatterPlotItem, points: list, _event: object) -> None:
        if len(points):
            self.select(*points[0].data())

    def _draw_ring(self) -> None:
        if self.selected is None:
            self.ring.setData(pos=np.zeros((0, 2)))
            return
        layer, index = self.selected
        self.ring.setData(pos=self._positions[layer][index : index + 1])

    def _show_field(self, snapshot: Snapshot) -> None:
        if snapshot.neuron_field is None or snapshot.neuron is None or tuple(snapshot.neuron) != self.selected:
            return
        field = snapshot.neuron_field
        if not np.all(np.isfinite(field)):
            return
        low, high = float(field.min()), float(field.max())
        scale = max(abs(low), abs(high), 1e-12)
        self.field_image.setImage(field, autoLevels=False, levels=(-scale, scale))
        x0, x1, y0, y1 = snapshot.extent
        self.field_image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.field_view.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        layer, index = snapshot.neuron
        self.field_label.setText(
            f"<b>{neuron_name(layer, index, len(self.widths))}</b><br>activation over the data domain<br>"
            f"{field_range_text(low, high)}<br>"
            f"<span style='color:{CLASS0}'>■</span> &lt; 0 &nbsp; <span style='color:{CLASS1}'>■</span> &gt; 0"
        )


def field_range_text(low: float, high: float) -> str:
    """``from -0.2 to 1.3``; a dead neuron (its output the same everywhere) ``inactive everywhere``, or
    ``constant = 0.37 everywhere``."""
    if f"{low:.3g}" != f"{high:.3g}":
        return f"from {low:.3g} to {high:.3g}"
    return "inactive everywhere" if low == high == 0 else f"constant = {low:.3g} everywhere"


def _over_white(color: str, shade: float) -> QColor:
    """``color`` mixed with white: ``shade`` 1 is the colour itself, 0 white."""
    rgb = np.array(pg.mkColor(color).getRgb()[:3], dtype=float)
    return QColor(*(255 - shade * (255 - rgb)).round().astype(int).tolist())


def _thumbnail() -> tuple[pg.GraphicsLayoutWidget, pg.ViewBox, pg.ImageItem]:
    """A small square view holding one `ImageItem` in the diverging colours."""
    widget = pg.GraphicsLayoutWidget()
    widget.setObjectName("neuronThumbnail")
    widget.setBackground("w")
    widget.setFixedSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE)
    widget.ci.setContentsMargins(1, 1, 1, 1)
    view = widget.addViewBox(lockAspect=True, enableMouse=False, enableMenu=False)
    view.setBorder(pg.mkPen("#999"))
    image = pg.ImageItem(axisOrder="col-major")
    image.setColorMap(diverging_colormap())
    view.addItem(image)
    return widget, view, image
