"""The stderr progress bar: short on pipes, silent when disabled."""

from __future__ import annotations

import io

import pytest

from minidl.cli.progress import ProgressBar
from minidl.formatting import duration


def test_on_a_pipe_it_writes_a_first_line_then_one_per_tenth() -> None:
    stream = io.StringIO()
    bar = ProgressBar(500, stream=stream)
    for done in range(1, 501):
        bar.update(done, "SGD seed 0")
    bar.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11
    assert lines[0].startswith("[" + "." * 30 + "]   0%  1/500")
    assert lines[-1].startswith("[" + "#" * 30 + "] 100%  500/500")
    assert all("SGD seed 0" in line for line in lines)


def test_disabled_bar_writes_nothing() -> None:
    stream = io.StringIO()
    bar = ProgressBar(10, stream=stream, enabled=False)
    bar.update(5)
    bar.close()
    assert stream.getvalue() == ""


def test_half_way_line_shows_the_fraction_and_an_eta() -> None:
    line = ProgressBar(4, stream=io.StringIO(), width=10).line(2, "note")
    assert line.startswith("[#####.....]  50%  2/4  eta ") and line.endswith("note")


def test_seconds_are_readable() -> None:
    assert duration(4.25) == "4.2 s"
    assert duration(185) == "3 min 05 s"


def test_as_a_context_manager_it_ends_its_line_even_on_an_exception() -> None:
    stream = io.StringIO()
    stream.isatty = lambda: True  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt), ProgressBar(10, stream=stream) as bar:
        bar.update(10)
        raise KeyboardInterrupt
    drawn = stream.getvalue()
    assert "10/10" in drawn and drawn.endswith("\n")
