"""PyTorch's factory keywords ``device=None, dtype=None`` (None: torch's defaults) on everything that makes tensors,
and seeds that give the same weights, data and shuffles on every device and dtype (issue #10).

The framework suite runs under both default dtypes (see ``conftest.py``), so every test here that does not name a
dtype checks float32 and float64 alike. CUDA's refusal of a CPU generator is reproduced on ``meta`` tensors by
`CudaGeneratorRule`, so the issue's CUDA failure is tested without a GPU; the ``cuda`` tests run where one is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import torch
from torch import Tensor, nn
from torch.overrides import TorchFunctionMode

import minidl
from minidl.data import DATASETS, DataLoader, format_points, load_points, make_dataset, parse_points, train_test_split
from minidl.init import INIT_NAMES, get_initializer, normal_
from minidl.training.fast_path import flushes_denormals

F32, F64 = torch.float32, torch.float64
TOLERANCE = {F32: 1e-6, F64: 1e-12}
"""Relative and absolute tolerance of a comparison with torch.nn in each dtype."""


class CudaGeneratorRule(TorchFunctionMode):
    """CUDA's rule on every device: a draw from a generator must be made on the generator's own device.

    CUDA refuses a CPU generator for a CUDA tensor; ``meta`` tensors take any generator silently. Under this mode
    they refuse it too, so ``with torch.device("meta")`` shows what ``torch.set_default_device("cuda")`` does.
    """

    def __torch_function__(self, func: Callable, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        kwargs = kwargs or {}
        result = func(*args, **kwargs)
        generator = kwargs.get("generator")
        if isinstance(generator, torch.Generator) and isinstance(result, Tensor) and result.device != generator.device:
            raise RuntimeError(
                f"Expected a '{result.device.type}' device type for generator but found "
                f"'{generator.device.type}' (in {getattr(func, '__name__', func)})"
            )
        return result


@pytest.fixture
def meta_default() -> Iterator[None]:
    """torch's default device is ``meta`` and CPU generators are refused there, as on CUDA."""
    with torch.device("meta"), CudaGeneratorRule():
        yield


def seeded(seed: int = 0, device: str | torch.device = "cpu") -> torch.Generator:
    return torch.Generator(device=device).manual_seed(seed)


def assert_same(actual: Tensor, expected: Tensor) -> None:
    """Equal dtype, device, shape and values, bit for bit."""
    assert (actual.dtype, actual.device, actual.shape) == (expected.dtype, expected.device, expected.shape)
    assert torch.equal(actual, expected)


def draws(value: object) -> list[Tensor]:
    """The tensors of a model (its parameters) or of a ``(x, y)`` pair."""
    return list(value.parameters()) if isinstance(value, minidl.Module) else list(value)


SEEDED_MAKERS: dict[str, Callable[..., object]] = {
    "linear": lambda **kw: minidl.Linear(3, 4, generator=seeded(1), **kw),
    "mlp": lambda **kw: minidl.mlp(seed=2, **kw),
    **{name: (lambda name=name, **kw: DATASETS[name](57, seed=3, **kw)) for name in DATASETS},
}
"""Everything that draws from a seed, by name, taking ``device=`` / ``dtype=``."""


# -- torch's default dtype ---------------------------------------------------------------------------------------------
def test_linear_follows_the_default_dtype_and_trains_in_step_with_torch_nn(default_dtype: torch.dtype) -> None:
    """The issue's first case, at float64: ``Linear(2, 3)`` is float64 and a float64 batch trains."""
    layer = minidl.Linear(2, 3)
    assert layer.weight.dtype == layer.bias.dtype == layer.weight_grad.dtype == default_dtype
    twin = nn.Linear(2, 3)
    with torch.no_grad():
        twin.weight.copy_(layer.weight)
        twin.bias.copy_(layer.bias)
    ours, theirs = minidl.SGD(layer.param(), lr=0.1), torch.optim.SGD(twin.parameters(), lr=0.1)
    g = seeded(4)
    batches = [(torch.rand(8, 2, generator=g), torch.rand(8, 3, generator=g)) for _ in range(5)]
    assert batches[0][0].dtype == default_dtype
    losses = []
    for x, y in batches:
        ours.zero_grad()
        theirs.zero_grad()
        criterion = minidl.MSELoss()
        losses.append(criterion.forward(layer.forward(x), y))
        layer.backward(criterion.backward())
        ours.step()
        expected = nn.functional.mse_loss(twin(x), y)
        expected.backward()
        theirs.step()
        tolerance = TOLERANCE[default_dtype]
        torch.testing.assert_close(losses[-1], expected.detach(), rtol=tolerance, atol=tolerance)
    tolerance = TOLERANCE[default_dtype]
    torch.testing.assert_close(layer.weight, twin.weight.detach(), rtol=tolerance, atol=tolerance)
    assert layer.weight.dtype == default_dtype and losses[-1] < losses[0]


