"""Capturing one thread's prints: two sweep runs in two threads of one Dask worker must not mix outputs."""

from __future__ import annotations

import sys
import threading

import pytest

from minidl.cli.thread_output import capture_output


def test_each_thread_captures_only_its_own_prints_others_print_as_usual(capsys: pytest.CaptureFixture[str]) -> None:
    stdout, stderr = sys.stdout, sys.stderr
    both_capturing = threading.Barrier(3)
    done = threading.Barrier(3)
    captured: dict[str, tuple[str, str]] = {}

    def worker(name: str) -> None:
        with capture_output() as (out, err):
            both_capturing.wait()
            for i in range(200):
                print(f"{name} {i}")
                print(f"{name} error {i}", file=sys.stderr)
            done.wait()
        captured[name] = out.getvalue(), err.getvalue()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    both_capturing.wait()
    print("main thread")  # while both threads capture
    done.wait()
    for thread in threads:
        thread.join()
    for name in ("a", "b"):
        out, err = captured[name]
        assert out.splitlines() == [f"{name} {i}" for i in range(200)]
        assert err.splitlines() == [f"{name} error {i}" for i in range(200)]
    assert capsys.readouterr().out == "main thread\n"
    assert sys.stdout is stdout and sys.stderr is stderr  # the last capture put the streams back


def test_captures_nest_in_one_thread() -> None:
    with capture_output() as (outer, _):
        print("outer")
        with capture_output() as (inner, _):
            print("inner")
        print("outer again")
    assert outer.getvalue() == "outer\nouter again\n" and inner.getvalue() == "inner\n"
