"""Shared test set-up: Qt runs headless unless the caller chose a platform (e.g. xcb under Xvfb); devices.

Device tests take the ``device`` fixture (``cpu``, and ``cuda`` where a GPU is available) or ``any_device``
(also ``meta``: tensors with a shape, a dtype and a device but no values, for CPU-only tests of where things
land). A test marked ``cuda`` is skipped without a GPU.
"""

from __future__ import annotations

import os

import pytest
import torch

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CUDA = pytest.param("cuda", marks=pytest.mark.cuda)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cuda: needs a CUDA GPU (torch.cuda.is_available()); skipped without one")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("cuda") is not None and not torch.cuda.is_available():
        pytest.skip("needs a CUDA GPU (torch.cuda.is_available() is False)")


def _device(name: str) -> torch.device:
    """``name`` as torch reports a tensor's device: CUDA with its index (``cuda:0``; ``torch.device("cuda")`` is not
    equal to it), the others as named."""
    if name == "cuda" and torch.cuda.is_available():
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device(name)


@pytest.fixture(params=["cpu", CUDA])
def device(request: pytest.FixtureRequest) -> torch.device:
    """A device that holds values: the CPU, and CUDA (marked ``cuda``)."""
    return _device(request.param)


@pytest.fixture(params=["cpu", "meta", CUDA])
def any_device(request: pytest.FixtureRequest) -> torch.device:
    """A device to put tensors on: the CPU, ``meta`` (no values: for where things land) and CUDA."""
    return _device(request.param)
