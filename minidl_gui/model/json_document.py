"""JSON documents read within bounds: a user's file becomes a JSON object, in bounded time and memory,
or `SessionFileError` says why not.

A document is a JSON object with ``format`` and ``version`` fields (session files, weights files).
Reading only parses data (no pickle, no ``torch.load``): the file must be a regular file under
`MAX_FILE_BYTES`, UTF-8 JSON without a key twice in an object, and hold at most as many lists, objects
and values as the caller allows (counted before parsing). Its fields are read with `json_values`, its
tensors with `json_tensors`.
"""

from __future__ import annotations

import json
import os
from typing import Any

from minidl.files import FileRefusedError, read_bounded

MAX_FILE_BYTES = 256 * 2**20
"""Room for the largest session the app allows, written with the longest number texts (about 190 MB:
8 × 512 hidden, Adam's weights and two moment buffers, 100,000 epochs of history); `save_session`
refuses to write a file above it, so whatever is saved can be reopened."""
MAX_SHOWN_ITEMS = 8
"""A list of at most this many plain values is shown whole in a message."""

PathLike = str | os.PathLike


class SessionFileError(ValueError):
    """A file that cannot be opened as a session (or weights) file; the message names the file and why."""


def read_bytes(path: PathLike, what: str) -> bytes:
    """The bytes of regular file ``path``; SessionFileError if it is not one or is larger than `MAX_FILE_BYTES`."""
    try:
        return read_bounded(path, MAX_FILE_BYTES, what)
    except FileRefusedError as error:
        raise SessionFileError(str(error)) from None


def parse_document(
    raw: bytes,
    source: str,
    format_name: str,
    what: str,
    max_containers: int | None = None,
    max_values: int | None = None,
) -> dict[str, Any]:
    """The JSON object in ``raw`` after checking its ``format`` field and that its ``version`` is a whole
    number >= 1 (whether this minidl reads that version is `check_version`'s question).

    SessionFileError if ``raw`` is not UTF-8 JSON or not a ``format_name`` document; or, before parsing,
    if it could hold more than ``max_containers`` lists and objects or ``max_values`` values (a list or
    object costs Python ~60 bytes for 2 bytes of file, a number ~32: the two caps bound the memory
    parsing takes, whatever the file holds).
    """
    containers = raw.count(b"[") + raw.count(b"{")  # brackets in strings count too: an upper bound
    if max_containers is not None and containers > max_containers:
        raise SessionFileError(
            f"{source}: not a {what} (it holds {containers} lists and objects, at most {max_containers} allowed)"
        )
    values = raw.count(b",") + 1  # every value but the first of each list or object follows a comma
    if max_values is not None and values > max_values:
        raise SessionFileError(f"{source}: not a {what} (it holds {values} values, at most {max_values} allowed)")
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=unique_keys)
    except UnicodeDecodeError as err:
        raise SessionFileError(f"{source}: not a {what} (not UTF-8 text: byte {err.start} is invalid)") from None
    except json.JSONDecodeError as err:
        raise SessionFileError(
            f"{source}: not a {what} (invalid JSON at line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None
    except RecursionError:
        raise SessionFileError(f"{source}: not a {what} (JSON nested too deeply)") from None
    except ValueError as err:  # a key that appears twice, an integer with thousands of digits
        raise SessionFileError(f"{source}: not a {what} ({err})") from None
    if not isinstance(document, dict):
        raise SessionFileError(f"{source}: not a {what} (the top level is {describe_kind(document)}, not an object)")
    if document.get("format") != format_name:
        raise SessionFileError(f"{source}: not a {what} (its 'format' is {show_value(document.get('format'))})")
    found = document.get("version")
    if type(found) is not int or found < 1:
        raise SessionFileError(f"{source}: not a {what} (its 'version' is {show_value(found)})")
    return document


def check_version(document: dict[str, Any], readable: int, source: str) -> int:
    """The ``version`` of ``document`` (one `parse_document` returned); SessionFileError if it is newer
    than ``readable``, the newest version this minidl reads."""
    found = document["version"]
    if found > readable:
        raise SessionFileError(
            f"{source} was written by a newer version of minidl (format version {found}, this version "
            f"reads up to {readable}): update minidl to open it"
        )
    return found


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's pairs as a dict; ValueError if a key appears twice (JSON would keep the last silently)."""
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        repeated = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise ValueError(f"the key {show_value(repeated)} appears twice in an object")
    return document


def describe_kind(value: Any) -> str:
    """``value`` as a message names it: "an object", "a list", or the value itself (`show_value`)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return show_value(value)


def show_value(value: Any) -> str:
    """``value`` as a message shows it: JSON's null, a short list whole, anything else cut at 40 characters."""
    short_list = isinstance(value, list) and len(value) <= MAX_SHOWN_ITEMS
    if short_list and not any(isinstance(v, dict | list) for v in value):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    if isinstance(value, dict | list):
        return describe_kind(value)
    text = "null" if value is None else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
