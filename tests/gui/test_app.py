"""``minidl-gui`` from the command line: scripted screenshot, bad config files, no display."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from minidl_gui.app import load_config, main


def test_scripted_mode_trains_and_writes_a_screenshot(tmp_path, temporary_settings):
    # A real process: the command exactly as in the docs (and the event loop of this test session stays untouched).
    shot = tmp_path / "out.png"
    command = ["--preset", "report-adam", "--autostart", "--quit-after-epochs", "2", "--screenshot", str(shot)]
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from minidl_gui.app import load_config, main; sys.exit(main(sys.argv[1:]))",
            *command,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {shot}" in done.stdout
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 800 and image.height() >= 500
    assert not Path(temporary_settings).exists()  # a demo never overwrites the user's settings


def test_config_file_is_read(tmp_path):
    path = tmp_path / "run.json"
    path.write_text(json.dumps({"data": {"n_train": 50, "n_test": 50}, "training": {"max_epochs": 2}}))
    config = load_config(path)
    assert (config.data.n_train, config.training.max_epochs, config.training.optimizer) == (50, 2, "adam")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{not json", "not valid JSON"),
        ('{"training": {"lr": -3}}', "learning rate"),
        ('{"training": {"optimiser": "adam"}}', "unknown key"),
    ],
)
def test_bad_config_file_gives_a_clear_message(tmp_path, capsys, content, message):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    assert main(["--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("minidl-gui: error:") and message in err and str(path) in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for X11/Wayland")
def test_without_a_display_says_so_in_one_line(monkeypatch, capsys):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no display" in err and "QT_QPA_PLATFORM=offscreen" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, "nested too deeply"),
        ('{"training": {"lr": Infinity}}', "training.lr is inf"),
        ('{"data": {"noise": NaN}}', "data.noise is nan"),
        ('{"network": {"hidden": [{"width": -Infinity}]}}', "network.hidden[0].width is -inf"),
        (b"\xff\xfe{}", "not UTF-8"),
        ('{"training": {"lr": 0.1, "lr": 0.2}}', "the key 'lr' appears twice"),
        ('{"data": {"seed": ' + "9" * 400 + "}}", "data.seed is a 400-digit number"),
        ('{"training": {"lr": 1e400}}', "training.lr is inf"),
    ],
)
def test_hostile_config_file_is_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "hostile.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    assert main(["--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("minidl-gui: error:") and message in err, err
    assert len(err) < 300, "a one-line error quotes what is wrong, not the whole value"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_config_that_is_a_fifo_or_too_large_is_refused_before_reading(tmp_path, capsys):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert main(["--config", str(fifo)]) == 2  # without the check, this would wait for a writer for ever
    assert "named pipe" in capsys.readouterr().err
    large = tmp_path / "large.json"
    large.write_text(" " * (2**20 + 1) + "{}")
    assert main(["--config", str(large)]) == 2
    assert "too large for a config file" in capsys.readouterr().err


@pytest.mark.parametrize(("flags", "in_process"), [((), True), (("--training-thread",), False)])
def test_the_app_trains_in_a_process_of_its_own_unless_asked_not_to(monkeypatch, flags, in_process):
    import minidl_gui.launch

    seen: dict = {}
    monkeypatch.setattr(minidl_gui.launch, "run_app", lambda config, **options: seen.update(options) or 0)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert main(["--preset", "report-adam", *flags]) == 0
    assert seen["training_process"] is in_process


def test_the_window_process_hands_the_gil_on_within_a_millisecond():
    from minidl_gui.launch import GIL_SWITCH_INTERVAL, application

    before = sys.getswitchinterval()
    try:
        application()
        assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_INTERVAL) == pytest.approx(0.001)
    finally:
        sys.setswitchinterval(before)
