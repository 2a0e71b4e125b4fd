"""``minidl train``: train one net with every choice on the command line; a table or ``--json`` out."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from typing import Any

import torch

from minidl.activations import ACTIVATIONS
from minidl.cli.arguments import (
    HelpFormatter,
    betas,
    finite_float,
    fraction,
    hidden_layers,
    name_list,
    non_negative_float,
    non_negative_int,
    positive_float,
    positive_int,
    user_seed,
    whole_number,
)
from minidl.cli.limits import MAX_POINTS
from minidl.cli.progress import ProgressBar
from minidl.cli.stopped import stopped_early
from minidl.cli.train_problem import (
    FEATURES_EXAMPLE,
    Fit,
    feature_names,
    file_problem,
    fit,
    generated_problem,
)
from minidl.cli.train_report import final_metrics, summary
from minidl.data import (
    CLASS_CHOICE,
    DATASETS,
    CSVFormatError,
    infer_problem,
    load_points,
    make_dataset,
    train_test_split,
)
from minidl.experiments import REPORT_EXPERIMENTS, REPORT_HIDDEN, REPORT_INIT, REPORT_INIT_STD, REPORT_POINTS
from minidl.features import FEATURE_NAMES
from minidl.init import INIT_NAMES
from minidl.losses import LOSSES
from minidl.optim import OPTIMIZERS
from minidl.problem import MAX_CLASSES, MIN_CLASSES, Problem
from minidl.schedulers import NO_SCHEDULE, SCHEDULERS
from minidl.seeds import RunSeeds
from minidl.training import EpochResult, RunSettings, StopRules, TrainingDiverged, build_run
from minidl.training.run_settings import DTYPES
from minidl.training.trainer import Data

DEFAULT_LR = {experiment.optimizer: experiment.lr for experiment in REPORT_EXPERIMENTS}
DEFAULT_GAMMA = {"step": 0.1, "exponential": 0.95}
POINTS = whole_number(0, MAX_POINTS, "MAX_POINTS")
BATCH_SIZE = whole_number(1, MAX_POINTS, "MAX_POINTS")
CLASSES = whole_number(MIN_CLASSES, MAX_CLASSES, "MAX_CLASSES")
DEVICES = ("cpu", "cuda", "auto")

DESCRIPTION = """\
Train a multilayer perceptron on a 2-D data set and report its losses and metrics.

The defaults are the report's Adam experiment: the disc set (1000 + 1000 points), 2-25-25-25-1 ReLU
net, MSE loss, Adam lr 5e-3, batch 1, 100 epochs.

The problem follows the data set (or the labels of a --data file): two classes (disc, xor, ...), k classes
(blobs, spiral: --classes K) or a regression (plane, multi_gauss). So do the net's outputs (one, or k
logits), the default loss (mse; cross_entropy for k classes) and the metrics: accuracy and confusion
matrices for classes, RMSE, MAE and R² for a regression. The accuracy threshold of two classes follows
the loss: 0 for bce_logits (the output is a logit), 0.5 otherwise (outputs compared with labels 0/1).
"""

EPILOG = f"""\
examples:
  minidl train
  minidl train --optimizer sgd --epochs 500
  minidl train --dataset spiral --hidden 32,32 --activation tanh \\
     --loss bce_logits --lr 1e-2 --batch-size 16 --epochs 200
  minidl train --dataset blobs --classes 4 --hidden 16 --epochs 20
  minidl train --dataset plane --hidden 8 --activation tanh --epochs 20
  minidl train --features {FEATURES_EXAMPLE} --hidden none --epochs 20
     (quote --features: ^, * and parentheses are special to the shell)
  minidl train --data points.csv --test-fraction 0.25 --patience 10 --json > run.json
