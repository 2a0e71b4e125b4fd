"""`AppState`, pure (no Qt): the configuration, custom points, the session file and its unsaved changes,
and the events views bind to; then the window bound to it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from minidl_gui.model.app_state import UNSAVED, AppState
from minidl_gui.model.config import Config
from minidl_gui.model.snapshot import Points, Snapshot


def snapshot(epoch: int, custom_points: bool = False) -> Snapshot:
    empty = Points(np.zeros((0, 2)), np.zeros(0))
    nothing = np.zeros(0, dtype=bool)
    return Snapshot(
        epoch=epoch, start=0, results=(), grid=np.zeros((2, 2)), extent=(0.0, 1.0, 0.0, 1.0), data_version=1,
        custom_points=custom_points, train=empty, test=empty, train_wrong=nothing, test_wrong=nothing,
    )  # fmt: skip


def recorded(state: AppState) -> list[str]:
    """The names of the events ``state`` fires from now on, in order."""
    fired: list[str] = []
    state.config_changed.connect(lambda: fired.append("config"))
    state.custom_points_changed.connect(lambda: fired.append("custom_points"))
    state.file_changed.connect(lambda: fired.append("file"))
    return fired


def other(config: Config) -> Config:
    return replace(config, training=replace(config.training, lr=config.training.lr * 2))


def test_a_new_state_is_untitled_and_unmodified():
    state = AppState(Config())
    assert state.path is None and not state.modified and not state.custom_points
    assert state.title == "untitled — minidl playground"


def test_a_changed_configuration_is_unsaved_until_it_is_changed_back():
    config = Config()
    state = AppState(config)
    fired = recorded(state)
    state.set_config(other(config))
    assert state.modified and state.title == f"untitled {UNSAVED} — minidl playground"
    state.set_config(other(config))  # the same again: nothing changes, nothing fires
    state.set_config(config)
    assert not state.modified and fired == ["file", "config", "file", "config"]


def test_snapshots_move_the_epoch_and_report_custom_points_once_per_change():
    state = AppState(Config())
    fired = recorded(state)
    state.show_snapshot(snapshot(1))
    assert state.epoch == 1 and state.modified and fired == ["file"]
    state.show_snapshot(snapshot(2, custom_points=True))
    state.show_snapshot(snapshot(3, custom_points=True))
    assert state.custom_points and fired == ["file", "custom_points"]
    state.show_snapshot(snapshot(3, custom_points=False))
    assert not state.custom_points and fired == ["file", "custom_points", "custom_points"]


def test_a_saved_session_is_unmodified_until_it_trains_on():
    config = Config()
    state = AppState(config)
    state.show_snapshot(snapshot(5))
    state.mark_saved(Path("/runs/a.minidl"), 5, config)
    assert state.path == Path("/runs/a.minidl") and state.title == "a.minidl — minidl playground"
    state.mark_saved(Path("/runs/a.minidl"), 4, config)  # the worker saved epoch 4; the window shows 5 already
    assert state.modified
    state.mark_saved(Path("/runs/a.minidl"), 5, config)
    state.show_snapshot(snapshot(6))
    assert state.title == f"a.minidl {UNSAVED} — minidl playground"


def test_adopting_an_opened_session_takes_all_of_it_and_a_restored_run_is_unsaved():
    state = AppState(Config())
    fired = recorded(state)
    opened = other(Config())
    state.adopt(opened, 7, True, Path("b.minidl"))
    assert (state.config, state.epoch, state.custom_points, state.path) == (opened, 7, True, Path("b.minidl"))
    assert not state.modified and fired == ["file", "config", "custom_points"]
    state.adopt(opened, 7, True, Path("b.minidl"), in_file=False)  # a run restored: not what b.minidl holds
    assert state.modified and state.title == f"b.minidl {UNSAVED} — minidl playground"


def test_adopting_a_session_fires_its_events_on_the_whole_new_state():
    state = AppState(Config())
    seen: list[tuple[Config, bool]] = []
    state.config_changed.connect(lambda: seen.append((state.config, state.custom_points)))
    config = other(Config())
    state.adopt(config, 3, True, Path("drawn.minidl"))
    assert seen == [(config, True)]  # the configuration's listeners already see the drawn points
