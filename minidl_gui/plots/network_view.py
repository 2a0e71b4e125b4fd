"""`NetworkView`: the network as a diagram — neurons in columns, links coloured by the sign of their
weight and drawn thicker with its magnitude — and the activation field of the neuron under the mouse.

The input column is TensorFlow Playground's: one node per input feature (all of `FEATURE_NAMES`), each
showing its feature's field over the plotted domain as a thumbnail (`feature_fields`, recomputed only when
the domain changes). The features the network takes are drawn solid and linked, the others faded; a click on
an input node asks for that feature to be toggled (``featureToggled``): the control panel owns the
configuration, and this view shows it back (``set_features``). The output column has one node per output:
k for k classes, filled with the class colours.

Links are grouped by (sign, thickness bucket) into a fixed set of `PlotCurveItem`s with
``connect="pairs"``, so an update of any network is a handful of ``setData`` calls. A layer wider
than ``max_neurons`` shows its first ``max_neurons`` neurons and says so. The field of the selected
neuron comes computed from the worker (``Snapshot.neuron_field``): this view only asks for it, with
``neuronSelected``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from minidl.features import DEFAULT_FEATURES, FEATURE_NAMES
from minidl.problem import Problem
from minidl_gui.model.feature_fields import FEATURE_FORMULAS, FEATURE_LABELS, all_feature_fields
from minidl_gui.model.network_frame import BIAS_SHADES, NEGATIVE, POSITIVE, network_frame
from minidl_gui.model.network_layout import MAX_NEURONS, DiagramLayout
from minidl_gui.model.snapshot import Snapshot
from minidl_gui.plots.style import CLASS0, CLASS1, MIDDLE, class_colormap, class_colours

LINK_WIDTHS = (1.0, 1.0, 2.0, 3.0)
"""Pen widths (px) of the links whose |w| / max |w| of their layer falls in each quarter."""

LINK_SHADES = (0.3, 0.55, 0.8, 1.0)
"""How much of the link colour (over white) each quarter gets. Opaque pens, drawn as separate
segments, with antialiasing only for the 1 px ones: what Qt's raster engine draws fastest (a 3×25
network in a few milliseconds, where translucent antialiased wide lines take tens)."""
LINK_COLORS = {NEGATIVE: CLASS0, POSITIVE: CLASS1}
"""Negative weights orange, positive blue: the decision plot's colours for outputs below / above 0.5."""

NEURON_SIZE = 11
THUMBNAIL_SIZE = 130
INPUT_SIZE = 26
"""Side (px) of an input node: its feature's field as a small image."""
RIGHT_MARGIN = 30
"""Room (px) right of the output column, for its name under it."""
SHORT_NAMES_BELOW = 64
"""Columns closer than this (px) are named h1, h2, … instead of hidden 1, hidden 2, … (no label overlaps)."""
FADED = 0.3
"""Opacity of the thumbnail of a feature the network does not take."""
INPUT_PEN, FADED_PEN = pg.mkPen("#333", width=1.5), pg.mkPen("#bbb", width=1)


def diverging_colormap() -> pg.ColorMap:
    """Field values: negative → orange, 0 → near white, positive → blue (the decision plot's colours)."""
    return pg.ColorMap([0.0, 0.5, 1.0], [CLASS0, MIDDLE, CLASS1])


def layer_name(layer: int, layers: int) -> str:
    """``"input"``, ``"hidden layer k"`` or ``"output"`` for diagram column ``layer`` of ``layers``."""
    if layer == 0:
        return "input"
    return "output" if layer == layers - 1 else f"hidden layer {layer}"


def neuron_name(layer: int, index: int, layers: int, problem: Problem | None = None) -> str:
    """How the field label names a neuron; input ``index`` is the feature ``FEATURE_NAMES[index]``."""
    if layer == 0:
        return f"input {FEATURE_LABELS[FEATURE_NAMES[index]]}" if index < len(FEATURE_NAMES) else f"input {index + 1}"
    if layer == layers - 1:
        if problem is not None and problem.kind == "multiclass":
            return f"output {index + 1}: the logit of class {index}"
        return "output" if index == 0 else f"output {index + 1}"
    return f"hidden layer {layer}, neuron {index + 1}"