@pytest.mark.parametrize("maker", list(SEEDED_MAKERS))
def test_what_is_made_without_keywords_has_torch_s_default_dtype_and_device(
    maker: str, default_dtype: torch.dtype
) -> None:
    for tensor in draws(SEEDED_MAKERS[maker]()):
        assert (tensor.dtype, tensor.device) == (default_dtype, torch.get_default_device())


@pytest.mark.parametrize("maker", list(SEEDED_MAKERS))
def test_a_seed_draws_the_same_float32_numbers_whatever_the_default_dtype(
    maker: str, default_dtype: torch.dtype
) -> None:
    here = draws(SEEDED_MAKERS[maker](dtype=F32))
    torch.set_default_dtype(F64 if default_dtype == F32 else F32)  # the fixture puts it back
    there = draws(SEEDED_MAKERS[maker](dtype=F32))
    for a, b in zip(here, there, strict=True):
        assert_same(a, b)


@pytest.mark.parametrize("maker", list(SEEDED_MAKERS))
def test_a_float64_model_or_data_set_holds_exactly_the_float32_draw(maker: str) -> None:
    single, double = draws(SEEDED_MAKERS[maker](dtype=F32)), draws(SEEDED_MAKERS[maker](dtype=F64))
    for a, b in zip(single, double, strict=True):
        assert_same(b, a.double())
        assert_same(b.float(), a)  # nothing float32 cannot hold


@pytest.mark.parametrize("init", INIT_NAMES)
def test_every_init_gives_the_same_weights_in_every_dtype(init: str) -> None:
    single = minidl.mlp(seed=5, init=init, init_mean=0.25, init_std=0.5, dtype=F32)
    double = minidl.mlp(seed=5, init=init, init_mean=0.25, init_std=0.5, dtype=F64)
    for a, b in zip(single.parameters(), double.parameters(), strict=True):
        assert_same(b, a.double())


def test_a_custom_initializer_fills_a_float32_draw_on_the_generator_s_device(meta_default: None) -> None:
    seen = []

    def fill(weight: Tensor, bias: Tensor | None, generator: torch.Generator | None) -> None:
        seen.append((weight.dtype, weight.device, bias.dtype, bias.device, generator))
        weight.normal_(0.0, 1.0, generator=generator)
        bias.fill_(0.5)

    generator = seeded(6)
    layer = minidl.Linear(3, 2, init=fill, generator=generator, dtype=F64)
    assert seen == [(F32, torch.device("cpu"), F32, torch.device("cpu"), generator)]
    assert (layer.weight.dtype, layer.weight.device) == (F64, torch.device("meta"))


# -- init="normal" with a mean -----------------------------------------------------------------------------------------
def test_normal_init_draws_from_the_given_mean_and_std() -> None:
    layer = minidl.Linear(400, 300, init="normal", init_mean=3.0, init_std=0.5, generator=seeded(7))
    # The mean of n draws has standard deviation 0.5/√n: 0.0014 for the weights, 0.029 for the bias.
    assert layer.weight.mean().item() == pytest.approx(3.0, abs=0.01)
    assert layer.weight.std().item() == pytest.approx(0.5, rel=0.02)
    assert layer.bias.mean().item() == pytest.approx(3.0, abs=0.15)
    assert layer.bias.std().item() == pytest.approx(0.5, rel=0.15)
    weights = torch.cat(
        [
            p.view(-1)
            for p in minidl.mlp(hidden=(200, 200), init="normal", init_mean=-2.0, init_std=0.25, seed=8).parameters()
        ]
    )
    assert weights.mean().item() == pytest.approx(-2.0, abs=0.01)
    assert weights.std().item() == pytest.approx(0.25, rel=0.02)


