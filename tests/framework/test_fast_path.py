"""The global switches `Trainer.train_epoch` turns on for speed: on while it steps, restored after, even on errors."""

from __future__ import annotations

import pytest
import torch
from torch import Tensor

import minidl
from minidl.data import make_disc
from minidl.training import StopRules, Trainer
from minidl.training.fast_path import flushes_denormals


class SpyingMSE(minidl.MSELoss):
    """MSE that records, at every step, the switches in force around it."""

    def __init__(self, model: minidl.Sequential) -> None:
        super().__init__()
        self.model = model
        self.seen: set[tuple[bool, bool, bool]] = set()

    def forward(self, prediction: Tensor, target: Tensor) -> Tensor:
        self.seen.add((flushes_denormals(), torch.is_inference_mode_enabled(), self.model.accumulate_grad))
        return super().forward(prediction, target)


def flushing_supported() -> bool:
    supported = torch.set_flush_denormal(True)
    torch.set_flush_denormal(False)
    return supported


def trainer(criterion: minidl.MSELoss, model: minidl.Sequential, target_shape: tuple[int, ...] = (-1, 1)) -> Trainer:
    x, y = make_disc(12, seed=0)
    optimizer = minidl.Adam(model.param(), lr=0.01)
    return Trainer(model, criterion, optimizer, (x, y.view(target_shape)), batch_size=4, stop=StopRules(max_epochs=2))


def assert_all_restored(model: minidl.Sequential) -> None:
    assert not flushes_denormals()
    assert not torch.is_inference_mode_enabled()
    assert model.accumulate_grad and model.needs_input_grad


@pytest.mark.skipif(not flushing_supported(), reason="this CPU cannot flush denormals")
def test_denormals_are_flushed_while_an_epoch_steps_and_not_after() -> None:
    assert not flushes_denormals()
    model = minidl.mlp(2, (4,), 1, seed=0)
    criterion = SpyingMSE(model)
    trainer(criterion, model).train_epoch()
    assert criterion.seen == {(True, True, False)}, "every step: flushing, inference mode, gradients overwritten"
    assert_all_restored(model)


def test_every_switch_is_restored_when_an_epoch_raises(two_threads: None) -> None:
    model = minidl.mlp(2, (4,), 1, seed=0)
    run = trainer(minidl.MSELoss(), model, target_shape=(-1,)).run()
    with pytest.raises(ValueError, match="target shape"):
        next(run)
    assert_all_restored(model)
    assert torch.get_num_threads() == 2


def test_the_thread_count_is_one_between_results_and_restored_when_the_run_is_closed(two_threads: None) -> None:
    model = minidl.mlp(2, (4,), 1, seed=0)
    run = trainer(minidl.MSELoss(), model).run()
    next(run)
    assert torch.get_num_threads() == 1
    run.close()
    assert torch.get_num_threads() == 2
    assert_all_restored(model)
