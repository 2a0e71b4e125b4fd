"""``minidl train``: train one net with every choice on the command line; a table or ``--json`` out."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import math
import sys
from typing import Any

import torch
from torch import Tensor

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
from minidl.data import DATASETS, CSVFormatError, load_points, make_dataset, train_test_split
from minidl.experiments import REPORT_EXPERIMENTS, REPORT_HIDDEN, REPORT_INIT, REPORT_INIT_STD, REPORT_POINTS
from minidl.formatting import duration, number, percent
from minidl.init import INIT_NAMES
from minidl.losses import LOSSES
from minidl.optim import OPTIMIZERS
from minidl.schedulers import NO_SCHEDULE, SCHEDULERS
from minidl.seeds import RunSeeds
from minidl.training import (
    EpochResult,
    RunSettings,
    StopRules,
    Trainer,
    TrainingDiverged,
    build_run,
    confusion_matrix,
)
from minidl.training.run_settings import DTYPES

DEFAULT_LR = {experiment.optimizer: experiment.lr for experiment in REPORT_EXPERIMENTS}
DEFAULT_GAMMA = {"step": 0.1, "exponential": 0.95}
POINTS = whole_number(0, MAX_POINTS, "MAX_POINTS")
BATCH_SIZE = whole_number(1, MAX_POINTS, "MAX_POINTS")
NO_EPOCH = "no epoch trained"
DEVICES = ("cpu", "cuda", "auto")

DESCRIPTION = """\
Train a multilayer perceptron on a 2-D two-class data set and report losses and accuracies.

The defaults are the report's Adam experiment: the disc set (1000 + 1000 points), 2-25-25-25-1 ReLU
net, MSE loss, Adam lr 5e-3, batch 1, 100 epochs. The accuracy threshold follows the loss: 0 for
bce_logits (the output is a logit), 0.5 otherwise (outputs compared with labels 0/1).
"""

EPILOG = """\
examples:
  minidl train
  minidl train --optimizer sgd --epochs 500
  minidl train --dataset spiral --hidden 32,32 --activation tanh \\
     --loss bce_logits --lr 1e-2 --batch-size 16 --epochs 200
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
        help="activation after the last layer (default: sigmoid for --loss bce, else identity)",
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
    group.add_argument("--loss", choices=tuple(LOSSES), default="mse", help="loss function")
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
        "--threshold", type=finite_float, metavar="X", help="accuracy threshold on the output (default: chosen by loss)"
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
    output_activation = _output_activation(args, parser)
    device = _device(args, parser)
    try:
        train, test, validation = _load_data(args)
        trainer = build_run(_run_settings(args, output_activation, device), train, test, validation)
    except (ValueError, OSError) as error:  # CSVFormatError is a ValueError
        parser.error(str(error))
    config = _config(args, output_activation, device, train, test, validation)
    if args.loss == "bce" and args.output_activation is None:
        print(f"note: --loss {args.loss} needs outputs in [0, 1], so the output activation is sigmoid", file=sys.stderr)
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
    final = _final_metrics(trainer, history, diverged, interrupted=isinstance(stopped, KeyboardInterrupt))
    if args.json:
        report = {"config": config, "history": [dataclasses.asdict(r) for r in history], "final": final}
        if diverged is not None:
            report["diverged"] = {"epoch": diverged.epoch, "message": str(diverged)}
        if isinstance(stopped, KeyboardInterrupt):
            report["interrupted"] = True
            final["stop_reason"] = "interrupted"
        print(json.dumps(_finite(report)))
    elif diverged is None:
        print(_summary(config, history, final))
    if stopped is not None:
        return stopped_early(parser.prog, stopped, f"{len(history)} epochs")
    return 0