def test_get_initializer_normal_is_normal_with_that_mean_and_std() -> None:
    by_name = torch.empty(30, 20, dtype=F32), torch.empty(30, dtype=F32)
    by_hand = torch.empty(30, 20, dtype=F32), torch.empty(30, dtype=F32)
    get_initializer("normal", mean=3.0, std=0.5)(*by_name, seeded(9))
    normal_(*by_hand, seeded(9), mean=3.0, std=0.5)
    g = seeded(9)
    expected = [torch.empty(shape, dtype=F32).normal_(3.0, 0.5, generator=g) for shape in ((30, 20), (30,))]
    for a, b, c in zip(by_name, by_hand, expected, strict=True):
        assert_same(a, b)
        assert_same(a, c)


# -- meta: where things land, and the CUDA failure without CUDA ------------------------------------------------
def test_the_rule_refuses_a_draw_off_the_generator_s_device_as_cuda_does(meta_default: None) -> None:
    with pytest.raises(RuntimeError, match="Expected a 'meta' device type for generator but found 'cpu'"):
        torch.rand(3, generator=seeded())


@pytest.mark.parametrize("maker", list(SEEDED_MAKERS))
def test_under_a_meta_default_device_everything_lands_there(
    maker: str, meta_default: None, default_dtype: torch.dtype
) -> None:
    """``with torch.device("cuda"): minidl.mlp(seed=0)`` failed: the draw used a CPU generator on the default
    device. Here the same happens on ``meta`` (see `CudaGeneratorRule`)."""
    for tensor in draws(SEEDED_MAKERS[maker]()):
        assert (tensor.device, tensor.dtype) == (torch.device("meta"), default_dtype)


@pytest.mark.parametrize("maker", list(SEEDED_MAKERS))
def test_the_cpu_asked_for_under_a_meta_default_gets_the_cpu_numbers(maker: str, default_dtype: torch.dtype) -> None:
    expected = draws(SEEDED_MAKERS[maker]())
    with torch.device("meta"), CudaGeneratorRule():
        got = draws(SEEDED_MAKERS[maker](device="cpu"))
    for a, b in zip(got, expected, strict=True):
        assert_same(a, b)


def test_unseeded_models_and_data_also_draw_on_the_cpu_under_a_meta_default(meta_default: None) -> None:
    assert all(p.device.type == "meta" for p in minidl.mlp().parameters())
    assert all(t.device.type == "meta" for t in make_dataset("spiral", 10))
    assert minidl.Linear(2, 3, init="kaiming", device="cpu").weight.abs().sum() > 0


def test_splits_and_shuffles_of_cpu_data_under_a_meta_default_are_the_cpu_ones() -> None:
    x, y = make_dataset("disc", 30, seed=0)

    def split_and_shuffle() -> list[Tensor]:
        loader = DataLoader(x, y, batch_size=7, generator=seeded(1))
        return [*train_test_split(x, y, 0.3, seed=2), *(xb for xb, _ in loader)]

    expected = split_and_shuffle()
    with torch.device("meta"), CudaGeneratorRule():
        got = split_and_shuffle()
    for a, b in zip(got, expected, strict=True):
        assert_same(a, b)


def test_meta_data_split_and_shuffled_stay_on_meta(meta_default: None) -> None:
    x, y = make_dataset("xor", 30, seed=0)
    parts = train_test_split(x, y, 0.3, seed=2)
    batches = [t for pair in DataLoader(x, y, batch_size=8) for t in pair]
    assert [len(p) for p in parts] == [21, 21, 9, 9] and [len(b) for b in batches] == [8, 8, 8, 8, 8, 8, 6, 6]
    assert all(t.device.type == "meta" for t in (*parts, *batches))


