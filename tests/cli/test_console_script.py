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


@pytest.mark.parametrize(
    ("argv", "answer"),
    [
        (["--help"], "reproduce"),
        (["--version"], f"minidl {__version__}"),
        (["bogus"], "invalid choice: 'bogus'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_top_level_answers_without_importing_torch(argv: list[str], answer: str) -> None:
    """`minidl --help` used to take 4 s: it imported torch to list two commands."""
    program = (
        "import sys\n"
        "from minidl.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('torch' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert result.stdout.splitlines()[-1] == "False", result.stderr
    assert answer in result.stdout + result.stderr


def test_top_level_help_lists_every_command_with_its_summary() -> None:
    from minidl.cli.main import COMMANDS, build_parser

    text = build_parser(()).format_help()
    for name, command in COMMANDS.items():
        assert name in text and command.summary in text


def test_the_command_summaries_name_every_command_and_experiment() -> None:
    import minidl.cli
    from minidl.cli.main import COMMANDS, build_parser
    from minidl.experiments import EXPERIMENTS

    assert all(f"minidl {name}" in (minidl.cli.__doc__ or "") for name in COMMANDS)
    summary = COMMANDS["reproduce"].summary
    assert all(word.lower() in summary.lower() for e in EXPERIMENTS for word in e.label.replace(",", "").split())
    assert any(line.strip().endswith(summary) for line in build_parser(()).format_help().splitlines())
