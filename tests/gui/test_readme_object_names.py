"""The README's objectName table stays true: every name it lists exists in the window."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_object_names() -> list[str]:
    """The backticked names in the rows of the README's objectName table."""
    section = README.read_text(encoding="utf-8").split("### Object names", 1)[1].splitlines()
    start = next(i for i, line in enumerate(section) if line.startswith("|"))
    end = next((i for i, line in enumerate(section[start:], start) if not line.startswith("|")), len(section))
    table = section[start + 2 : end]
    return [name for row in table for name in re.findall(r"`([A-Za-z0-9]+)`", row.split("|")[2])]


def test_the_readme_lists_object_names():
    names = readme_object_names()
    assert len(names) > 60
    assert {"trainButton", "decisionPlot", "lossPlot", "learningRateSpin"} <= set(names)


def test_every_object_name_in_the_readme_exists_in_the_window(playground):
    window = playground().window
    found = {window.objectName()} | {child.objectName() for child in window.findChildren(QObject)}
    missing = [name for name in readme_object_names() if name not in found]
    assert missing == []
