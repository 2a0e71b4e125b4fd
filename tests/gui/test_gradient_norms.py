"""Per-layer gradient norms: against torch autograd, harmless to training, recorded every epoch, plotted."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
import torch

import minidl_gui.model.epoch_records as epoch_records
from minidl.architectures import mlp
from minidl.losses import BCEWithLogitsLoss, MSELoss
from minidl_gui.model.gradient_norms import LayerNorms, gradient_norms
from minidl_gui.model.history import History
from minidl_gui.model.session import Session
from minidl_gui.plots.gradient_norms import GradientNormsView
from minidl_gui.worker_commands import Train

TIMEOUT = 20_000


def torch_norms(model, x: torch.Tensor, y: torch.Tensor, activation, loss) -> list[float]:
    """The same network in plain torch ops, its weight gradients from autograd."""
    state = {name: p.clone().requires_grad_(True) for name, p in model.state_dict().items()}
    weights = [state[name] for name in state if name.endswith("weight")]
    biases = [state[name] for name in state if name.endswith("bias")]
    h = x
    for index, (w, b) in enumerate(zip(weights, biases, strict=True)):
        h = h @ w.T + b
        if index < len(weights) - 1:
            h = activation(h)
    loss(h, y).backward()
    return [torch.linalg.vector_norm(w.grad).item() for w in weights]


@pytest.mark.parametrize(
    ("activation", "criterion", "loss"),
    [
        ("tanh", MSELoss, torch.nn.functional.mse_loss),
        ("relu", BCEWithLogitsLoss, torch.nn.functional.binary_cross_entropy_with_logits),
    ],
)
def test_norms_match_torch_autograd_and_leave_the_gradients_alone(activation, criterion, loss):
    model = mlp(hidden=[5, 4], activation=activation, seed=7, dtype=torch.float64)
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(30, 2, generator=generator, dtype=torch.float64)
    y = (x[:, :1] * x[:, 1:] > 0).double()
    before = [torch.full_like(grad, 0.25) for _, grad in model.named_gradients()]
    for (_, grad), value in zip(model.named_gradients(), before, strict=True):
        grad.copy_(value)
    model.accumulate_grad = False  # as training leaves it mid-epoch
    norms = gradient_norms(model, criterion(), x, y)
    expected = torch_norms(model, x, y, getattr(torch, activation), loss)
    torch.testing.assert_close(torch.from_numpy(norms), torch.tensor(expected, dtype=torch.float64))
    assert model.accumulate_grad is False
    for (_, grad), value in zip(model.named_gradients(), before, strict=True):
        torch.testing.assert_close(grad, value)


def test_no_data_gives_nan_norms():
    model = mlp(hidden=[3])
    norms = gradient_norms(model, MSELoss(), torch.zeros(0, 2), torch.zeros(0, 1))
    assert norms.shape == (2,) and np.all(np.isnan(norms))


def test_measuring_the_norms_does_not_change_the_training(small_config, monkeypatch):
    measured = Session(small_config)
    generator = measured.epochs()
    with_norms = [next(generator).train_loss for _ in range(4)]
    monkeypatch.setattr(epoch_records, "gradient_norms", lambda model, *_: np.zeros(3))
    plain = Session(small_config)
    generator = plain.epochs()
    without = [next(generator).train_loss for _ in range(4)]
    assert with_norms == without
    norms = measured.history.gradient_norms.values()
    assert norms.shape == (4, 3) and np.all(norms > 0) and np.all(np.isfinite(norms))
    np.testing.assert_array_equal(norms[-1], measured.history.records[-1].gradient_norms)


def test_layer_norms_grow_truncate_and_widen():
    table = LayerNorms()
    for epoch in range(100):
        table.append([epoch, 2 * epoch])
    table.append(None)
    assert table.values().shape == (101, 2) and np.all(np.isnan(table.values()[-1]))
    table.append([1.0, 2.0, 3.0])
    assert table.layers == 3 and math.isnan(table.values()[0, 2]) and table.values()[-1].tolist() == [1, 2, 3]
    table.truncate(10)
    assert len(table) == 10 and table.values()[9, 1] == 18
    table.truncate(0)
    assert table.layers == 0
    with pytest.raises(ValueError):
        table.values()[0:1] = 1.0  # read-only


def test_the_window_history_mirrors_the_norms(small_config):
    session = Session(small_config)
    generator = session.epochs()
    records = [next(generator) for _ in range(3)]
    mirror = History()
    mirror.extend(records)
    np.testing.assert_array_equal(mirror.gradient_norms.values(), session.history.gradient_norms.values())
    mirror.truncate(1)
    assert mirror.gradient_norms.values().shape == (1, 3)


def test_the_plot_draws_every_layer_on_a_log_axis(qtbot, small_config):
    session = Session(small_config)
    generator = session.epochs()
    for _ in range(5):
        next(generator)
    view = GradientNormsView()
    qtbot.addWidget(view)
    view.show_history(session.history)  # hidden: drawn when shown
    assert view.curves == []
    view.show()
    qtbot.waitUntil(lambda: len(view.curves) == 3)
    assert view.plot_widget.getPlotItem().ctrl.logYCheck.isChecked()
    for layer, curve in enumerate(view.curves):
        x, y = curve.getOriginalDataset()
        np.testing.assert_array_equal(x, [1, 2, 3, 4, 5])
        np.testing.assert_array_equal(y, session.history.gradient_norms.values()[:, layer])
    assert "W3" in view.readout.text()
    labels = [label.text for _, label in view.legend.items]
    assert labels == ["W1 (hidden 1)", "W2 (hidden 2)", "W3 (output)"]


def test_a_real_training_fills_the_gradients_tab(qtbot, playground, small_config):
    config = replace(small_config, training=replace(small_config.training, max_epochs=6))
    controller = playground(config)
    window = controller.window
    controller.submit(Train())
    qtbot.waitUntil(lambda: window.toolbar.state == "done", timeout=TIMEOUT)
    window.side_tabs.setCurrentWidget(window.gradients)  # drawn on show, from the window's own history
    view = window.gradients
    qtbot.waitUntil(lambda: len(view.curves) == 3, timeout=TIMEOUT)
    assert window.history.gradient_norms.values().shape == (6, 3)
    for curve in view.curves:
        x, y = curve.getOriginalDataset()
        assert len(x) == 6 and np.all(np.isfinite(y)) and np.all(y > 0)
