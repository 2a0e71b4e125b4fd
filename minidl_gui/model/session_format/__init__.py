"""Session files: everything needed to reopen a training and continue it exactly, as plain JSON.

A session file (``.minidl``) is UTF-8 JSON text; opening one only parses data (no pickle, no
``torch.load``, no code runs) and checks every field against the limits of the app's controls. Pure
Python: no Qt, and nothing of the live session (an import-linter contract checks it).

- `session_data`: `SessionData`, what a file holds, in memory;
- `version`: the format name, the current version, and `migrate`, where older documents become current;
- `document`: `SessionData` ↔ JSON document (the layout of the current version is described there),
  with the ``history``/``gradient_norms`` sections in `history_section` and the ``optimizer``/``scheduler``
  sections in `optimizer_section`;
- `consistency`: the saved state checked against the configuration it holds;
- `storage`: saving (atomic, size-capped) and loading (bounded) files.
"""

from minidl_gui.model.json_document import SessionFileError
from minidl_gui.model.session_format.document import session_document, session_from_document
from minidl_gui.model.session_format.session_data import SessionData
from minidl_gui.model.session_format.storage import load_session, loads_session, save_session
from minidl_gui.model.session_format.version import FORMAT, SUFFIX, VERSION, migrate

__all__ = [
    "FORMAT",
    "SUFFIX",
    "VERSION",
    "SessionData",
    "SessionFileError",
    "load_session",
    "loads_session",
    "migrate",
    "save_session",
    "session_document",
    "session_from_document",
]
