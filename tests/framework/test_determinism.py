"""The same seed gives the same model, the same data and the same training, to the bit."""

from __future__ import annotations

import pytest
import torch

import minidl
from minidl.data import DATASETS, make_dataset
from minidl.init import INIT_NAMES
from minidl.training import StopRules, Trainer


@pytest.mark.parametrize("init", INIT_NAMES)
def test_mlp_weights_are_determined_by_the_seed(init: str) -> None:
    a, b, c = (minidl.mlp(init=init, seed=s) for s in (3, 3, 4))
    for (name, x), (_, y), (_, z) in zip(a.named_parameters(), b.named_parameters(), c.named_parameters(), strict=True):
        assert torch.equal(x, y), name
        if name.endswith("weight"):
            assert not torch.equal(x, z), name


def test_mlp_without_a_seed_differs_each_time() -> None:
    assert not torch.equal(minidl.mlp()[0].weight, minidl.mlp()[0].weight)


def test_mlp_seed_does_not_depend_on_the_global_generator() -> None:
    torch.manual_seed(0)
    a = minidl.mlp(seed=5)
    torch.manual_seed(1)
    torch.rand(10)
    assert torch.equal(a[0].weight, minidl.mlp(seed=5)[0].weight)


@pytest.mark.parametrize("name", list(DATASETS))
def test_data_sets_do_not_depend_on_the_global_generator(name: str) -> None:
    torch.manual_seed(0)
    a = make_dataset(name, 30, seed=2)
    torch.manual_seed(1)
    assert torch.equal(a[0], make_dataset(name, 30, seed=2)[0])


def run(seed: int) -> tuple[list[float], list[torch.Tensor]]:
    model = minidl.mlp(2, (6, 6), 1, seed=seed)
    optimizer = minidl.Adam(model.param(), lr=0.01)
    data = minidl.data.make_disc(60, seed=seed)
    results = Trainer(
        model, minidl.MSELoss(), optimizer, data, batch_size=5, stop=StopRules(max_epochs=3), seed=seed
    ).run()
    return [r.train_loss for r in results], [p.clone() for p in model.parameters()]


def test_training_is_determined_by_the_seeds() -> None:
    (losses_a, params_a), (losses_b, params_b), (losses_c, _) = run(1), run(1), run(2)
    assert losses_a == losses_b
    assert all(torch.equal(a, b) for a, b in zip(params_a, params_b, strict=True))
    assert losses_a != losses_c
