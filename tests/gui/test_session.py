"""The session, driven directly: training generator, live changes, resets, snapshots, divergence."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from minidl.training import EpochProgress, TrainingDiverged
from minidl_gui.model import session as session_module
from minidl_gui.model.config import LayerConfig
from minidl_gui.model.session import Session


def train(session: Session, epochs: int) -> list:
    generator = session.epochs()
    results = [next(generator) for _ in range(epochs)]
    generator.close()
    return results


def test_epochs_are_recorded_in_the_history(small_config):
    session = Session(small_config)
    results = train(session, 3)
    assert [r.epoch for r in results] == [1, 2, 3]
    np.testing.assert_array_equal(session.history.column("train_loss"), [r.train_loss for r in results])


def test_reset_replays_the_same_run(small_config):
    session = Session(small_config)
    first = [r.train_loss for r in train(session, 3)]
    session.reset()
    assert session.epoch == 0 and len(session.history) == 0
    assert [r.train_loss for r in train(session, 3)] == first


def test_reinitialise_draws_other_weights(small_config):
    session = Session(small_config)
    before = session.model.state_dict()["0.weight"].clone()
    session.reinitialise(seed=12345)
    assert session.config.network.seed == 12345
    assert not np.allclose(before.numpy(), session.model.state_dict()["0.weight"].numpy())


def test_training_changes_apply_live_without_reset(small_config):
    session = Session(small_config)
    train(session, 2)
    weights = session.model.state_dict()["0.weight"].clone()
    training = replace(small_config.training, lr=0.123, beta1=0.8, weight_decay=1e-3, l1=1e-4, batch_size=7)
    change = session.configure(replace(small_config, training=training))
    assert not change.reset and session.epoch == 2
    assert (session.optimizer.lr, session.optimizer.betas[0], session.optimizer.weight_decay) == (0.123, 0.8, 1e-3)
    assert session.optimizer.l1 == 1e-4 and session.trainer.batch_size == 7
    assert np.array_equal(weights.numpy(), session.model.state_dict()["0.weight"].numpy())
    assert [r.epoch for r in train(session, 1)] == [3]


def test_switching_the_optimizer_keeps_the_weights(small_config):
    session = Session(small_config)
    train(session, 1)
    training = replace(small_config.training, optimizer="sgd", momentum=0.9, nesterov=True, lr=0.05)
    session.configure(replace(small_config, training=training))
    assert type(session.optimizer).__name__ == "SGD" and session.optimizer.nesterov
    assert session.trainer.optimizer is session.optimizer and session.epoch == 1


@pytest.mark.parametrize("section", ["data", "network"])
def test_data_or_architecture_changes_reset_the_model(small_config, section):
    session = Session(small_config)
    train(session, 2)
    changed = (
        replace(small_config.data, n_train=150)
        if section == "data"
        else replace(small_config.network, hidden=(LayerConfig(5, "relu"),))
    )
    change = session.configure(replace(small_config, **{section: changed}))
    assert change.reset and section.capitalize() in change.message
    assert session.epoch == 0 and len(session.history) == 0
    assert len(session.train_data[0]) == (150 if section == "data" else 200)


def test_snapshot_sends_each_history_row_once(small_config):
    session = Session(small_config, resolution=20)
    train(session, 2)
    first = session.snapshot()
    train(session, 1)
    second = session.snapshot()
    assert (first.start, len(first.results), second.start, len(second.results)) == (0, 2, 2, 1)
    assert first.grid.shape == (20, 20) and first.epoch == 2
    assert first.train.x.shape == (200, 2) and first.train_wrong.shape == (200,)
    assert set(first.weights) == {"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"}
    session.reset()
    assert session.snapshot().start == 0


def test_grid_output_is_the_model_on_cell_centres(small_config):
    import torch

    session = Session(small_config, resolution=8)
    xs, ys = session.grid_axes()
    grid = session.grid_output()
    expected = session.model.forward(torch.tensor([[xs[3], ys[5]]], dtype=torch.float32)).item()
    assert grid[3, 5] == pytest.approx(expected, rel=1e-5)
    x0, x1, y0, y1 = session.extent
    assert x0 < xs[0] < xs[-1] < x1 and y0 < ys[0] < ys[-1] < y1


def test_divergence_keeps_the_last_finite_state(small_config):
    training = replace(small_config.training, optimizer="sgd", lr=100.0, batch_size=1)
    network = replace(small_config.network, hidden=(LayerConfig(32, "relu"),) * 3, init="normal", init_std=3.0)
    session = Session(replace(small_config, training=training, network=network))
    with pytest.raises(TrainingDiverged, match="learning rate"):
        train(session, 50)
    assert session.epoch == len(session.history)
    assert np.isfinite(session.grid_output()).all()


def test_progress_items_pass_through_and_set_the_progress_until_the_epoch_ends(small_config):
    session, plain = Session(small_config), Session(small_config)
    steps = len(session.trainer.loader)
    seen = []
    generator = session.epochs(progress_every=0)  # a pause after every step but an epoch's last
    for item in generator:
        if isinstance(item, EpochProgress):
            assert session.progress == (item.step, item.steps) and session.epoch == item.epoch - 1
            snapshot = session.snapshot()
            assert (snapshot.step, snapshot.steps, snapshot.epoch) == (item.step, steps, item.epoch - 1)
            assert snapshot.results == (), "an epoch is recorded when it ends"
            seen.append((item.epoch, item.step))
        else:
            assert session.progress == (0, 0)
            assert [r.epoch for r in session.snapshot().results] == [item.epoch]
            if item.epoch == 2:
                break
    generator.close()
    assert seen == [(epoch, step) for epoch in (1, 2) for step in range(1, steps)]
    expected = train(plain, 2)
    assert [untimed(r) for r in session.history.records] == [untimed(r) for r in expected]


def test_closing_the_epochs_in_the_middle_of_one_puts_the_progress_back(small_config):
    session = Session(small_config)
    generator = session.epochs(progress_every=0)
    assert isinstance(next(generator), EpochProgress) and session.progress == (1, len(session.trainer.loader))
    generator.close()
    assert session.progress == (0, 0) and session.snapshot().step == 0


def untimed(record) -> tuple:
    """A history row without its wall-clock timings."""
    return tuple(value for name, value in vars(record).items() if name not in ("elapsed", "steps_per_second"))


def test_a_snapshot_that_raised_sends_its_rows_with_the_next(small_config, monkeypatch):
    session = Session(small_config)
    train(session, 2)
    real = session_module.render_snapshot

    def broken(source, model, frames):
        raise ValueError("no picture today")

    monkeypatch.setattr(session_module, "render_snapshot", broken)
    with pytest.raises(ValueError, match="no picture"):
        session.snapshot()
    monkeypatch.setattr(session_module, "render_snapshot", real)
    snapshot = session.snapshot()
    assert (snapshot.start, [r.epoch for r in snapshot.results]) == (0, [1, 2]), "the window never got them"
