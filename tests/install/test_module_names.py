"""Module names explain themselves: no two modules or packages of the project have names a letter apart
(``session_file`` / ``session_files`` once sat in two layers and were mistaken for each other)."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("minidl", "minidl_gui")


def module_names() -> dict[str, list[str]]:
    """Each module or package name (``session`` for ``session.py`` and for ``session/``) → where it is."""
    names: dict[str, list[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if path.name != "__init__.py" and path.name != "__main__.py":
                names.setdefault(path.stem, []).append(str(relative))
            if path.name == "__init__.py":
                names.setdefault(path.parent.name, []).append(str(relative.parent))
    return names


def one_letter_apart(a: str, b: str) -> bool:
    """``a`` becomes ``b`` by adding, removing or changing one letter."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def test_one_letter_apart_sees_an_added_and_a_changed_letter():
    assert one_letter_apart("session_file", "session_files")
    assert one_letter_apart("model", "models")
    assert one_letter_apart("runs", "rung")
    assert not one_letter_apart("session", "session")
    assert not one_letter_apart("runs", "run_log")


def test_no_two_module_names_are_a_letter_apart():
    names = module_names()
    assert "session_format" in names and "worker" in names  # the walk sees modules and packages
    clashes = [
        f"{a} ({', '.join(names[a])}) / {b} ({', '.join(names[b])})"
        for a, b in combinations(sorted(names), 2)
        if one_letter_apart(a, b)
    ]
    assert clashes == []
