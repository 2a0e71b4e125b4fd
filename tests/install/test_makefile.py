"""The Makefile's set-up recipes, read with ``make -n`` (print the commands, run nothing)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def dry_run(*arguments: str) -> str:
    """The commands ``make -n -B ARGUMENTS`` would run, as one string."""
    result = subprocess.run(
        ["make", "-n", "-B", "-C", str(ROOT), *arguments], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_torch_is_installed_first_from_a_local_wheel_without_any_index() -> None:
    commands = dry_run("install", "VENV=/nonexistent/venv")
    torch_step, project_step = commands.index("--no-index --no-deps"), commands.index('-e ".[test]"')
    assert torch_step < project_step
    assert "-c constraints-cpu.txt torch" in commands[torch_step : commands.index("||", torch_step)]


def test_without_a_local_wheel_torch_comes_from_the_cpu_index_or_the_one_chosen() -> None:
    assert "--index-url https://download.pytorch.org/whl/cpu torch" in dry_run("install", "VENV=/nonexistent/venv")
    assert "--index-url https://mirror.example/simple torch" in dry_run(
        "install", "VENV=/nonexistent/venv", "TORCH_INDEX=https://mirror.example/simple"
    )


def test_an_empty_torch_index_leaves_torch_to_the_default_index() -> None:
    commands = dry_run("install", "VENV=/nonexistent/venv", "TORCH_INDEX=")
    assert '[ -z "" ]' in commands  # the fallback step is skipped; the project install brings torch


def test_clean_removes_every_cache_the_tools_leave() -> None:
    commands = dry_run("clean")
    for folder in (".venv", ".pytest_cache", ".ruff_cache", ".hypothesis", ".import_linter_cache"):
        assert folder in commands


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="checks the recipe as root")
def test_system_deps_runs_apt_get_without_sudo_as_root_and_installs_venv() -> None:
    commands = dry_run("system-deps")
    assert "sudo" not in commands
    assert "python3-venv" in commands
