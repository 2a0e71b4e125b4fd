"""What import-linter cannot see: the worker uses QtCore alone (no widgets, no painting)."""

from __future__ import annotations

import ast
from pathlib import Path

import minidl_gui.worker


def test_worker_imports_only_qtcore_from_qt():
    tree = ast.parse(Path(minidl_gui.worker.__file__).read_text(encoding="utf-8"))
    qt = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and "PySide6" in (node.module or "")
    }
    qt |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names if "PySide6" in a.name}
    assert qt == {"PySide6.QtCore"}
