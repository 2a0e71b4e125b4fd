"""`SessionData` as a JSON document of the current format version, and back, checking every field.

A tensor is `json_tensors`' ``{"dtype": "float32", "shape": [25, 2], "data": [flat values]}``; every
float32 or float64 value survives the trip through a Python float exactly, so save → open is bit-exact.
Format version 1::

    {"format": "minidl-session", "version": 1,
     "config": {...the app's configuration...}, "problem": "3 classes", "seed": 0,
     "data": {"dtype": "float32", "features": 2,
              "train": {"x": [[x1, x2], ...], "y": [0, 1, ...]}, "test": {"x": ..., "y": ...} or null},
     "model": {"0.weight": tensor, ...},
     "optimizer": {"type": "Adam", "hyperparameters": {...}, "step": 120, "state": {"exp_avg": [tensor, ...]}},
     "scheduler": {"type": "StepLR", "state": {"base_lr": 0.1, "last_epoch": 3, ...}} or null,
     "history": {"epoch": [1, 2, 3], "train_loss": [...], ...},
     "gradient_norms": [[w1, w2, w3], ...],
     "trainer": {"epoch": 3, "elapsed": 0.52, "batch_size": 10, "generator_state": tensor}}

``model``, ``optimizer``, ``scheduler`` and ``trainer`` together are `Trainer.state_dict()`; the
generator state is the shuffle order to come, so a reopened training draws the same mini-batches it
would have drawn. ``gradient_norms`` (optional: files written before it existed lack it) holds
‖∂L/∂W_k‖ of every `Linear` layer, one row per history epoch, null where unknown. Early stopping's
progress has no field: the app trains without validation data, so it never counts.

``problem`` (``str(minidl.Problem)``: ``"3 classes"``, ``"regression"``) is there only when it is not
``"binary"``: files written before problems existed lack it and are binary, and a binary session keeps version 1's
layout exactly (its configuration leaves out a default class count and features, and its history the regression
columns: `saved_session.file_config`, `history.columns_of`). The labels ``y`` are class indices 0 … k−1 for a
classification, any finite numbers (the targets) for a regression; the model's output width is the problem's
(k logits, else 1). ``data.features`` is the number of coordinates of a point (2), not the input features of
the network, which its configuration names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import torch
from torch import Tensor

from minidl.problem import Problem
from minidl_gui.model.config import INPUTS, MAX_BATCH_SIZE, MAX_EPOCHS, MAX_POINTS, MAX_SEED
from minidl_gui.model.json_document import SessionFileError, show_value
from minidl_gui.model.json_tensors import DTYPE_NAMES, decode_state, decode_tensor, encode_state, encode_tensor
from minidl_gui.model.json_values import as_integer, as_number, as_object, field, is_number
from minidl_gui.model.point_edits import label_misfit
from minidl_gui.model.session_format.history_section import decode_gradient_norms, decode_history
from minidl_gui.model.session_format.optimizer_section import decode_optimizer, decode_scheduler
from minidl_gui.model.session_format.session_data import SessionData
from minidl_gui.model.session_format.version import FORMAT, VERSION

_GENERATOR_STATE_SIZE = torch.Generator().get_state().numel()
_NO_EARLY_STOPPING = {"best_validation_loss": math.inf, "epochs_without_improvement": 0}
"""Early stopping's progress in a trainer without validation data: it never moves from these."""


