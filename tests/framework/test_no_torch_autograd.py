"""Static proof that minidl computes every gradient itself: no module imports torch's autograd machinery."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import minidl

FORBIDDEN = ("torch.nn", "torch.autograd", "torch.optim", "torch.func")
PACKAGE = Path(minidl.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py"))


def forbidden_imports(source: str) -> list[str]:
    """Every imported module name in ``source`` that is, or lives under, one of `FORBIDDEN`.

    Catches ``import torch.nn``, ``import torch.nn.functional as F``, ``from torch import nn``,
    ``from torch.autograd import grad`` and ``from torch import optim as o``, at any depth of the code.
    """
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return [n for n in names if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)]


def test_the_package_has_sources_to_check() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in SOURCES}
    assert {"module.py", "linear.py", "optim.py", "training/trainer.py", "data/loader.py"} <= names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_module_imports_no_torch_autograd_machinery(path: Path) -> None:
    assert forbidden_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "import torch.nn",
        "import torch.nn.functional as F",
        "from torch import nn",
        "from torch import optim as o",
        "from torch.autograd import grad",
        "from torch.func import vmap",
        "def f():\n    import torch.autograd.functional",
        "if True:\n    from torch.nn import functional",
    ],
)
def test_the_checker_catches_every_import_form(source: str) -> None:
    assert forbidden_imports(source)


@pytest.mark.parametrize(
    "source",
    ["import torch", "from torch import Tensor", "import torch.linalg", "from torch import nested", "import numpy.nn"],
)
def test_the_checker_lets_plain_tensor_imports_through(source: str) -> None:
    assert forbidden_imports(source) == []
