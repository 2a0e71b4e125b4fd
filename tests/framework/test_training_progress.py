"""`Trainer.run(progress_every=…)`: `EpochProgress` items between two optimizer steps, changing nothing of the training.

``progress_every=0`` asks for an item after every step but an epoch's last (no clock involved); the timing
semantics are checked with a fake clock that advances one second per optimizer step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple, fields
from types import SimpleNamespace
from typing import Any

import pytest
import torch
from torch import Tensor

import minidl
import minidl.training.trainer as trainer_module
from minidl.data import make_disc
from minidl.training import EpochProgress, EpochResult, StopRules, Trainer, TrainingDiverged
from minidl.training.fast_path import flushes_denormals

POINTS, BATCH = 22, 4  # 6 steps per epoch, the last one a batch of 2
STEPS = 6
TIMINGS = ("elapsed", "steps_per_second")


def make_trainer(epochs: int = 3, optimizer: str = "adam", seed: int = 0, mse: bool = False) -> Trainer:
    """A small classification with test and validation data: every metric of a result is exercised. ``mse``: an MSE
    loss on a linear output instead of the BCE on a sigmoid (that one can diverge)."""
    x, y = make_disc(POINTS, seed=seed)
    test, validation = make_disc(10, seed=seed + 1), make_disc(8, seed=seed + 2)
    output, criterion = ("identity", minidl.MSELoss()) if mse else ("sigmoid", minidl.BCELoss())
    model = minidl.mlp(2, (8, 8), 1, activation="tanh", output_activation=output, seed=seed)
    opt = (
        minidl.Adam(model.param(), lr=0.02) if optimizer == "adam" else minidl.SGD(model.param(), lr=0.1, momentum=0.9)
    )
    stop = StopRules(max_epochs=epochs)
    return Trainer(model, criterion, opt, (x, y), test, validation=validation, batch_size=BATCH, stop=stop, seed=0)


def untimed(result: EpochResult) -> tuple[Any, ...]:
    """Everything a result says but its timings (wall-clock dependent)."""
    return tuple(getattr(result, f.name) for f in fields(result) if f.name not in TIMINGS)


def weights(trainer: Trainer) -> list[Tensor]:
    return [t.clone() for t in trainer.optimizer.params_and_state()]


def assert_same_tensors(a: list[Tensor], b: list[Tensor]) -> None:
    assert len(a) == len(b)
    assert all(torch.equal(x, y) for x, y in zip(a, b, strict=True))


def assert_fast_path_off(model: minidl.Module) -> None:
    assert not flushes_denormals()
    assert not torch.is_inference_mode_enabled()
    assert model.accumulate_grad and model.needs_input_grad


def results_of(items: list[Any]) -> list[EpochResult]:
    return [item for item in items if isinstance(item, EpochResult)]


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_progress_items_change_no_result_nor_weight_bit_for_bit(optimizer: str) -> None:
    plain, observed = make_trainer(optimizer=optimizer), make_trainer(optimizer=optimizer)
    expected = list(plain.run())
    items = list(observed.run(progress_every=0))
    assert any(isinstance(item, EpochProgress) for item in items)
    assert [untimed(r) for r in results_of(items)] == [untimed(r) for r in expected]
    assert_same_tensors(weights(observed), weights(plain))
    assert observed.loader.generator.get_state().equal(plain.loader.generator.get_state())


def test_without_progress_every_only_results_come() -> None:
    assert all(isinstance(item, EpochResult) for item in make_trainer().run())
    assert all(isinstance(item, EpochResult) for item in make_trainer().run(progress_every=None))


def test_a_progress_item_comes_between_two_steps_and_numbers_them() -> None:
    trainer = make_trainer(epochs=2)
    seen = []
    for item in trainer.run(progress_every=0):
        if isinstance(item, EpochProgress):
            assert trainer.optimizer.step_count == (item.epoch - 1) * STEPS + item.step, "complete steps only"
            assert trainer.epoch == item.epoch - 1, "the epoch in progress is the next result's"
            assert_fast_path_off(trainer.model)
            seen.append(astuple(item))
        else:
            seen.append(("result", item.epoch))
    per_epoch = [(step, STEPS) for step in range(1, STEPS)]
    assert seen == [(1, *s) for s in per_epoch] + [("result", 1)] + [(2, *s) for s in per_epoch] + [("result", 2)]


def test_progress_items_are_frozen() -> None:
    item = EpochProgress(1, 2, 3)
    with pytest.raises(AttributeError):
        item.step = 4  # type: ignore[misc]


class FakeClock:
    """``perf_counter`` of a world where each optimizer step takes one second and nothing else takes time."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        return self.now

    def tick_per_step(self, trainer: Trainer) -> None:
        step = trainer.optimizer.step

        def timed_step() -> None:
            step()
            self.now += 1.0

        trainer.optimizer.step = timed_step  # type: ignore[method-assign]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(trainer_module, "time", SimpleNamespace(perf_counter=fake.perf_counter))
    return fake