"""


def add_parser(subparsers: argparse._SubParsersAction, summary: str) -> argparse.ArgumentParser:
    """Register ``train`` and its flags."""
    parser = subparsers.add_parser(
        "train",
        help=summary,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    _add_data_flags(parser.add_argument_group("data"))
    _add_model_flags(parser.add_argument_group("model"))
    _add_training_flags(parser.add_argument_group("training"))
    _add_schedule_flags(parser.add_argument_group("learning-rate schedule (stepped once per epoch)"))
    _add_stop_flags(parser.add_argument_group("stopping"))
    _add_device_flags(parser.add_argument_group("device"))
    _add_output_flags(parser.add_argument_group("output"))
    parser.set_defaults(command=run, parser=parser)
    return parser


def _add_data_flags(group: argparse._ArgumentGroup) -> None:
    """Where the points come from."""
    group.add_argument("--dataset", choices=tuple(DATASETS), default="disc", help="generated data set")
    group.add_argument(
        "--classes",
        type=CLASSES,
        metavar="K",
        help=f"number of classes ({MIN_CLASSES}..{MAX_CLASSES}) of {' and '.join(CLASS_CHOICE)} (default: the "
        f"set's own); with --data, the labels are checked against K classes",
    )
    group.add_argument(
        "--train-points", type=POINTS, default=REPORT_POINTS, metavar="N", help="generated training points"
    )
    group.add_argument("--test-points", type=POINTS, default=REPORT_POINTS, metavar="N", help="generated test points")
    group.add_argument(
        "--noise", type=non_negative_float, metavar="X", help="data-set noise (default: the data set's own)"
    )
    group.add_argument("--data", metavar="FILE.csv", help="train on your own points: CSV rows x1,x2,label")
    group.add_argument(
        "--test-fraction", type=fraction, default=0.2, metavar="F", help="with --data: share held out for testing"
    )
    group.add_argument(
        "--seed", type=user_seed, default=0, metavar="N", help="seeds the data, the initial weights and the shuffling"
    )


def _add_model_flags(group: argparse._ArgumentGroup) -> None:
    """The net's layers, activations and initial weights."""
    group.add_argument(
        "--hidden",
        type=hidden_layers(2, 1),
        default=",".join(map(str, REPORT_HIDDEN)),
        metavar="N,N,...",
        help="hidden layer sizes, comma-separated ('none' for no hidden layer)",
    )
    group.add_argument(
        "--activation",
        type=name_list(tuple(ACTIVATIONS)),
        default="relu",
        metavar="NAME[,NAME...]",
        help=f"hidden activation, one for all or one per layer: {', '.join(ACTIVATIONS)}",
    )
    group.add_argument(
        "--output-activation",
        choices=tuple(ACTIVATIONS),
        help="activation after the last layer (default: sigmoid for --loss bce, else identity; k classes and "
        "cross_entropy take identity only)",
    )
    group.add_argument(
        "--features",
        type=feature_names,
        metavar="NAME,NAME,...",
        help=f"input features computed from the points, quoted for the shell like {FEATURES_EXAMPLE}: "
        f"{', '.join(FEATURE_NAMES)} (default: the raw points x1,x2)",
    )
    group.add_argument("--init", choices=INIT_NAMES, default=REPORT_INIT, help="weight initialisation")
    group.add_argument(
        "--init-std",
        type=positive_float,
        default=REPORT_INIT_STD,
        metavar="X",
        help="standard deviation of --init normal",
    )
    group.add_argument(
        "--init-mean",
        type=finite_float,
        default=0.0,
        metavar="X",
        help="mean of --init normal",
    )


def _add_training_flags(group: argparse._ArgumentGroup) -> None:
    """Loss, optimizer and its hyperparameters, batches and epochs."""
    group.add_argument(
        "--loss",
        choices=tuple(LOSSES),
        help="loss function (default: the problem's: mse for two classes and a regression, cross_entropy for k)",
    )
    group.add_argument("--optimizer", choices=tuple(OPTIMIZERS), default="adam", help="optimizer")
    group.add_argument(
        "--lr",
        type=non_negative_float,
        metavar="X",
        help="learning rate (default: the report's, 5e-5 for sgd, 5e-3 for adam)",
    )
    group.add_argument("--momentum", type=non_negative_float, default=0.0, metavar="X", help="SGD momentum")
    group.add_argument("--nesterov", action="store_true", help="SGD Nesterov momentum (needs --momentum)")
    group.add_argument("--dampening", type=non_negative_float, default=0.0, metavar="X", help="SGD momentum dampening")
    group.add_argument("--betas", type=betas, default="0.9,0.999", metavar="B1,B2", help="Adam betas")
    group.add_argument("--eps", type=non_negative_float, default=1e-8, metavar="X", help="Adam epsilon")
    group.add_argument(
        "--weight-decay", type=non_negative_float, default=0.0, metavar="X", help="L2 penalty (added to grads)"
    )
    group.add_argument(
        "--l1", type=non_negative_float, default=0.0, metavar="X", help="L1 penalty (l1 · sign(p) added to grads)"
    )
    group.add_argument(
        "--batch-size", type=BATCH_SIZE, default=1, metavar="N", help="points per step (1 = per-sample SGD)"
    )
    group.add_argument("--epochs", type=non_negative_int, default=100, metavar="N", help="maximum number of epochs")
    group.add_argument(
        "--threshold",
        type=finite_float,
        metavar="X",
        help="two classes: accuracy threshold on the output (default: chosen by loss)",
    )


