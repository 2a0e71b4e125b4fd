"""Fixtures for the framework tests (helpers live in ``torch_oracle``).

Every framework test runs twice, under ``torch.set_default_dtype(torch.float32)`` and ``(torch.float64)``
(ids ``[float32]`` / ``[float64]``): whatever minidl makes without a ``dtype=`` follows torch's default, as
``torch.nn`` does. A test about float32 itself (its range, its denormals) pins its own default with
``@pytest.mark.default_dtype(torch.float32)`` and runs once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import torch

from minidl.module import Module
from tests.framework.torch_oracle import MODEL_BUILDERS

DEFAULT_DTYPES = {"float32": torch.float32, "float64": torch.float64}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "default_dtype(dtype): run this framework test under that default dtype only, not under each"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise the autouse `default_dtype` fixture: every default dtype, or the one a marker pins."""
    if "default_dtype" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("default_dtype")
    dtypes = list(DEFAULT_DTYPES.values()) if marker is None else list(marker.args)
    metafunc.parametrize("default_dtype", dtypes, indirect=True, ids=[str(d).removeprefix("torch.") for d in dtypes])


@pytest.fixture(autouse=True)
def default_dtype(request: pytest.FixtureRequest) -> Iterator[torch.dtype]:
    """torch's default dtype for this test (restored afterwards, also when the test fails)."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(request.param)
    try:
        yield request.param
    finally:
        torch.set_default_dtype(previous)


@pytest.fixture(params=list(MODEL_BUILDERS))
def build_model(request: pytest.FixtureRequest) -> Callable[[], Module]:
    """Builds the model for both optimizer code paths: one flat buffer, or separate tensors."""
    return MODEL_BUILDERS[request.param]


@pytest.fixture
def two_threads() -> Iterator[None]:
    """Two intra-op threads, so that the trainer's switch to one shows (and the count is put back after)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(threads)
