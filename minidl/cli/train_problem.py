"""What ``minidl train`` fits: the problem of its data (binary, k classes, regression) and the loss, output
activation, threshold and input features that go with it.

The problem follows the data: a generated set's (`minidl.data.dataset_problem`, ``--classes`` for the sets
that take a class count), or a points file's labels (`minidl.data.infer_problem`; with ``--classes`` the labels
are checked against that many classes). Flags the user left out follow the problem: the loss is the problem's
default (mse for binary and regression, cross_entropy for k classes), the output activation is sigmoid for
``--loss bce`` and identity otherwise. Every combination that cannot train is a ValueError of one line, raised
before anything trains.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from minidl.cli.arguments import too_many_parameters
from minidl.data import CLASS_CHOICE, dataset_problem
from minidl.features import DEFAULT_FEATURES, check_features
from minidl.problem import Problem

FEATURES_EXAMPLE = "'x1,x2,x1^2,x2^2'"
"""A ``--features`` value as typed in a shell: quoted, since ``^``, ``*`` and parentheses are special there."""


def feature_names(text: str) -> tuple[str, ...]:
    """The ``--features`` type: ``"x1,x2,x1^2"`` → ``("x1", "x2", "x1^2")``, each one of `FEATURE_NAMES` at most
    once; an unknown, repeated or missing name is refused with the allowed names."""
    names = tuple(part.strip() for part in text.split(",")) if text.strip() else ()
    try:
        return check_features(names)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


@dataclass(frozen=True)
class Fit:
    """The run's problem and the choices that follow it: the loss (a key of `minidl.losses.LOSSES`), the output
    activation, the threshold of a binary output, and the input ``features`` (None: the raw points, no
    `minidl.Features` module, as before features existed)."""

    problem: Problem
    loss: str
    output_activation: str
    threshold: float
    features: tuple[str, ...] | None

    @property
    def inputs(self) -> tuple[str, ...]:
        """The names of the model's input columns."""
        return self.features or DEFAULT_FEATURES

    def layers(self, hidden: tuple[int, ...]) -> list[int]:
        """The widths of the net: its inputs, ``hidden``, its outputs."""
        return [len(self.inputs), *hidden, self.problem.out_features]


def generated_problem(args: argparse.Namespace) -> Problem:
    """The problem of ``--dataset`` with ``--classes``; ValueError for a class count a fixed set cannot take."""
    if args.classes is not None and args.dataset not in CLASS_CHOICE:
        raise ValueError(
            f"--classes {args.classes} does not fit --dataset {args.dataset}, whose problem is fixed "
            f"({dataset_problem(args.dataset)}): only {' and '.join(CLASS_CHOICE)} take --classes"
        )
    return dataset_problem(args.dataset, args.classes)


def file_problem(args: argparse.Namespace) -> Problem | None:
    """The problem ``--classes`` asks of a ``--data`` file (its labels are checked against it), or None: the
    labels decide (`minidl.data.infer_problem`)."""
    return None if args.classes is None else Problem.classification(args.classes)


def fit(args: argparse.Namespace, problem: Problem) -> Fit:
    """The loss, output activation, threshold and features of ``args`` on ``problem``, the flags left out
    following the problem; ValueError (one line) for a combination that does not fit it."""
    loss = args.loss or problem.default_loss
    try:
        problem.check_loss(loss)
    except ValueError as error:
        if args.data is None:
            raise
        raise ValueError(f"the labels of {args.data} make a {problem.adjective} problem: {error}") from None
    if args.threshold is not None and problem.kind != "binary":
        raise ValueError(
            f"--threshold splits the one output of a binary problem; a {problem.adjective} problem has none to "
            f"split: leave --threshold out"
        )
    features = None if args.features in (None, DEFAULT_FEATURES) else args.features
    result = Fit(problem, loss, _output_activation(args, loss, problem), _threshold(args, loss), features)
    reason = too_many_parameters(result.layers(args.hidden))
    if reason:
        raise ValueError(reason)
    return result


def _output_activation(args: argparse.Namespace, loss: str, problem: Problem) -> str:
    """BCE needs outputs in [0, 1]: sigmoid when the user did not choose, a clear error if they chose otherwise.
    Cross-entropy takes logits: identity, refusing any other. Else the user's choice, identity by default."""
    chosen = args.output_activation
    if loss == "bce":
        if chosen not in (None, "sigmoid"):
            raise ValueError(
                f"--loss bce needs outputs in [0, 1], which --output-activation {chosen} does not "
                f"guarantee: use --output-activation sigmoid, or --loss bce_logits with --output-activation identity"
            )
        return "sigmoid"
    if problem.kind == "multiclass" and chosen not in (None, "identity"):
        raise ValueError(
            f"--loss {loss} takes the {problem.classes} raw outputs (logits) and applies the softmax itself, "
            f"so --output-activation {chosen} does not fit: leave --output-activation out (identity)"
        )
    return chosen or "identity"


def _threshold(args: argparse.Namespace, loss: str) -> float:
    """The output value separating the two predicted classes: 0 for logits, else halfway between labels."""
    if args.threshold is not None:
        return args.threshold
    return 0.0 if loss == "bce_logits" else 0.5