def session_document(session: SessionData) -> dict[str, Any]:
    """``session`` as JSON data (see the module docstring)."""
    x, trainer = session.train[0], session.trainer
    problem = _problem(session.problem)
    if any(trainer[key] != value for key, value in _NO_EARLY_STOPPING.items()):
        raise ValueError(f"cannot save this session: format version {VERSION} has no place for early-stopping progress")
    optimizer = trainer["optimizer"]
    hyper = {k: list(v) if isinstance(v, tuple) else v for k, v in optimizer["hyperparameters"].items()}
    return {
        "format": FORMAT,
        "version": VERSION,
        "config": session.config,
        **({} if session.problem == "binary" else {"problem": session.problem}),
        "seed": session.seed,
        "data": {
            "dtype": DTYPE_NAMES.get(x.dtype, str(x.dtype)),
            "features": x.shape[-1] if x.dim() == 2 else 0,
            "train": _encode_points(session.train, problem),
            "test": None if session.test is None else _encode_points(session.test, problem),
        },
        "model": encode_state(trainer["model"]),
        "optimizer": {
            "type": optimizer["type"],
            "hyperparameters": hyper,
            "step": optimizer["step"],
            "state": {name: [encode_tensor(t) for t in chunks] for name, chunks in optimizer["state"].items()},
        },
        "scheduler": trainer["scheduler"],
        "history": session.history,
        **({} if session.gradient_norms is None else {"gradient_norms": session.gradient_norms}),
        "trainer": {
            "epoch": trainer["epoch"],
            "elapsed": trainer["elapsed"],
            "batch_size": trainer["batch_size"],
            "generator_state": encode_tensor(trainer["generator_state"]),
        },
    }


def session_from_document(document: Mapping[str, Any]) -> SessionData:
    """The `SessionData` a document of the current version holds (`migrate` older ones first);
    SessionFileError naming the first bad field.

    Every number is checked against the limits of the app's controls (`minidl_gui.model.config`), and
    list lengths are checked before any tensor is built from them.
    """
    problem = _problem(document.get("problem", "binary"))  # optional: absent from binary sessions' files
    data = as_object(field(document, "data"), "data")
    dtype_name = field(data, "dtype", "data.")
    if dtype_name != "float32":
        raise SessionFileError(
            f"field 'data.dtype' should be 'float32' (the dtype the app trains with), not {show_value(dtype_name)}"
        )
    train = _decode_points(field(data, "train", "data."), "data.train", problem)
    test = field(data, "test", "data.")
    test = None if test is None else _decode_points(test, "data.test", problem)
    as_integer(field(data, "features", "data."), "data.features", low=INPUTS, high=INPUTS)
    model = decode_state(field(document, "model"), "model")
    _check_outputs(model, problem)
    parameters = {name: tensor for name, tensor in model.items() if tensor.is_floating_point()}  # not the buffers
    trainer = as_object(field(document, "trainer"), "trainer")
    history = decode_history(field(document, "history"))
    epochs = len(next(iter(history.values()), []))
    layers = sum(1 for tensor in model.values() if tensor.dim() == 2)  # one weight matrix per Linear layer
    norms = document.get("gradient_norms")  # optional: absent from files written before it existed
    config = as_object(field(document, "config"), "config")
    seed = _seed(field(document, "seed"))
    state = {
        "model": model,
        "optimizer": decode_optimizer(field(document, "optimizer"), parameters),
        "scheduler": decode_scheduler(field(document, "scheduler")),
        "epoch": as_integer(field(trainer, "epoch", "trainer."), "trainer.epoch", high=MAX_EPOCHS),
        "elapsed": as_number(field(trainer, "elapsed", "trainer."), "trainer.elapsed", low=0.0),
        "batch_size": as_integer(field(trainer, "batch_size", "trainer."), "trainer.batch_size", 1, MAX_BATCH_SIZE),
        "generator_state": _decode_generator_state(field(trainer, "generator_state", "trainer.")),
        **_NO_EARLY_STOPPING,
    }
    return SessionData(
        config=config,
        seed=seed,
        train=train,
        test=test,
        history=history,
        trainer=state,
        gradient_norms=None if "gradient_norms" not in document else decode_gradient_norms(norms, epochs, layers),
        problem=str(problem),
    )