def _output_activation(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    """BCE needs outputs in [0, 1]: sigmoid when the user did not choose, a clear error if they chose otherwise."""
    if args.loss != "bce":
        return args.output_activation or "identity"
    if args.output_activation not in (None, "sigmoid"):
        parser.error(
            f"--loss bce needs outputs in [0, 1], which --output-activation {args.output_activation} does not "
            f"guarantee: use --output-activation sigmoid, or --loss bce_logits with --output-activation identity"
        )
    return "sigmoid"


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


def _threshold(args: argparse.Namespace) -> float:
    """The output value separating the two predicted classes: 0 for logits, else halfway between labels."""
    if args.threshold is not None:
        return args.threshold
    return 0.0 if args.loss == "bce_logits" else 0.5


def _load_data(
    args: argparse.Namespace,
) -> tuple[tuple[Tensor, Tensor], tuple[Tensor, Tensor] | None, tuple[Tensor, Tensor] | None]:
    """``(train, test, validation)``: generated, or read from ``--data`` and split; empty sets become None."""
    seeds = RunSeeds.from_seed(args.seed)
    if args.data is not None:
        x, y = load_points(args.data)
        if len(x) == 0:
            raise CSVFormatError(f"{args.data}: no points found; expected CSV rows 'x1,x2,label'")
        x_train, y_train, x_test, y_test = train_test_split(x, y, args.test_fraction, seed=seeds.test_points)
    else:
        x_train, y_train = make_dataset(args.dataset, args.train_points, seed=seeds.train_points, noise=args.noise)
        x_test, y_test = make_dataset(args.dataset, args.test_points, seed=seeds.test_points, noise=args.noise)
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
    return (x_train, y_train), test, validation


def _lr(args: argparse.Namespace) -> float:
    """``--lr``, or the report's learning rate for the chosen optimizer."""
    return args.lr if args.lr is not None else DEFAULT_LR[args.optimizer]


def _run_settings(args: argparse.Namespace, output_activation: str, device: str) -> RunSettings:
    """The run the flags describe: each flag named like the setting it sets (``--betas`` for Adam's betas, ...),
    on ``device`` (``--device`` resolved)."""
    return RunSettings(
        hidden=args.hidden,
        activation=_activations(args),
        output_activation=output_activation,
        init=args.init,
        init_mean=args.init_mean,
        init_std=args.init_std,
        loss=args.loss,
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
        threshold=_threshold(args),
        seed=args.seed,
        device=device,
        dtype=args.dtype,
    )


def _config(
    args: argparse.Namespace,
    output_activation: str,
    device: str,
    train: tuple[Tensor, Tensor],
    test: tuple[Tensor, Tensor] | None,
    validation: tuple[Tensor, Tensor] | None,
) -> dict[str, Any]:
    """Every choice of the run, as JSON-ready values (the resolved ones, not the flags' None or ``auto``)."""
    skip = {"command", "parser", "json", "quiet"}
    config = {key: value for key, value in vars(args).items() if key not in skip}
    config.update(
        device=device,
        output_activation=output_activation,
        lr=_lr(args),
        threshold=_threshold(args),
        train_points=len(train[0]),
        test_points=len(test[0]) if test else 0,
        validation_points=len(validation[0]) if validation else 0,
        layers=[2, *args.hidden, 1],
    )
    return {key: list(value) if isinstance(value, tuple) else value for key, value in config.items()}


def _final_metrics(
    trainer: Trainer, history: list[EpochResult], diverged: TrainingDiverged | None, *, interrupted: bool = False
) -> dict[str, Any]:
    """The metrics of the model as it is now (the last finite epoch's after a divergence); none before an epoch.
    An ``interrupted`` run stopped mid-epoch: its weights are no epoch's, so only the last epoch's numbers."""
    last = history[-1] if history else None
    if diverged is not None:
        stop_reason = f"diverged at epoch {diverged.epoch}"
    else:
        stop_reason = last.stop_reason if last else NO_EPOCH
    final: dict[str, Any] = {
        "epochs": last.epoch if interrupted and last else trainer.epoch,
        "stop_reason": stop_reason,
        "train_loss": last.train_loss if last else None,
        "train_accuracy": last.train_accuracy if last else None,
        "test_loss": last.test_loss if last else None,
        "test_accuracy": last.test_accuracy if last else None,
        "seconds": trainer.elapsed,
        "steps_per_second": sum(r.steps_per_second for r in history) / len(history) if history else None,
    }
    if trainer.test is not None and history and not interrupted:
        x, y = trainer.test
        final["test_confusion_matrix"] = confusion_matrix(trainer.model.forward(x), y, trainer.threshold).tolist()
    return final


def _finite(value: Any) -> Any:
    """NaN and infinities become None, so the output is strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


# The summary's missing values stay ASCII.
_percent = functools.partial(percent, missing="-")
_loss = functools.partial(number, missing="-")


def _normal_init(config: dict[str, Any]) -> str:
    """`` (std 1)`` or `` (mean 0.5, std 1)`` for the normal init, nothing for the others."""
    if config["init"] != "normal":
        return ""
    mean = f"mean {config['init_mean']:g}, " if config["init_mean"] else ""
    return f" ({mean}std {config['init_std']:g})"


def _summary(config: dict[str, Any], history: list[EpochResult], final: dict[str, Any]) -> str:
    """A short plain-text report: the set-up, about ten epochs of history, the final metrics."""
    layers = "-".join(str(n) for n in config["layers"])
    optimizer = f"{config['optimizer']} lr {config['lr']:g}"
    source = config["data"] or config["dataset"]
    lines = [
        f"data     {source}: {config['train_points']} train, {config['validation_points']} validation, "
        f"{config['test_points']} test points (seed {config['seed']})",
        f"model    {layers}, {','.join(config['activation'])} -> {config['output_activation']}, "
        f"init {config['init']}{_normal_init(config)}, {config['dtype']} on {config['device']}",
        f"training {config['loss']} loss, {optimizer}, batch {config['batch_size']}, threshold {config['threshold']:g}",
        "",
    ]
    if not history:
        return "\n".join([*lines, f"stopped  {NO_EPOCH}"])
    lines += [
        f"{'epoch':>6}  {'train loss':>10}  {'test loss':>10}  {'train acc':>9}  {'test acc':>9}",
    ]
    every = max(1, math.ceil(len(history) / 10))
    for result in history:
        if result.epoch % every == 0 or result is history[-1]:
            lines.append(
                f"{result.epoch:>6}  {_loss(result.train_loss):>10}  {_loss(result.test_loss):>10}  "
                f"{_percent(result.train_accuracy):>9}  {_percent(result.test_accuracy):>9}"
            )
    lines += [
        "",
        f"stopped  {final['stop_reason']}",
        f"final    test accuracy {_percent(final['test_accuracy'])}, train accuracy {_percent(final['train_accuracy'])}"
        f", {duration(final['seconds'])} of training",
    ]
    if "test_confusion_matrix" in final:
        (tn, fp), (fn, tp) = final["test_confusion_matrix"]
        lines.append(f"test     true 0 -> predicted 0: {tn}, -> 1: {fp};  true 1 -> predicted 0: {fn}, -> 1: {tp}")
    return "\n".join(lines)
