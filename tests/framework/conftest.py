"""Fixtures for the framework tests (helpers live in ``torch_oracle``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from minidl.module import Module
from tests.framework.torch_oracle import MODEL_BUILDERS


@pytest.fixture(params=list(MODEL_BUILDERS))
def build_model(request: pytest.FixtureRequest) -> Callable[[], Module]:
    """Builds the model for both optimizer code paths: one flat buffer, or separate tensors."""
    return MODEL_BUILDERS[request.param]
