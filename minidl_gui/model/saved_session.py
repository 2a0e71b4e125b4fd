"""A live `Session` to and from `SessionData`: what Save, Open and the runs table's Restore do with a session.

``capture_session`` copies where a session is (call it between epochs, on the thread that trains);
``session_from_saved`` builds a new, separate `Session` that continues exactly from saved data —
all or nothing: a ValueError says what does not fit, and nothing else changed.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

import torch

from minidl.features import DEFAULT_FEATURES
from minidl.training import Trainer
from minidl_gui.model.config import Config
from minidl_gui.model.history import COLUMNS, columns_of
from minidl_gui.model.json_document import SessionFileError
from minidl_gui.model.json_values import HistoryColumns, plain_columns
from minidl_gui.model.runs_log import Run, make_run
from minidl_gui.model.session import Session
from minidl_gui.model.session_format import SessionData
from minidl_gui.model.session_format.consistency import check_agrees


def capture(
    config: Mapping[str, Any],
    trainer: Trainer,
    history: HistoryColumns,
    seed: int | None,
    gradient_norms: Sequence[Sequence[float | None]] | None = None,
    problem: str = "binary",
) -> SessionData:
    """A copy of where ``trainer`` is: its data and its `Trainer.state_dict()` (weights, optimizer and
    scheduler state, epoch, shuffle state).

    Call it between epochs, on the thread that runs the trainer; the result shares no tensor with it, and
    holds CPU tensors whatever the trainer's device (a session saved on a CUDA machine opens anywhere).
    ``config`` (the app's configuration, JSON-able) is stored as given; ``history`` columns may be
    lists, numpy arrays or tensors (``.tolist()`` makes them plain numbers). ``gradient_norms`` (rows
    of per-layer norms, e.g. an ``(epochs, layers)`` array) is kept with NaN and infinity as None.
    ``problem`` is ``str(Problem)`` of the configuration's data (``"binary"``, ``"3 classes"``, ``"regression"``).
    """
    loader, test = trainer.loader, trainer.test
    return SessionData(
        config=copy.deepcopy(dict(config)),
        seed=seed,
        train=(_cpu_copy(loader.x), _labels(loader.y, loader.x.dtype)),
        test=None if test is None else (_cpu_copy(test[0]), _labels(test[1], test[0].dtype)),
        history=plain_columns(history),
        trainer=trainer.state_dict(),
        gradient_norms=None if gradient_norms is None else _finite_rows(gradient_norms),
        problem=problem,
    )


def _cpu_copy(tensor: torch.Tensor) -> torch.Tensor:
    """A copy of ``tensor`` on the CPU."""
    return tensor.to("cpu", copy=True)


def _labels(y: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """A CPU copy of labels ``y`` as the points hold them, an (n, 1) column of ``dtype``: a trainer holds class
    indices as int64 (n,) for cross-entropy."""
    return _cpu_copy(y).reshape(len(y), 1).to(dtype)


def _finite_rows(rows: Sequence[Sequence[float | None]]) -> list[list[float | None]]:
    """``rows`` as lists of Python floats, with None for anything that is not a finite number."""
    rows = rows.tolist() if hasattr(rows, "tolist") else rows
    return [[float(v) if v is not None and math.isfinite(v) else None for v in row] for row in rows]


def capture_session(session: Session) -> SessionData:
    """Everything needed to continue ``session`` exactly: config, data, trainer state, history
    (with its per-layer gradient norms)."""
    problem = session.config.data.problem
    history = {name: session.history.column(name) for name in columns_of(problem)}
    config = file_config(session.config)
    norms = session.history.gradient_norms.values()
    seed = session.config.network.seed
    return capture(config, session.trainer, history, seed, gradient_norms=norms, problem=str(problem))


def file_config(config: Config) -> dict[str, Any]:
    """``config`` as a session file holds it: lists, not tuples; and the normal init's mean, the class count and
    the input features only when they are not their defaults (0, the set's own, x1 and x2), so that a session
    without them keeps format version 1's layout exactly (files written before they existed have none, and
    read as those defaults: `Config.from_dict`)."""
    data = json.loads(json.dumps(config.to_dict()))
    for section, key, default in (
        ("network", "init_mean", 0.0),
        ("data", "classes", None),
        ("network", "features", list(DEFAULT_FEATURES)),
    ):
        if data[section][key] == default:
            del data[section][key]
    return data


def session_from_saved(saved: SessionData, resolution: int = 100) -> Session:
    """A new `Session` at the saved epoch, with the saved points, weights, optimizer and shuffle state
    and history; its next epoch is the one the saved run would have trained next.

    SessionFileError (a ValueError naming the field) if the configuration is invalid or the saved
    state is not one it describes (see `check_agrees`); ValueError if the state does not fit it.
    Changes nothing else, and needs no Qt: it may run on any thread.
    """
    try:
        config = Config.from_dict(saved.config)
    except (ValueError, TypeError) as error:
        raise SessionFileError(f"field 'config' is invalid: {error}") from None
    session = Session(config, resolution=resolution)
    check_agrees(saved, session.config, session.trainer)
    train = (saved.train[0].clone(), saved.train[1].clone())  # ``saved`` may be restored again (a run)
    test = (saved.test[0].clone(), saved.test[1].clone()) if saved.test is not None else (train[0][:0], train[1][:0])
    generated = (*session.train_data, *session.test_data)
    session.set_data(train, test)
    session.custom_points = not all(  # drawn or imported points, not the configuration's
        a.shape == b.shape and a.dtype == b.dtype and torch.equal(a, b)
        for a, b in zip(generated, (*train, *test), strict=True)
    )
    session.trainer.load_state_dict(saved.trainer)
    session.history.extend(history_records(saved.history, saved.gradient_norms))
    return session


def history_records(
    columns: dict[str, list[float | int | None]], gradient_norms: list[list[float | None]] | None = None
) -> list[SimpleNamespace]:
    """One record per row of saved history ``columns`` (a missing column or value is None), with that
    epoch's row of ``gradient_norms`` (None as NaN) as its ``gradient_norms`` when there are any."""
    length = max((len(values) for values in columns.values()), default=0)
    records = [
        SimpleNamespace(**{name: columns[name][row] if name in columns else None for name in COLUMNS})
        for row in range(length)
    ]
    if gradient_norms is not None:
        for record, norms in zip(records, gradient_norms, strict=True):
            record.gradient_norms = tuple(math.nan if v is None else v for v in norms)
    return records


def ended_run(session: Session, ended: str) -> Run:
    """The `Run` record of ``session`` as it is now, restorable (with its full state)."""
    with torch.no_grad():
        saved = capture_session(session)
    return make_run(session.config, session.history, session.trainer.elapsed, ended, saved, session.config_log)