def test_the_denormal_probe_is_a_cpu_float32_tensor_whatever_the_defaults(meta_default: None) -> None:
    assert flushes_denormals() is False  # .item() of a meta tensor would raise


# -- every device and dtype asked for ----------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("maker", list(SEEDED_MAKERS))
def test_what_is_made_lands_on_the_device_in_the_dtype_with_the_cpu_float32_numbers(
    maker: str, dtype: torch.dtype, any_device: torch.device
) -> None:
    got = draws(SEEDED_MAKERS[maker](device=any_device, dtype=dtype))
    for a, b in zip(got, draws(SEEDED_MAKERS[maker](device="cpu", dtype=F32)), strict=True):
        assert (a.device, a.dtype, a.shape) == (any_device, dtype, b.shape)
        if any_device.type != "meta":
            assert_same(a.cpu(), b.to(dtype))


@pytest.mark.parametrize("name", list(DATASETS))
def test_make_dataset_and_the_generator_give_the_same_points(name: str, any_device: torch.device) -> None:
    made, generated = make_dataset(name, 40, seed=4, device=any_device), DATASETS[name](40, seed=4, device=any_device)
    for a, b in zip(made, generated, strict=True):
        assert (a.device, a.dtype) == (b.device, b.dtype) == (any_device, torch.get_default_dtype())
        if any_device.type != "meta":
            assert torch.equal(a, b)


def test_a_non_float_dtype_is_refused_before_anything_is_drawn() -> None:
    generator = seeded(0)
    state = generator.get_state()
    x, y = make_dataset("disc", 4, seed=0)
    for make in (
        lambda: minidl.Linear(2, 3, generator=generator, dtype=torch.int64),
        lambda: minidl.mlp(seed=0, dtype=torch.int32),
        lambda: make_dataset("disc", 4, dtype=torch.bool),
        lambda: DATASETS["spiral"](4, dtype=torch.int64),
        lambda: DataLoader(x, y, dtype=torch.int64),
        lambda: parse_points("0.5,0.5,1\n", dtype=torch.int64),
    ):
        with pytest.raises(TypeError, match=r"minidl parameters and data need a floating-point dtype"):
            make()
    assert torch.equal(generator.get_state(), state)


def test_a_bad_device_is_torch_s_own_error() -> None:
    with pytest.raises(RuntimeError, match="device"):
        minidl.Linear(2, 3, device="gpu")
    with pytest.raises(RuntimeError, match="device"):
        make_dataset("disc", 4, device="gpu")


# -- DataLoader --------------------------------------------------------------------------------------------------------
def indexed(n: int) -> tuple[Tensor, Tensor]:
    """Float32 CPU points whose x encodes their index, so batches show which points they hold."""
    x = torch.arange(n, dtype=F32, device="cpu").view(n, 1).repeat(1, 2)
    return x, x[:, :1] * 10


def order(loader: DataLoader, epochs: int = 3) -> list[list[int]]:
    return [[int(v) for xb, _ in loader for v in xb[:, 0].cpu()] for _ in range(epochs)]


@pytest.mark.parametrize("dtype", [F32, F64])
def test_the_loader_moves_and_casts_the_data_once(any_device: torch.device, dtype: torch.dtype) -> None:
    x, y = indexed(20)
    loader = DataLoader(x, y, batch_size=6, shuffle=False, device=any_device, dtype=dtype)
    for tensor in (loader.x, loader.y):
        assert (tensor.device, tensor.dtype) == (any_device, dtype)
    batches = list(loader)
    assert [len(xb) for xb, _ in batches] == [6, 6, 6, 2]
    assert all(xb._base is loader.x and yb._base is loader.y for xb, yb in batches), "views: no copy per batch"
    if any_device.type != "meta":
        assert_same(loader.x.cpu(), x.to(dtype))
        assert_same(loader.y.cpu(), y.to(dtype))


def test_the_loader_without_keywords_keeps_the_data_as_it_is() -> None:
    x, y = indexed(5)  # float32 whatever the default dtype: the loader wraps data, it makes none
    loader = DataLoader(x, y)
    assert loader.x is x and loader.y is y


