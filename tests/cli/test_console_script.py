"""The installed ``minidl`` console script runs (the only test that starts a process for the CLI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from minidl import __version__


def test_console_script_trains_and_reports_bad_flags() -> None:
    script = Path(sys.executable).with_name("minidl")
    if not script.exists():
        pytest.skip(f"no console script next to {sys.executable}: install with 'pip install -e .'")
    ok = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and ok.stdout.strip() == f"minidl {__version__}"
    bad = subprocess.run([str(script), "train", "--epochs", "-3"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1
