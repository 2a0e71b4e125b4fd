"""``minidl-gui``: the playground window, or a scripted run for demos, docs and tests.

minidl-gui                                  # the window, with the last session's settings
minidl-gui --preset report-adam --autostart --quit-after-epochs 50 --screenshot out.png
minidl-gui --config my-run.json             # a JSON file shaped like Config.to_dict()
minidl-gui saved.minidl                     # a saved session: press Train to continue it
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from minidl.files import read_bounded
from minidl_gui.model.config import Config
from minidl_gui.model.config_json import config_from_json
from minidl_gui.model.presets import PRESETS, preset

EXIT_USAGE = 2
MAX_CONFIG_BYTES = 2**20


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="minidl-gui", description="Train small networks on 2-D data, live.")
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        help="start from a named configuration: the report's, spiral-3, regression-plane",
    )
    source.add_argument("--config", type=Path, metavar="FILE", help="start from a JSON config file")
    parser.add_argument("session", nargs="?", type=Path, metavar="FILE.minidl", help="open a saved session")
    parser.add_argument("--autostart", action="store_true", help="start training as soon as the window is up")
    parser.add_argument(
        "--quit-after-epochs", type=int, metavar="N", help="pause after N epochs, take the screenshot if asked, quit"
    )
    parser.add_argument("--screenshot", type=Path, metavar="PNG", help="save the window as an image, then quit")
    parser.add_argument(
        "--training-thread",
        action="store_true",
        help="train on a thread of the window's process, not in a process of its own (slower while it redraws)",
    )
    args = parser.parse_args(argv)
    if args.session is not None and (args.preset or args.config):
        parser.error("a session file brings its own configuration: leave out --preset and --config")
    if args.quit_after_epochs is not None and args.quit_after_epochs < 1:
        parser.error(f"--quit-after-epochs must be >= 1, got {args.quit_after_epochs}")
    return args


def load_config(path: Path) -> Config:
    """Read a JSON config file, or raise ValueError saying in one line what is wrong with it."""
    try:
        text = read_bounded(path, MAX_CONFIG_BYTES, "config file").decode("utf-8")
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not UTF-8 text (byte {error.start} is invalid)") from None
    try:
        return config_from_json(text)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


def display_problem(argv: Sequence[str]) -> str | None:
    """Why Qt could not open a window here, or None: on Linux without DISPLAY/WAYLAND_DISPLAY and no
    platform chosen (QT_QPA_PLATFORM or -platform) Qt would abort with a long message."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM") or "-platform" in argv:
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "minidl-gui: no display found (DISPLAY and WAYLAND_DISPLAY are unset); run it on a desktop, "
        "or set QT_QPA_PLATFORM=offscreen for a scripted run with --screenshot"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    config = None
    try:
        if args.config is not None:
            config = load_config(args.config)
        elif args.preset is not None:
            config = preset(args.preset)
    except ValueError as error:
        print(f"minidl-gui: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    problem = display_problem(sys.argv if argv is None else argv)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    from minidl_gui.launch import run_app  # Qt only once we know it can start

    scripted = args.autostart or args.quit_after_epochs is not None or args.screenshot is not None
    return run_app(
        config,
        autostart=args.autostart,
        quit_after_epochs=args.quit_after_epochs,
        screenshot=args.screenshot,
        remember=not scripted,
        session=args.session,
        training_process=not args.training_thread,
    )


if __name__ == "__main__":
    sys.exit(main())