def test_a_progress_item_comes_once_progress_every_seconds_of_training_passed(clock: FakeClock) -> None:
    trainer = make_trainer(epochs=2)
    clock.tick_per_step(trainer)
    items = []
    for item in trainer.run(progress_every=2.5):
        items.append(astuple(item) if isinstance(item, EpochProgress) else ("result", item.epoch))
        clock.now += 100.0  # the consumer's time: neither counted as training nor bringing the next item sooner
    # 2.5 s after (re)starting: after 3 steps; none after the last step (the result comes instead).
    assert items == [(1, 3, STEPS), ("result", 1), (2, 3, STEPS), ("result", 2)]


def test_the_consumer_s_time_counts_neither_in_elapsed_nor_in_steps_per_second(clock: FakeClock) -> None:
    trainer = make_trainer(epochs=2)
    clock.tick_per_step(trainer)
    results = []
    for item in trainer.run(progress_every=1.0):
        clock.now += 1000.0
        if isinstance(item, EpochResult):
            results.append(item)
    assert [(r.elapsed, r.steps_per_second) for r in results] == [(STEPS, 1.0), (2 * STEPS, 1.0)]
    assert trainer.elapsed == 2 * STEPS


def test_a_negative_progress_every_is_refused() -> None:
    with pytest.raises(ValueError, match="progress_every"):
        next(make_trainer().run(progress_every=-1.0))


def test_closing_the_run_at_a_progress_item_restores_every_global_switch(two_threads: None) -> None:
    trainer = make_trainer()
    run = trainer.run(progress_every=0)
    assert next(run) == EpochProgress(1, 1, STEPS)
    assert torch.get_num_threads() == 1, "one thread while the run is in progress, as between results"
    run.close()
    assert torch.get_num_threads() == 2
    assert_fast_path_off(trainer.model)
    assert trainer.epoch == 0


def test_divergence_with_progress_items_restores_the_last_finite_epoch() -> None:
    trainer = make_trainer(epochs=10, optimizer="sgd", mse=True)
    items = trainer.run(progress_every=0)
    while not isinstance(item := next(items), EpochResult) or item.epoch < 2:
        pass
    good = weights(trainer)
    trainer.optimizer.lr = 1e30
    progress = []
    with pytest.raises(TrainingDiverged, match="diverged at epoch 3") as error:
        for item in items:
            progress.append(astuple(item))
    assert progress == [(3, step, STEPS) for step in range(1, STEPS)], "epoch 3 went on to its end before failing"
    assert error.value.epoch == 3 and trainer.epoch == 2
    assert_same_tensors(weights(trainer), good)
    assert trainer.optimizer.step_count == 2 * STEPS
    assert_fast_path_off(trainer.model)


def forward_everything(trainer: Trainer) -> Callable[[], None]:
    """What the app's snapshot does at a progress item: the model on a grid and on the points, a weights copy."""
    grid = torch.cartesian_prod(torch.linspace(-1, 1, 7), torch.linspace(-1, 1, 7))

    def look() -> None:
        with torch.no_grad():
            trainer.model.forward(grid)
            trainer.model.forward(trainer.loader.x)
            trainer.evaluate(trainer.test)
        trainer.model.state_dict()

    return look


def test_a_consumer_running_the_model_at_progress_items_changes_no_result() -> None:
    plain, observed = make_trainer(), make_trainer()
    expected = list(plain.run())
    look = forward_everything(observed)
    items = []
    for item in observed.run(progress_every=0):
        if isinstance(item, EpochProgress):
            look()
        items.append(item)
    assert sum(isinstance(item, EpochProgress) for item in items) == 3 * (STEPS - 1)
    assert [untimed(r) for r in results_of(items)] == [untimed(r) for r in expected]
    assert_same_tensors(weights(observed), weights(plain))


def test_a_consumer_with_grad_mode_on_changes_no_result_either() -> None:
    plain, observed = make_trainer(), make_trainer()
    expected = list(plain.run())
    look = forward_everything(observed)
    results = []
    with torch.enable_grad():
        for item in observed.run(progress_every=0):
            assert torch.is_grad_enabled(), "the consumer's own grad mode at every item"
            look()
            if isinstance(item, EpochResult):
                results.append(item)
    assert [untimed(r) for r in results] == [untimed(r) for r in expected]
    assert_same_tensors(weights(observed), weights(plain))
