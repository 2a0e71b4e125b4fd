"""Exports besides a whole session: the training history as CSV, the weights alone as JSON.

A weights file is ``{"format": "minidl-weights", "version": 1, "model": {"0.weight": tensor, ...}}``
with `json_tensors`' encoding, as in session files (exact, and opening it runs no code).
"""

from __future__ import annotations

import csv
import json
from typing import TextIO

from minidl.files import atomic_write
from minidl.module import Module, check_state_fits
from minidl_gui.model.json_document import PathLike, SessionFileError, check_version, parse_document, read_bytes
from minidl_gui.model.json_tensors import decode_state, encode_state
from minidl_gui.model.json_values import HistoryColumns, check_history, field, plain_columns

WEIGHTS_FORMAT = "minidl-weights"
WEIGHTS_VERSION = 1
_WHAT = "minidl weights file"


def write_history_csv(path: PathLike, history: HistoryColumns) -> None:
    """Write ``history`` as CSV, atomically: a header of column names, then one row per epoch.

    Columns may be lists, numpy arrays or tensors. Numbers are written exactly (Python's shortest
    round-trip form); None is an empty cell. ValueError if the columns are not equal-length numbers.
    """
    columns = check_history(plain_columns(history))

    def write(file: TextIO) -> None:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(zip(*columns.values(), strict=True))

    atomic_write(path, write)


def save_weights(path: PathLike, model: Module) -> None:
    """Write ``model.state_dict()`` to ``path`` as a weights file, atomically."""
    document = {"format": WEIGHTS_FORMAT, "version": WEIGHTS_VERSION, "model": encode_state(model.state_dict())}
    try:
        decode_state(document["model"], "model")
    except SessionFileError as err:
        raise ValueError(f"cannot save these weights: {err}") from None
    atomic_write(path, lambda file: json.dump(document, file))


def load_weights(path: PathLike, model: Module) -> None:
    """Copy the weights in file ``path`` into ``model``: all of them or, on any error, none.

    SessionFileError if the file is not a weights file, is damaged, or does not fit ``model``
    (other parameter names or shapes); OSError if it cannot be read.
    """
    document = parse_document(read_bytes(path, _WHAT), str(path), WEIGHTS_FORMAT, _WHAT)
    check_version(document, WEIGHTS_VERSION, str(path))
    try:
        state = decode_state(field(document, "model"), "model")
        check_state_fits(model, state)
    except ValueError as err:
        raise SessionFileError(f"{path}: {err}") from None
    model.load_state_dict(state)
