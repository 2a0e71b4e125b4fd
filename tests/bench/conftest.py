"""The ``bench`` package sits next to ``minidl`` at the repository root, which plain ``pytest`` does not
put on ``sys.path`` (``python -m pytest`` does): add it, so both ways of running the tests import it."""

import sys
from pathlib import Path

REPOSITORY_ROOT = str(Path(__file__).resolve().parents[2])
if REPOSITORY_ROOT not in sys.path:
    sys.path.insert(0, REPOSITORY_ROOT)


def pytest_configure(config) -> None:
    """Register the ``cuda`` marker (tests that need a GPU; ``pytest -m cuda`` runs only them, as
    bench/gpu_check.sh does). Registering it twice, here and in the project's configuration, is harmless."""
    config.addinivalue_line("markers", "cuda: needs a CUDA GPU; skipped where torch sees none")