class NetworkView(QWidget):
    """The diagram (``show_snapshot`` restyles items created once) and the selected neuron's field.

    ``neuronSelected`` sends ``(layer, index)`` when the mouse hovers or clicks another neuron of a layer
    above the input, None when the network changed under the selection or an input node is selected:
    hovering input node ``i`` shows the field of feature ``FEATURE_NAMES[i]``, computed here.
    ``featureToggled(name)`` asks for a feature to be toggled (a click on its input node). ``widths`` are the
    model's layer widths (its inputs first).
    """

    neuronSelected = Signal(object)  # noqa: N815 (Qt naming)
    featureToggled = Signal(str)  # noqa: N815

    def __init__(self, max_neurons: int = MAX_NEURONS) -> None:
        super().__init__()
        self.setObjectName("networkView")
        self.max_neurons = max_neurons
        self.selected: tuple[int, int] | None = None
        self.widths: list[int] = []
        self.column_labels: list[str] = []
        self.features: tuple[str, ...] = DEFAULT_FEATURES
        """The configuration's features (`set_features`)."""
        self.inputs: tuple[str, ...] = ()
        """The features the drawn model takes, in its input order."""
        self.problem = Problem()
        self._drawn: list[int] = []
        self._fields: dict[str, np.ndarray] = {}
        self._fields_extent: tuple[float, ...] = ()
        self._short_names = False
        self._last: Snapshot | None = None
        self._stale = False
        self._shown_layout: DiagramLayout | None = None
        self._links_shown: dict[tuple[int, int], np.ndarray] = {}
        self._shades_shown: np.ndarray | None = None
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
            " thicker = larger <nobr>|w|</nobr> in the layer; neuron fill = bias. Hover a neuron;"
            " click an input feature to use it or not."
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
        self.neurons.sigClicked.connect(self._clicked)
        self.ring = pg.ScatterPlotItem(size=NEURON_SIZE + 8, pen=pg.mkPen("#222", width=2), brush=None)
        self.ring.setZValue(11)
        for item in (self.neurons, self.ring):
            plot.addItem(item)
        levels = np.linspace(0.0, 1.0, BIAS_SHADES)
        self._bias_brushes = [pg.mkBrush(c) for c in class_colormap().map(levels, mode="qcolor")]
        self._input_brush = pg.mkBrush(0, 0, 0, 0)  # see-through: the feature's image shows
        self.input_images: dict[str, pg.ImageItem] = {}
        self.input_labels: dict[str, pg.TextItem] = {}
        for name in FEATURE_NAMES:
            image = pg.ImageItem(axisOrder="col-major")
            image.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)  # INPUT_SIZE px at any zoom
            image.setColorMap(diverging_colormap())
            image.setZValue(5)
            label = pg.TextItem(FEATURE_LABELS[name], color="#333", anchor=(1.0, 0.5))
            self.input_images[name], self.input_labels[name] = image, label
            plot.addItem(image)
            plot.addItem(label)
        self._label_width = max(label.textItem.boundingRect().width() for label in self.input_labels.values())
        plot.vb.sigResized.connect(self._fit_range)

    # -- drawing ------------------------------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Restyle the links and neurons from ``snapshot.network`` (the diagram prepared by the worker; made here
        from ``snapshot.weights`` when it brings none or was laid out for other features); show its neuron
        field if it is ours."""
        self._last = snapshot
        if not self.isVisible():
            self._stale = True  # drawn when shown: a hidden tab costs nothing
            return
        self._stale = False
        self._show_feature_fields(snapshot.extent)
        frame = snapshot.network
        if frame is None or (frame.layout.features, frame.layout.max_neurons) != (self.features, self.max_neurons):
            frame = network_frame(snapshot.weights, self.features, self.max_neurons, self._shown_layout)
        if frame is None:
            return
        layout = frame.layout
        if (list(layout.widths), layout.inputs) != (self.widths, self.inputs) or snapshot.problem != self.problem:
            self.problem = snapshot.problem
            self._layout(layout)
        self._shown_layout = layout
        self._style_links(frame.links)
        self._style_neurons(frame.shades)
        self._show_field(snapshot)

    def set_features(self, features: Sequence[str]) -> None:
        """Show ``features`` as the ones the network takes (the configuration's): solid, the others faded. The
        links follow with the next snapshot of a model taking them."""
        self.features = tuple(features)
        self._fade_inputs()
        if self._last is not None:
            self.show_snapshot(self._last)

    def _fade_inputs(self) -> None:
        for name, image in self.input_images.items():
            image.setOpacity(1.0 if name in self.features else FADED)
            self.input_labels[name].setColor("#222" if name in self.features else "#aaa")

    def _show_feature_fields(self, extent: tuple[float, float, float, float]) -> None:
        """Draw each feature's field over ``extent`` in its input node (computed again only for a new extent)."""
        if tuple(extent) == self._fields_extent:
            return
        self._fields_extent = tuple(extent)
        self._fields = all_feature_fields(extent)
        for name, field in self._fields.items():
            scale = max(float(np.max(np.abs(field))), 1e-12)
            # Device y grows downwards (the image ignores the view's flip): the last column of y at the top.
            image = self.input_images[name]
            image.setImage(field[:, ::-1], autoLevels=False, levels=(-scale, scale))
            image.setRect(QRectF(-INPUT_SIZE / 2, -INPUT_SIZE / 2, INPUT_SIZE, INPUT_SIZE))  # px, centred

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale and self._last is not None:
            self.show_snapshot(self._last)

    def _layout(self, layout: DiagramLayout) -> None:
        """Place the neurons of a new architecture (only when the layer sizes or the features change) where
        ``layout`` puts them: the input column holds every feature; the model's inputs link from the nodes of
        ``layout.inputs``."""
        self.widths, self.inputs = list(layout.widths), layout.inputs
        inputs = layout.inputs
        self._drawn = list(layout.drawn)
        tallest = layout.tallest
        self._positions = list(layout.positions)
        self._links_shown = {}
        self._shades_shown = None
        spots = [(layer, index) for layer, n in enumerate(self._drawn) for index in range(n)]
        inputs_drawn = len(FEATURE_NAMES)
        pens = [INPUT_PEN if name in inputs else FADED_PEN for name in FEATURE_NAMES]
        pens += [pg.mkPen("#555", width=1)] * (len(spots) - inputs_drawn)
        self.neurons.setData(
            pos=np.concatenate(self._positions),
            data=spots,
            brush=self._input_brush,
            symbol=["s"] * inputs_drawn + ["o"] * (len(spots) - inputs_drawn),
            size=[INPUT_SIZE] * inputs_drawn + [NEURON_SIZE] * (len(spots) - inputs_drawn),
            pen=pens,
        )
        for name, (_, y) in zip(FEATURE_NAMES, self._positions[0], strict=True):
            self.input_images[name].setPos(0.0, y)
        self._name_columns()
        top = max(tallest / 2, float(self._positions[0][0, 1]) + 0.5)
        self.diagram.setYRange(-top, top, padding=0.03)
        self._fit_range()
        if self.selected is not None and not self._valid(self.selected):
            self.selected = None
            self.neuronSelected.emit(None)
        self._draw_ring()

    def _fit_range(self) -> None:
        """The x range: the columns at 0, 1, …, with just the room in pixels that the feature labels take on the
        left and the last column's name on the right; the labels placed there (again after each resize)."""
        if not self._drawn:
            return
        span = len(self.widths) - 1
        width = self.diagram.vb.width()
        left_px = INPUT_SIZE / 2 + 6 + self._label_width
        pixels = max(width - left_px - RIGHT_MARGIN, 1.0) / span  # per unit
        self.diagram.setXRange(-left_px / pixels, span + RIGHT_MARGIN / pixels, padding=0)
        short = pixels < SHORT_NAMES_BELOW
        if short != self._short_names:
            self._short_names = short
            self._name_columns()
        for name, (_, y) in zip(FEATURE_NAMES, self._positions[0], strict=True):
            self.input_labels[name].setPos(-(INPUT_SIZE / 2 + 3) / pixels, y)

    def _name_columns(self) -> None:
        """Name each column on the bottom axis, with "16 of 128" under a capped layer, and say so below."""
        layers = len(self.widths)
        ticks, capped = [], []
        for layer, (shown, width) in enumerate(zip([self.widths[0], *self._drawn[1:]], self.widths, strict=True)):
            name = layer_name(layer, layers).replace("hidden layer ", "h" if self._short_names else "hidden ")
            ticks.append((layer, f"{name}\n{shown} of {width}" if shown < width else f"{name}\n{width}"))
            if shown < width:
                capped.append(f"{layer_name(layer, layers)}: showing {shown} of {width} neurons")
        self.column_labels = [label for _, label in ticks]
        self.axis.setTicks([ticks])
        self.cap_label.setText("; ".join(capped) + (" (the first ones)." if capped else ""))
        self.cap_label.setVisible(bool(capped))

    def _style_links(self, links: dict[tuple[int, int], np.ndarray]) -> None:
        """Hand each (sign, bucket) group's segments to its curve, unless it shows these already."""
        for key, curve in self.links.items():
            ends = links[key]
            if self._links_shown.get(key) is not ends:
                curve.setData(ends[:, 0], ends[:, 1], connect="pairs")
                self._links_shown[key] = ends

    def _style_neurons(self, shades: np.ndarray) -> None:
        """Inputs see-through (their image shows); every other neuron in its bias shade (`neuron_shades`);
        k class outputs in their class's colour. Set only when the shades changed."""
        if shades is self._shades_shown:
            return
        self._shades_shown = shades
        brushes = [self._bias_brushes[shade] for shade in shades.tolist()]
        brushes[: self._drawn[0]] = [self._input_brush] * self._drawn[0]
        if self.problem.kind == "multiclass":
            outputs = self._drawn[-1]
            brushes[-outputs:] = [pg.mkBrush(colour) for colour in class_colours(self.problem)[:outputs]]
        self.neurons.setBrush(brushes)

    # -- the selected neuron -----------------------------------------------------------------------
    def select(self, layer: int, index: int) -> None:
        """Select neuron ``index`` of ``layer`` (what a hover or a click does); tells ``neuronSelected``."""
        if (layer, index) == self.selected or not self._valid((layer, index)):
            return
        self.selected = (layer, index)
        self._draw_ring()
        if layer == 0:
            self._show_feature(FEATURE_NAMES[index])
            self.neuronSelected.emit(None)  # computed here: the worker need not send a field
            return
        self.field_label.setText(f"<b>{neuron_name(layer, index, len(self.widths), self.problem)}</b><br>computing…")
        self.neuronSelected.emit(self.selected)

    def _show_feature(self, name: str) -> None:
        """Show feature ``name``'s field (computed here: it needs no model) and whether the network takes it."""
        field = self._fields.get(name)
        if field is not None:
            scale = max(float(np.max(np.abs(field))), 1e-12)
            self.field_image.setImage(field, autoLevels=False, levels=(-scale, scale))
            x0, x1, y0, y1 = self._fields_extent
            self.field_image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
            self.field_view.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        used = "the network takes it — click to leave it out" if name in self.features else "not used — click to use it"
        self.field_label.setText(
            f"<b>input feature {FEATURE_LABELS[name]}</b><br>{FEATURE_FORMULAS[name]}<br>{used}<br>"
            f"<span style='color:{CLASS0}'>■</span> &lt; 0 &nbsp; <span style='color:{CLASS1}'>■</span> &gt; 0"
        )

    def toggle_feature(self, index: int) -> None:
        """Ask for feature ``FEATURE_NAMES[index]`` to be toggled (what a click on its input node does)."""
        self.featureToggled.emit(FEATURE_NAMES[index])

    def _valid(self, neuron: tuple[int, int]) -> bool:
        layer, index = neuron
        return 0 <= layer < len(self._drawn) and 0 <= index < self._drawn[layer]

    def _hovered(self, _item: pg.ScatterPlotItem, points: list, _event: object) -> None:
        if len(points):
            self.select(*points[0].data())

    def _clicked(self, _item: pg.ScatterPlotItem, points: list, _event: object) -> None:
        if not len(points):
            return
        layer, index = points[0].data()
        self.select(layer, index)
        if layer == 0:
            self.toggle_feature(index)

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
        if layer == 0:
            return  # an input: its feature's field is shown from here (`_show_feature`)
        self.field_label.setText(
            f"<b>{neuron_name(layer, index, len(self.widths), self.problem)}</b><br>activation over the data domain<br>"
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