def _add_schedule_flags(group: argparse._ArgumentGroup) -> None:
    """The learning-rate schedule."""
    group.add_argument(
        "--scheduler", choices=(NO_SCHEDULE, *SCHEDULERS), default=NO_SCHEDULE, help="learning-rate schedule"
    )
    group.add_argument("--step-size", type=positive_int, default=30, metavar="N", help="step: epochs between decays")
    group.add_argument(
        "--gamma", type=positive_float, metavar="X", help="step/exponential: decay factor (default: 0.1 / 0.95)"
    )
    group.add_argument(
        "--t-max", type=positive_int, metavar="N", help="cosine: epochs of one half period (default: --epochs)"
    )
    group.add_argument(
        "--eta-min", type=non_negative_float, default=0.0, metavar="X", help="cosine: smallest learning rate"
    )


def _add_stop_flags(group: argparse._ArgumentGroup) -> None:
    """When to stop before the last epoch."""
    group.add_argument(
        "--target-loss", type=non_negative_float, metavar="X", help="stop once the train loss is at or below this"
    )
    group.add_argument(
        "--patience",
        type=positive_int,
        metavar="N",
        help="stop when the validation loss has not improved for this many epochs",
    )
    group.add_argument(
        "--validation-fraction",
        type=fraction,
        metavar="F",
        help="share of the training points held out for validation (default: 0.2 with --patience)",
    )


def _add_device_flags(group: argparse._ArgumentGroup) -> None:
    """Where the run computes, and in which precision."""
    group.add_argument(
        "--device",
        choices=DEVICES,
        default="cpu",
        help="where the model and the data live; auto: cuda when this machine has it, else cpu",
    )
    group.add_argument(
        "--dtype", choices=tuple(DTYPES), default="float32", help="precision of the weights, the data and the training"
    )


def _add_output_flags(group: argparse._ArgumentGroup) -> None:
    """What is printed."""
    group.add_argument("--json", action="store_true", help="print one JSON object (config, history, final metrics)")
    group.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    """Train as ``args`` say; 0 on success, 1 if training diverged. Bad combinations exit with code 2."""
    parser: argparse.ArgumentParser = args.parser
    device = _device(args, parser)
    try:
        choices, (train, test, validation) = _load_data(args)
        trainer = build_run(_run_settings(args, choices, device), train, test, validation)
    except (ValueError, OSError) as error:  # CSVFormatError is a ValueError
        parser.error(str(error))
    config = _config(args, choices, device, train, test, validation)
    if choices.loss == "bce" and args.output_activation is None:
        print("note: --loss bce needs outputs in [0, 1], so the output activation is sigmoid", file=sys.stderr)
    history: list[EpochResult] = []
    stopped: TrainingDiverged | KeyboardInterrupt | None = None
    try:
        with ProgressBar(args.epochs, enabled=not args.quiet) as bar:
            for result in trainer.run():
                history.append(result)
                bar.update(result.epoch, f"train loss {result.train_loss:.4g}")
    except TrainingDiverged as error:
        stopped = error  # the trainer is back at the last finite epoch: report it, then fail
    except KeyboardInterrupt as error:
        if not args.json:
            return stopped_early(parser.prog, error, f"{len(history)} epochs")
        stopped = error  # --json still prints what was trained, for scripts that stop a long run
    diverged = stopped if isinstance(stopped, TrainingDiverged) else None
    interrupted = isinstance(stopped, KeyboardInterrupt)
    final = final_metrics(trainer, history, diverged, interrupted=interrupted)
    if args.json:
        report = {"config": config, "history": [dataclasses.asdict(r) for r in history], "final": final}
        if diverged is not None:
            report["diverged"] = {"epoch": diverged.epoch, "message": str(diverged)}
        if interrupted:
            report["interrupted"] = True
            final["stop_reason"] = "interrupted"
        print(json.dumps(_finite(report)))
    elif diverged is None:
        print(summary(config, history, final))
    if stopped is not None:
        return stopped_early(parser.prog, stopped, f"{len(history)} epochs")
    return 0


