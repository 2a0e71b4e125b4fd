"""`BackgroundLoads` alone: a result goes to ``done``, an expected error to ``fail``, any other to ``fail`` too,
as an "unexpected" error (and its traceback on stderr); one load at a time."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget

from minidl_gui.background_load import BackgroundLoads

TIMEOUT = 20_000


def test_an_unexpected_error_fails_the_load_with_a_message_instead_of_vanishing(qtbot, tmp_path, capsys):
    """It used to be raised again in the UI thread, where nothing shows it: the dialog closed, no message."""
    parent = QWidget()
    qtbot.addWidget(parent)
    loads = BackgroundLoads(parent)
    failures: list[BaseException] = []

    def broken() -> None:
        raise KeyError("a bug")

    with qtbot.capture_exceptions() as exceptions, qtbot.waitSignal(loads.finished, timeout=TIMEOUT):
        assert loads.start("Reading", broken, failures.append, failures.append, (OSError,))
    assert exceptions == [] and len(failures) == 1
    assert str(failures[0]) == "unexpected KeyError: 'a bug' (a bug in minidl: please report it)"
    assert "KeyError: 'a bug'" in capsys.readouterr().err  # the traceback, for the report
    assert not loads.busy
    failures.clear()
    results: list[object] = []
    with qtbot.waitSignal(loads.finished, timeout=TIMEOUT):  # an expected one goes to ``fail``
        assert loads.start("Reading", (tmp_path / "nowhere").read_text, results.append, failures.append, (OSError,))
    assert results == [] and [type(error) for error in failures] == [FileNotFoundError]
    with qtbot.waitSignal(loads.finished, timeout=TIMEOUT):  # and a result to ``done``
        assert loads.start("Reading", lambda: 42, results.append, failures.append, (OSError,))
    assert results == [42] and len(failures) == 1


def test_a_second_load_is_refused_while_one_is_in_flight(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    loads = BackgroundLoads(parent)
    release, notices, results = threading.Event(), [], []
    loads.notice.connect(notices.append)
    assert loads.start("Reading a.csv", lambda: release.wait(TIMEOUT / 1000) and "a", results.append, print, ())
    assert loads.busy and not loads.start("Reading b.csv", lambda: "b", results.append, print, ())
    assert notices == ["Reading a.csv is still in progress: wait for it or cancel it first."]
    with qtbot.waitSignal(loads.finished, timeout=TIMEOUT):
        release.set()
    assert results == ["a"] and not loads.busy
