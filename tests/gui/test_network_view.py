"""The network diagram: links styled by the weights of a snapshot, capped wide layers, neuron fields
computed by the worker (checked against a forward pass written out by hand) and shown in the window."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPoint, QPointF

from minidl_gui.model.activations_probe import layer_outputs, layer_widths, neuron_field
from minidl_gui.model.session import Session
from minidl_gui.model.snapshot import Points, Snapshot
from minidl_gui.plots.network_view import LINK_WIDTHS, NEGATIVE, POSITIVE, NetworkView
from minidl_gui.worker import TrainingWorker
from minidl_gui.worker_commands import Quit, SelectNeuron, Step, Train

TIMEOUT = 20_000


def snapshot(weights: dict[str, np.ndarray], **fields) -> Snapshot:
    empty = Points(np.zeros((0, 2)), np.zeros(0))
    return Snapshot(
        epoch=0,
        start=0,
        results=(),
        grid=np.zeros((4, 4)),
        extent=(-1.0, 1.0, -1.0, 1.0),
        data_version=1,
        custom_points=False,
        train=empty,
        test=empty,
        train_wrong=np.zeros(0, dtype=bool),
        test_wrong=np.zeros(0, dtype=bool),
        weights=weights,
        **fields,
    )


def drawn_links(view: NetworkView) -> int:
    return sum(0 if x is None else len(x) for x, _ in (curve.getData() for curve in view.links.values())) // 2


def link_style(view: NetworkView, source: tuple[float, float], target: tuple[float, float]) -> tuple[int, int]:
    """The (sign, bucket) of the one curve drawing the segment ``source → target``."""
    found = []
    for key, curve in view.links.items():
        x, y = curve.getData()
        if x is None or len(x) == 0:
            continue
        ends = np.column_stack([x, y]).reshape(-1, 2, 2)
        if np.any(np.all(np.isclose(ends, [source, target]), axis=(1, 2))):
            found.append(key)
    assert len(found) == 1, f"segment {source} → {target} drawn by {found}"
    return found[0]


@pytest.fixture
def view(qtbot) -> NetworkView:
    widget = NetworkView(max_neurons=16)
    widget.resize(360, 520)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_links_follow_the_sign_and_size_of_their_weight(view):
    # 2 → 2 → 1: hidden neuron 0 sits at y = 0.5, neuron 1 at y = -0.5; the output at 0. The input column holds
    # every feature, one unit apart from y = 3 down: x1 (input 0) at y = 3, x2 (input 1) at y = 2.
    w1 = np.array([[4.0, -0.5], [-2.9, 1.5]], dtype=np.float32)  # |w| / 4: 1, 0.125, 0.725, 0.375
    w2 = np.array([[-0.1, 0.2]], dtype=np.float32)  # |w| / 0.2: 0.5, 1 (normalised per layer)
    view.show_snapshot(snapshot({"0.weight": w1, "0.bias": np.zeros(2), "2.weight": w2, "2.bias": np.zeros(1)}))
    top = len(LINK_WIDTHS) - 1
    assert link_style(view, (0, 3), (1, 0.5)) == (POSITIVE, top)
    assert link_style(view, (0, 2), (1, 0.5)) == (NEGATIVE, 0)
    assert link_style(view, (0, 3), (1, -0.5)) == (NEGATIVE, 2)
    assert link_style(view, (0, 2), (1, -0.5)) == (POSITIVE, 1)
    assert link_style(view, (1, 0.5), (2, 0)) == (NEGATIVE, 2)
    assert link_style(view, (1, -0.5), (2, 0)) == (POSITIVE, top)
    assert [width for width in LINK_WIDTHS] == sorted(LINK_WIDTHS) and LINK_WIDTHS[0] < LINK_WIDTHS[-1]
    # The same items restyled when a weight flips: nothing is re-created.
    items = dict(view.links)
    view.show_snapshot(snapshot({"0.weight": -w1, "0.bias": np.zeros(2), "2.weight": w2, "2.bias": np.zeros(1)}))
    assert link_style(view, (0, 3), (1, 0.5)) == (NEGATIVE, top)
    assert view.links == items


def test_a_wide_layer_is_capped_and_says_so(view):
    rng = np.random.default_rng(0)
    weights = {"0.weight": rng.normal(size=(40, 2)), "2.weight": rng.normal(size=(1, 40))}
    view.show_snapshot(snapshot(weights))
    assert view.widths == [2, 40, 1]
    assert len(view.neurons.data) == 7 + 16 + 1  # every input feature, drawn or not
    assert view.cap_label.isVisible() and "showing 16 of 40" in view.cap_label.text()
    assert view.column_labels == ["input\n2", "hidden 1\n16 of 40", "output\n1"]
    assert drawn_links(view) == 2 * 16 + 16 * 1
    view.show_snapshot(snapshot({"0.weight": weights["0.weight"][:8], "2.weight": weights["2.weight"][:, :8]}))
    assert not view.cap_label.isVisible() and len(view.neurons.data) == 7 + 8 + 1


def test_hovering_a_neuron_selects_it(qtbot, view):
    weights = {"0.weight": np.ones((3, 2)), "2.weight": np.ones((1, 3))}
    view.show_snapshot(snapshot(weights))
    scene_point = view.diagram.vb.mapViewToScene(QPointF(1.0, 0.0))  # hidden neuron 1 (of 0, 1, 2)
    position = view.graphics.mapFromScene(scene_point)
    with qtbot.waitSignal(view.neuronSelected, timeout=TIMEOUT) as selected:
        qtbot.mouseMove(view.graphics.viewport(), QPoint(position.x() + 5, position.y()))
        qtbot.mouseMove(view.graphics.viewport(), position)
    assert selected.args == [(1, 1)] and view.selected == (1, 1)
    np.testing.assert_allclose(view.ring.getData()[1], [0.0])


def test_the_field_of_the_selected_neuron_is_shown_only_when_it_is_the_selected_one(view):
    weights = {"0.weight": np.ones((3, 2)), "2.weight": np.ones((1, 3))}
    view.show_snapshot(snapshot(weights))
    view.select(1, 2)
    field = np.linspace(-1, 2, 16).reshape(4, 4)
    view.show_snapshot(snapshot(weights, neuron=(1, 0), neuron_field=field))  # sent before the worker heard
    assert view.field_image.image is None
    view.show_snapshot(snapshot(weights, neuron=(1, 2), neuron_field=field))
    np.testing.assert_array_equal(view.field_image.image, field)
    assert view.field_image.levels.tolist() == [-2.0, 2.0]
    assert "hidden layer 1, neuron 3" in view.field_label.text()


def test_probe_outputs_match_a_forward_pass_written_out(small_config):
    session = Session(small_config)
    model = session.model
    x = torch.tensor([[0.1, 0.9], [0.5, -0.2], [1.3, 0.4]])
    state = model.state_dict()
    w1, b1, w2, b2, w3, b3 = (state[f"{i}.{name}"] for i in (0, 2, 4) for name in ("weight", "bias"))
    a1 = torch.tanh(x @ w1.T + b1)
    a2 = torch.tanh(a1 @ w2.T + b2)
    assert small_config.network.output_activation == "identity"
    out = a2 @ w3.T + b3
    outputs = layer_outputs(model, x)
    assert layer_widths(model) == [2, 8, 8, 1] and len(outputs) == 4
    for got, expected in zip(outputs, (x, a1, a2, out), strict=True):
        torch.testing.assert_close(got, expected)
    torch.testing.assert_close(neuron_field(model, x, 2, 5), a2[:, 5])
    assert neuron_field(model, x, 2, 8) is None and neuron_field(model, x, 4, 0) is None


def test_the_worker_adds_the_selected_neurons_field_to_its_snapshots(small_config):
    worker = TrainingWorker(Session(small_config, resolution=12))
    snapshots = []
    worker.yielded.connect(snapshots.append)
    worker.yielded.connect(lambda _: worker.snapshot_consumed())
    for command in (Step(), SelectNeuron((1, 3)), Step(), SelectNeuron((7, 0)), Quit()):
        worker.submit(command)
    worker.run()
    assert snapshots[0].neuron is None and snapshots[0].neuron_field is None
    with_field = snapshots[1]  # sent at once: the worker was paused
    assert with_field.neuron == (1, 3) and with_field.neuron_field.shape == (12, 12)
    assert snapshots[2].epoch == 2 and snapshots[2].neuron == (1, 3)
    assert snapshots[3].neuron is None and snapshots[3].neuron_field is None  # no such neuron
    # Recompute the field of the last snapshot with the trained weights, written out in float64.
    session = worker.session
    session.selected_neuron = (1, 3)
    xs, ys = (torch.from_numpy(a) for a in session.grid_axes())
    weights = {name: p.double() for name, p in session.model.state_dict().items()}
    points = torch.cartesian_prod(xs.double(), ys.double())
    expected = torch.tanh(points @ weights["0.weight"][3] + weights["0.bias"][3]).view(12, 12)
    np.testing.assert_allclose(session.snapshot().neuron_field, expected.numpy(), rtol=1e-5, atol=1e-6)


def test_the_window_shows_the_field_of_a_clicked_neuron_while_training(qtbot, playground):
    controller = playground()
    window = controller.window
    window.side_tabs.setCurrentWidget(window.network)
    controller.submit(Train(4))
    qtbot.waitUntil(lambda: window.toolbar.state == "paused", timeout=TIMEOUT)
    view = window.network
    assert view.widths == [2, 8, 8, 1]
    assert drawn_links(view) == 2 * 8 + 8 * 8 + 8
    view.select(2, 4)
    qtbot.waitUntil(lambda: window.last_snapshot.neuron == (2, 4), timeout=TIMEOUT)
    np.testing.assert_array_equal(view.field_image.image, window.last_snapshot.neuron_field)
    assert view.field_image.image.shape == (controller.session.resolution,) * 2


@pytest.mark.parametrize(("value", "says"), [(0.0, "inactive everywhere"), (0.37, "constant = 0.37 everywhere")])
def test_a_neuron_constant_over_the_domain_says_so_instead_of_a_range(view, value, says):
    weights = {"0.weight": np.ones((3, 2)), "2.weight": np.ones((1, 3))}
    view.show_snapshot(snapshot(weights))
    view.select(1, 1)
    view.show_snapshot(snapshot(weights, neuron=(1, 1), neuron_field=np.full((4, 4), value)))
    text = view.field_label.text()
    assert says in text and "from" not in text
    assert "hidden layer 1, neuron 2" in text
