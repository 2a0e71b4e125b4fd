"""A `Config` from JSON text (a ``--config`` file, the saved settings), refusing what Python's json
accepts but a config must not hold: NaN and infinities, integers of hundreds of digits, a key twice in
one object, and nesting deep enough to exhaust the stack."""

from __future__ import annotations

import json
import math
from typing import Any

from minidl_gui.model.config import Config
from minidl_gui.model.json_document import unique_keys


def config_from_json(text: str, *, fit: bool = False) -> Config:
    """The `Config` in ``text`` (shaped like ``Config.to_dict()``); ValueError with one line naming what is wrong.
    ``fit``: a loss or output that does not fit the data's problem is fitted to it (`Config.from_dict`)."""
    try:
        data = json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error}") from None
    except RecursionError:
        raise ValueError("the JSON is nested too deeply for a config") from None
    except ValueError as error:  # an integer with thousands of digits
        raise ValueError(f"not valid JSON: {error}") from None
    found = unusable_number(data)
    if found is not None:
        where, problem = found
        raise ValueError(f"{where} is {problem}: a config holds finite numbers of sensible size only")
    try:
        return Config.from_dict(data, fit=fit)
    except TypeError as error:
        raise ValueError(str(error)) from None


def unusable_number(data: Any) -> tuple[str, str] | None:
    """The first NaN, infinity (``1e400`` parses as one) or integer beyond 64 bits in parsed JSON ``data``, as
    ``("training.lr", "inf")`` or ``("data.seed", "a 400-digit number")``; None if there is none."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return where or "the config", str(value)
        if type(value) is int and abs(value) >= 2**63:
            return where or "the config", f"a {len(str(abs(value)))}-digit number"
        if isinstance(value, dict):
            stack.extend((f"{where}.{key}" if where else str(key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((f"{where}[{index}]", item) for index, item in reversed(list(enumerate(value))))
    return None


def config_from_saved_json(text: str) -> tuple[Config, list[str]]:
    """The config saved in settings as ``text``, keeping every valid field: ``(config, reset)``, where
    ``reset`` names the fields that were invalid and got their defaults (``["config.training.lr"]``), or is
    ``["config"]`` when ``text`` is not a config at all. Fields are kept one by one, each checked with those kept
    before it; the loss and output activation follow the data's problem (`fit_problem`), so that a kept data set
    of k classes is not lost for want of the cross-entropy loss checked after it."""
    try:
        return config_from_json(text), []
    except ValueError:
        pass
    try:
        data = json.loads(text, object_pairs_hook=unique_keys)
    except (ValueError, RecursionError):
        return Config(), ["config"]
    if not isinstance(data, dict) or not all(isinstance(section, dict) for section in data.values()):
        return Config(), ["config"]
    kept: dict[str, dict[str, Any]] = {}
    reset = []
    for section, values in data.items():
        for key, value in values.items():
            candidate = {**kept, section: {**kept.get(section, {}), key: value}}
            try:
                config_from_json(json.dumps(candidate), fit=True)
            except ValueError:
                reset.append(f"config.{section}.{key}")
            else:
                kept = candidate
    return config_from_json(json.dumps(kept), fit=True), reset
