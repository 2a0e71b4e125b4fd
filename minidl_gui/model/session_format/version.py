"""Which session documents this minidl reads, and where one of an older format version becomes current.

Every change to the layout of a session file gets a new `VERSION`, and a step in `MIGRATIONS` that turns
a document of the previous version into one of the new: files written by any earlier minidl then still
open, one step at a time. A file of a newer version than this minidl knows is refused with a message
saying to update.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minidl_gui.model.json_document import check_version

FORMAT = "minidl-session"
"""The ``format`` field of every session document."""
VERSION = 1
"""The version this minidl writes, and the newest it reads."""
SUFFIX = ".minidl"
"""The file name suffix of session files."""

Document = dict[str, Any]
MIGRATIONS: dict[int, Callable[[Document], Document]] = {}
"""``MIGRATIONS[n]`` turns a version-``n`` document into a version ``n + 1`` one. Empty: version 1 is the
first version, so there is nothing older to convert yet."""


def migrate(document: Document, source: str = "<document>") -> Document:
    """``document`` (as `parse_document` returned it) in the current `VERSION`'s layout, converted one
    version at a time; SessionFileError naming ``source`` if it is newer than this minidl reads."""
    for version in range(check_version(document, VERSION, source), VERSION):
        document = MIGRATIONS[version](document)
        document["version"] = version + 1
    return document