def _problem(value: Any) -> Problem:
    if isinstance(value, str):
        try:
            return Problem.parse(value)
        except ValueError:
            pass
    raise SessionFileError(
        f"field 'problem' should be 'binary', 'regression' or 'k classes' (k from 3 to 6), not {show_value(value)}"
    )


def _check_outputs(model: dict[str, Tensor], problem: Problem) -> None:
    """The last `Linear` layer has the problem's output width (k logits for k classes, else one output)."""
    weights = [(name, tensor) for name, tensor in model.items() if tensor.dim() == 2]
    if weights and weights[-1][1].shape[0] != problem.out_features:
        name, tensor = weights[-1]
        raise SessionFileError(
            f"tensor 'model.{name}' gives {tensor.shape[0]} outputs, but a {problem.adjective} problem "
            f"(field 'problem') needs {problem.out_features}"
        )


def _encode_points(points: tuple[Tensor, Tensor], problem: Problem) -> dict[str, Any]:
    """Class indices as whole numbers; a regression's targets as floats (0 and 1 as whole numbers too: the
    layout binary files always had)."""
    labels = points[1].reshape(-1).tolist()
    whole = problem.is_classification
    return {
        "x": points[0].tolist(),
        "y": [int(v) if v in (0.0, 1.0) or (whole and float(v).is_integer()) else v for v in labels],
    }


def _decode_points(value: Any, where: str, problem: Problem) -> tuple[Tensor, Tensor]:
    """At most `MAX_POINTS` points of `INPUTS` coordinates and their labels (fitting ``problem``), as float32
    tensors."""
    value = as_object(value, where)
    x, y = field(value, "x", where + "."), field(value, "y", where + ".")
    if not (isinstance(x, list) and isinstance(y, list)):
        raise SessionFileError(f"fields '{where}.x' and '{where}.y' should be lists")
    if len(x) > MAX_POINTS:
        raise SessionFileError(f"'{where}' has {len(x)} points; the app allows at most {MAX_POINTS}")
    if len(x) != len(y):
        raise SessionFileError(f"'{where}' has {len(x)} points but {len(y)} labels")
    for index, row in enumerate(x):
        if not (isinstance(row, list) and len(row) == INPUTS and all(is_number(v) for v in row)):
            raise SessionFileError(f"point {index} of '{where}.x' should be a list of {INPUTS} numbers")
    if not all(type(v) in (int, float) and math.isfinite(v) for v in y) or label_misfit(problem, y):
        what = {
            "binary": "0 or 1",
            "multiclass": f"class indices from 0 to {problem.classes - 1}",
            "regression": "finite numbers",
        }[problem.kind]
        raise SessionFileError(f"the labels in '{where}.y' should all be {what}")
    points = torch.tensor(x, dtype=torch.float32).reshape(len(x), INPUTS)
    if not torch.isfinite(points).all():
        raise SessionFileError(f"'{where}.x' holds NaN, infinity or a number too large for float32")
    labels = torch.tensor(y, dtype=torch.float32).reshape(-1, 1)
    if not torch.isfinite(labels).all():
        raise SessionFileError(f"'{where}.y' holds a number too large for float32")
    return points, labels


def _decode_generator_state(value: Any) -> Tensor:
    state = decode_tensor(value, "trainer.generator_state", floating=False)
    if state.shape != (_GENERATOR_STATE_SIZE,):
        raise SessionFileError(
            f"tensor 'trainer.generator_state' should have shape [{_GENERATOR_STATE_SIZE}], not {list(state.shape)}"
        )
    try:
        torch.Generator().set_state(state)
    except RuntimeError as err:
        raise SessionFileError(f"tensor 'trainer.generator_state' is not a random generator state ({err})") from None
    return state


def _seed(value: Any) -> int | None:
    if value is None or (type(value) is int and 0 <= value <= MAX_SEED):
        return value
    raise SessionFileError(
        f"field 'seed' should be a whole number from 0 to {MAX_SEED} or null, not {show_value(value)}"
    )