def _device(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    """``--device`` resolved: ``auto`` is cuda where this machine has it, else cpu; cuda without it is an error."""
    has_cuda = torch.cuda.is_available()
    if args.device == "auto":
        return "cuda" if has_cuda else "cpu"
    if args.device == "cuda" and not has_cuda:
        parser.error("--device cuda needs a CUDA GPU, and this machine has none: use --device cpu (or auto)")
    return args.device


def _activations(args: argparse.Namespace) -> str | tuple[str, ...]:
    """One name for every hidden layer, or exactly one per hidden layer."""
    names = args.activation
    if len(names) == 1:
        return names[0]
    if len(names) != len(args.hidden):
        raise ValueError(
            f"--activation lists {len(names)} names for {len(args.hidden)} hidden layers: "
            f"give one name, or one per layer"
        )
    return names


def _load_data(args: argparse.Namespace) -> tuple[Fit, tuple[Data, Data | None, Data | None]]:
    """The run's problem and its choices (`Fit`), and ``(train, test, validation)``: generated, or read from
    ``--data`` and split; empty sets become None. A generated set's flags are checked before it is drawn."""
    seeds = RunSeeds.from_seed(args.seed)
    if args.data is not None:
        asked = file_problem(args)
        x, y = load_points(args.data, problem=asked)
        if len(x) == 0:
            raise CSVFormatError(f"{args.data}: no points found; expected CSV rows 'x1,x2,label'")
        choices = fit(args, asked or infer_problem(y))
        x_train, y_train, x_test, y_test = train_test_split(x, y, args.test_fraction, seed=seeds.test_points)
    else:
        choices = fit(args, generated_problem(args))
        drawn = {"noise": args.noise, "classes": args.classes}
        x_train, y_train = make_dataset(args.dataset, args.train_points, seed=seeds.train_points, **drawn)
        x_test, y_test = make_dataset(args.dataset, args.test_points, seed=seeds.test_points, **drawn)
    validation = None
    fraction_ = args.validation_fraction if args.validation_fraction is not None else (0.2 if args.patience else 0.0)
    if fraction_ > 0:
        x_train, y_train, x_val, y_val = train_test_split(x_train, y_train, fraction_, seed=seeds.validation)
        if len(x_val) == 0:
            raise ValueError(f"--validation-fraction {fraction_} leaves no validation point: use a larger fraction")
        validation = (x_val, y_val)
    if len(x_train) == 0:
        raise ValueError("no training points: use --train-points >= 1 (or a --data file with points)")
    test = (x_test, y_test) if len(x_test) else None
    return choices, ((x_train, y_train), test, validation)


def _lr(args: argparse.Namespace) -> float:
    """``--lr``, or the report's learning rate for the chosen optimizer."""
    return args.lr if args.lr is not None else DEFAULT_LR[args.optimizer]


def _run_settings(args: argparse.Namespace, choices: Fit, device: str) -> RunSettings:
    """The run the flags describe: each flag named like the setting it sets (``--betas`` for Adam's betas, ...),
    with the problem and the choices that follow it, on ``device`` (``--device`` resolved)."""
    return RunSettings(
        problem=choices.problem,
        features=choices.features,
        hidden=args.hidden,
        activation=_activations(args),
        output_activation=choices.output_activation,
        init=args.init,
        init_mean=args.init_mean,
        init_std=args.init_std,
        loss=choices.loss,
        optimizer=args.optimizer,
        lr=_lr(args),
        momentum=args.momentum,
        dampening=args.dampening,
        nesterov=args.nesterov,
        betas=args.betas,
        eps=args.eps,
        weight_decay=args.weight_decay,
        l1=args.l1,
        batch_size=args.batch_size,
        scheduler=args.scheduler,
        step_size=args.step_size,
        gamma=args.gamma if args.gamma is not None else DEFAULT_GAMMA.get(args.scheduler),
        T_max=args.t_max,
        eta_min=args.eta_min,
        stop=StopRules(max_epochs=args.epochs, target_loss=args.target_loss, patience=args.patience),
        threshold=choices.threshold,
        seed=args.seed,
        device=device,
        dtype=args.dtype,
    )


def _config(
    args: argparse.Namespace,
    choices: Fit,
    device: str,
    train: Data,
    test: Data | None,
    validation: Data | None,
) -> dict[str, Any]:
    """Every choice of the run, as JSON-ready values (the resolved ones, not the flags' None or ``auto``): the
    problem as ``str(Problem)``, its class count (None for a regression), the model's input features, the threshold
    of a binary output (None for k logits and a regression: they split nothing)."""
    skip = {"command", "parser", "json", "quiet"}
    config = {key: value for key, value in vars(args).items() if key not in skip}
    problem: Problem = choices.problem
    config.update(
        device=device,
        problem=str(problem),
        classes=problem.classes if problem.is_classification else None,
        features=choices.inputs,
        loss=choices.loss,
        output_activation=choices.output_activation,
        lr=_lr(args),
        threshold=choices.threshold if problem.kind == "binary" else None,
        train_points=len(train[0]),
        test_points=len(test[0]) if test else 0,
        validation_points=len(validation[0]) if validation else 0,
        layers=choices.layers(args.hidden),
    )
    return {key: list(value) if isinstance(value, tuple) else value for key, value in config.items()}


def _finite(value: Any) -> Any:
    """NaN and infinities become None, so the output is strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value