@pytest.mark.parametrize("dtype", [F32, F64])
def test_the_loader_shuffles_in_the_same_order_on_every_device_and_dtype(
    device: torch.device, dtype: torch.dtype
) -> None:
    expected = order(DataLoader(*indexed(23), batch_size=5, generator=seeded(3)))
    assert order(DataLoader(*indexed(23), batch_size=5, generator=seeded(3), device=device, dtype=dtype)) == expected
    assert expected[0] != expected[1] and sorted(expected[2]) == list(range(23))


# -- CSV points --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [F32, F64, None])
def test_points_read_follow_the_factory_keywords(
    tmp_path: Path, any_device: torch.device, dtype: torch.dtype | None
) -> None:
    text = "x1,x2,label\n0.1,-2.5,1\n1e-3,0.3,0\n"
    path = tmp_path / "points.csv"
    path.write_text(text)
    expected_dtype = dtype or torch.get_default_dtype()
    for x, y in (parse_points(text, device=any_device, dtype=dtype), load_points(path, device=any_device, dtype=dtype)):
        assert (x.device, x.dtype, y.device, y.dtype) == (any_device, expected_dtype, any_device, expected_dtype)
        if any_device.type != "meta":  # each number rounded once to the dtype, as torch.tensor does
            assert_same(x.cpu(), torch.tensor([[0.1, -2.5], [1e-3, 0.3]], dtype=expected_dtype))
            assert_same(y.cpu(), torch.tensor([[1.0], [0.0]], dtype=expected_dtype))


@pytest.mark.parametrize("dtype", [F32, F64])
def test_points_written_read_back_exactly_in_their_dtype(tmp_path: Path, dtype: torch.dtype) -> None:
    g = seeded(11)
    x, y = torch.randn(300, 2, generator=g, dtype=dtype) * 1e3, torch.rand(300, 1, generator=g).round().to(dtype)
    minidl.data.save_points(tmp_path / "points.csv", x, y)
    loaded = load_points(tmp_path / "points.csv", dtype=dtype)
    assert_same(loaded[0], x)
    assert_same(loaded[1], y)


def test_float32_points_are_written_as_before_with_nine_digits() -> None:
    x = torch.tensor([[0.1, 0.2], [-3.0, 1e-7]], dtype=F32)
    text = format_points(x, torch.tensor([[1.0], [0.0]], dtype=F32))
    assert text == "x1,x2,label\n0.100000001,0.200000003,1\n-3,1.00000001e-07,0\n"


# -- CUDA --------------------------------------------------------------------------------------------------------------
@pytest.mark.cuda
def test_under_a_cuda_default_device_seeded_models_and_data_are_the_cpu_draws() -> None:
    """The issue's failure: ``torch.set_default_device("cuda"); minidl.mlp(seed=0)`` refused the CPU generator."""
    for maker in SEEDED_MAKERS.values():
        expected = draws(maker(device="cpu"))
        with torch.device("cuda"):
            got = draws(maker())
        for a, b in zip(got, expected, strict=True):
            assert a.device.type == "cuda"
            assert_same(a.cpu(), b)


@pytest.mark.cuda
@pytest.mark.parametrize("init", INIT_NAMES)
def test_a_cuda_generator_draws_on_cuda(init: str) -> None:
    layer = minidl.Linear(3, 2, init=init, init_std=0.5, generator=seeded(12, "cuda"), device="cpu", dtype=F64)
    weight, bias = torch.empty(2, 3, dtype=F32, device="cuda"), torch.empty(2, dtype=F32, device="cuda")
    get_initializer(init, std=0.5)(weight, bias, seeded(12, "cuda"))
    assert_same(layer.weight, weight.cpu().double())
    assert_same(layer.bias, bias.cpu().double())


@pytest.mark.cuda
def test_a_cuda_generator_shuffles_cpu_data_in_its_own_order() -> None:
    loader = DataLoader(*indexed(17), batch_size=4, generator=seeded(13, "cuda"))
    expected = torch.randperm(17, generator=seeded(13, "cuda"), device="cuda").tolist()
    assert order(loader, epochs=1) == [expected]
