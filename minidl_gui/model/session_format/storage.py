"""Session files on disk: saved atomically and no larger than a file may be, opened in bounded time and memory.

Opening a file reads at most `json_document.MAX_FILE_BYTES`, counts its lists, objects and values before
parsing (at most `MAX_CONTAINERS` and `MAX_VALUES`), parses it without running code, brings it to the
current format version (`migrate`) and checks every field (`session_from_document`): a new `SessionData`,
or `SessionFileError` naming the file and the first problem. Nothing else changes.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from minidl.files import atomic_write, describe_size
from minidl.problem import MAX_CLASSES
from minidl_gui.model import json_document
from minidl_gui.model.config import INPUTS, MAX_EPOCHS, MAX_HIDDEN_LAYERS, MAX_INPUTS, MAX_POINTS, MAX_WIDTH
from minidl_gui.model.history import COLUMNS
from minidl_gui.model.json_document import PathLike, SessionFileError, parse_document, read_bytes
from minidl_gui.model.session_format.document import session_document, session_from_document
from minidl_gui.model.session_format.session_data import SessionData
from minidl_gui.model.session_format.version import FORMAT, migrate

_WHAT = "minidl session file"
MAX_CONTAINERS = 2 * MAX_POINTS + MAX_EPOCHS + 10_000
"""The most lists and objects a session holds: a list per point, a gradient-norm row per epoch, and the rest."""
_LARGEST_MODEL = (
    (MAX_INPUTS + 1) * MAX_WIDTH + (MAX_HIDDEN_LAYERS - 1) * (MAX_WIDTH + 1) * MAX_WIDTH + (MAX_WIDTH + 1) * MAX_CLASSES
)
MAX_VALUES = 3 * _LARGEST_MODEL + 2 * MAX_POINTS * (INPUTS + 1) + (len(COLUMNS) + MAX_HIDDEN_LAYERS + 1) * MAX_EPOCHS
MAX_VALUES += 100_000
"""The most values a session holds: the largest model's weights (every input feature, `MAX_CLASSES` outputs) and
Adam's two moments, every point, a history
row and a gradient-norm row per epoch, and the rest (generator state, settings). Each parsed number costs Python
~32 bytes: this bounds the memory opening a file takes (~250 MB)."""


def save_session(path: PathLike, session: SessionData) -> None:
    """Write ``session`` to ``path`` atomically: a crash mid-save leaves the previous file intact.

    ValueError (before anything is written) if the session holds something a file could not reopen.
    """
    try:
        json.dumps(session.config)
    except (TypeError, ValueError) as err:
        raise ValueError(f"cannot save this session: the configuration is not JSON data ({err})") from None
    document = session_document(session)
    try:
        session_from_document(document)
    except SessionFileError as err:
        raise ValueError(f"cannot save this session: {err}") from None
    atomic_write(path, lambda file: _write_within_cap(document, file))


def _write_within_cap(document: dict[str, Any], file: TextIO) -> None:
    """``document`` as JSON into ``file``; ValueError (the save is undone) if it is larger than a file may be."""
    json.dump(document, file)
    size = file.tell()
    if size > json_document.MAX_FILE_BYTES:
        raise ValueError(
            f"cannot save this session: it would take {describe_size(size)}, more than the "
            f"{describe_size(json_document.MAX_FILE_BYTES)} a session file may hold; "
            "use fewer points or a smaller network"
        )


def load_session(path: PathLike) -> SessionData:
    """The session in file ``path``: SessionFileError (corrupt, not a session, too new) or OSError."""
    return loads_session(read_bytes(path, _WHAT), str(path))


def loads_session(raw: bytes, source: str = "<bytes>") -> SessionData:
    """The session encoded in ``raw`` (a file's bytes); ``source`` names it in error messages."""
    document = migrate(parse_document(raw, source, FORMAT, _WHAT, MAX_CONTAINERS, MAX_VALUES), source)
    try:
        return session_from_document(document)
    except SessionFileError as err:
        raise SessionFileError(f"{source}: damaged {_WHAT}: {err}") from None
