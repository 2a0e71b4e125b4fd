"""Training as a plain generator: one `EpochResult` per epoch, no Qt, no threads.

Everything the loop reads is read again every epoch (the optimizer's hyperparameters, the batch
size, the training data), so a caller may change them between two results and the next epoch uses
them: that is how the app tweaks a running training.

The trainer runs where its model is: the data it is given (at construction, or later through
``set_train_data``, ``test`` and ``validation``) is moved once to the model's device and dtype, never per
step; the metrics come back as Python floats and `Trainer.state_dict` holds CPU tensors.
"""

from __future__ import annotations

import math
import operator
import time
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor

from minidl._random import make_generator
from minidl.data.loader import DataLoader
from minidl.losses import _Loss
from minidl.module import Module
from minidl.optim import Optimizer
from minidl.problem import MAX_CLASSES, MIN_CLASSES, Problem
from minidl.schedulers import LRScheduler
from minidl.training.fast_path import fast_training, loss_gradient
from minidl.training.metrics import Measurement, accuracy, r2_score, rmse
from minidl.training.progress import EpochProgress
from minidl.training.trainer_state import check_fits, scheduler_state


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite; the model and optimizer were put back to the last finite epoch.

    ``advice`` says what to change, ``setting`` which setting that is ("lr", "eps" or "init_std"): an app can
    point at its control for it, with the same advice."""

    def __init__(self, epoch: int, lr: float, advice: str | None = None, setting: str = "lr") -> None:
        self.advice = advice or _lr_advice(lr)
        self.setting = setting
        super().__init__(
            f"Training diverged at epoch {epoch}: the loss is not finite (NaN or infinity). "
            f"The model was restored to its last finite weights. {self.advice}"
        )
        self.epoch = epoch
        self.lr = lr


TINY_EPS = 1e-12
"""An Adam eps below this is the likely cause of a divergence: a zero gradient then divides by about zero."""


def divergence_advice(optimizer: Optimizer, loss_before: float = 0.0) -> tuple[str, str]:
    """What to change after ``optimizer`` diverged from weights whose loss was ``loss_before``, and which
    setting that is (`TrainingDiverged`'s ``advice`` and ``setting``).

    A non-finite ``loss_before`` means no step is to blame: the initial weights or the data are too large
    (``"init_std"``); else a tiny Adam eps if it has one (``"eps"``); else the learning rate (``"lr"``).
    """
    if not math.isfinite(loss_before):
        return (
            "The loss was not finite before any step of this epoch either, so no learning rate helps: "
            "the initial weights or the data are too large; try a smaller init std or smaller coordinates.",
            "init_std",
        )
    eps = getattr(optimizer, "eps", None)
    if eps is not None and eps < TINY_EPS:
        why = f"Adam's eps is {eps:g}: its steps divide by sqrt(v) + eps, about 0 where gradients vanish; try 1e-8."
        return why, "eps"
    return _lr_advice(optimizer.lr), "lr"


def _lr_advice(lr: float) -> str:
    return f"Try a learning rate below {lr:g}."


@dataclass(frozen=True)
class EpochResult:
    """What one epoch measured. Losses and metrics are over the whole set after the epoch.

    The accuracies are a classification's (None for a regression); the RMSE and R² a regression's (None for a
    classification), the test ones None too without test data.
    """

    epoch: int
    train_loss: float
    train_accuracy: float | None
    test_loss: float | None
    test_accuracy: float | None
    validation_loss: float | None
    elapsed: float
    steps_per_second: float
    lr: float
    stop_reason: str | None = None
    train_rmse: float | None = None
    train_r2: float | None = None
    test_rmse: float | None = None
    test_r2: float | None = None


@dataclass(frozen=True)
class StopRules:
    """When to stop: after ``max_epochs``; when the train loss ≤ ``target_loss``; when the validation
    loss has not improved for ``patience`` epochs (needs validation data)."""

    max_epochs: int | None = 100
    target_loss: float | None = None
    patience: int | None = None

    def __post_init__(self) -> None:
        if self.max_epochs is not None and self.max_epochs < 0:
            raise ValueError(f"max_epochs must be >= 0, got {self.max_epochs}")
        if self.patience is not None and self.patience < 1:
            raise ValueError(f"patience must be >= 1, got {self.patience}")


Data = tuple[Tensor, Tensor]


class Trainer:
    """Trains ``model`` on ``train`` data with ``criterion`` and ``optimizer``, one epoch per ``next()``.

    ``threshold`` turns one-column outputs into labels for the accuracy (0.5 for outputs in [0, 1], 0 for logits);
    a k-column output's label is its arg-max. ``problem`` (a `Problem`) says which metrics apply: accuracy for a
    classification, RMSE and R² for a regression. None infers it from the criterion: one that takes class
    indices (``class_targets``, `CrossEntropyLoss`) means a classification with as many classes as the model
    has outputs, any other a binary classification.
    ``run()`` is the generator; the model, the data and the hyperparameters may change between results.
    The data lives on the model's device in its dtype: the trainer moves (casts) every set it is given
    there once, when it is given; ``to()`` moves the model and the data together. The targets are placed as
    the criterion takes them: ``y.view(-1).long()`` (class indices) for a criterion with ``class_targets``,
    else in the model's dtype; setting another kind of criterion places them again.

    Global state it changes, for speed, and restores:

    - during each ``train_epoch``, on the calling thread: inference mode, and denormal floats flushed to
      zero (``torch.set_flush_denormal(True)``, a CPU flag of the thread); the model's
      ``needs_input_grad`` and ``accumulate_grad`` are False meanwhile. All three are restored when the
      epoch ends, also on an exception (see `minidl.training.fast_path`), and while ``run(progress_every)``
      hands an `EpochProgress` to its caller in the middle of an epoch;
    - while ``run()`` is in progress, for the whole process: torch uses one intra-op thread
      (``torch.set_num_threads(1)``, fastest for these small matrices), also between two results; the
      previous count comes back when the generator finishes, raises or is closed.
    """

    def __init__(
        self,
        model: Module,
        criterion: _Loss,
        optimizer: Optimizer,
        train: tuple[Tensor, Tensor],
        test: tuple[Tensor, Tensor] | None = None,
        *,
        validation: tuple[Tensor, Tensor] | None = None,
        batch_size: int = 1,
        scheduler: LRScheduler | None = None,
        stop: StopRules | None = None,
        threshold: float = 0.5,
        seed: int | None = None,
        problem: Problem | None = None,
    ) -> None:
        self._criterion = criterion
        self.model, self.optimizer, self.scheduler = model, optimizer, scheduler
        self.problem = _inferred_problem(model, criterion) if problem is None else problem
        self.stop = stop or StopRules()
        if self.stop.patience is not None and validation is None:
            raise ValueError("early stopping (patience) needs validation data: pass validation=(x, y)")
        self.loader = DataLoader(
            *self._placed(train), batch_size=batch_size, shuffle=True, generator=make_generator(seed)
        )
        self.test, self.validation, self.threshold = test, validation, threshold
        self.epoch = 0
        self.elapsed = 0.0
        self._best_validation = math.inf
        self._epochs_without_improvement = 0
        self._last_good: list[Tensor] | None = None
        self._last_good_step = 0

    @property
    def criterion(self) -> _Loss:
        """The loss; setting one that takes other targets (``class_targets``) places every set again for it."""
        return self._criterion

    @criterion.setter
    def criterion(self, criterion: _Loss) -> None:
        replace = criterion.class_targets != self._criterion.class_targets
        self._criterion = criterion
        if replace:
            self._place_all()

    @property
    def batch_size(self) -> int:
        return self.loader.batch_size

    @batch_size.setter
    def batch_size(self, value: int) -> None:
        self.loader.batch_size = value

    def set_train_data(self, x: Tensor, y: Tensor) -> None:
        """Replace the training points (moved to the model's device and dtype); the next epoch trains on them."""
        x, y = self._placed((x, y))
        self.loader = DataLoader(x, y, self.loader.batch_size, shuffle=True, generator=self.loader.generator)

    @property
    def test(self) -> Data | None:
        """The test points (on the model's device, in its dtype), or None; setting them moves them there."""
        return self._test

    @test.setter
    def test(self, data: Data | None) -> None:
        self._test = None if data is None else self._placed(data)

    @property
    def validation(self) -> Data | None:
        """The validation points (on the model's device, in its dtype), or None; setting them moves them there."""
        return self._validation

    @validation.setter
    def validation(self, data: Data | None) -> None:
        self._validation = None if data is None else self._placed(data)

    # -- device and dtype ------------------------------------------------------------------------
    @property
    def device(self) -> torch.device:
        """Where the model's parameters are, hence where the trainer keeps its data and computes."""
        placement = self._placement()
        return torch.device("cpu") if placement is None else placement[0]

    @property
    def dtype(self) -> torch.dtype:
        """The dtype of the model's parameters, hence of the trainer's data."""
        placement = self._placement()
        return torch.get_default_dtype() if placement is None else placement[1]

    def to(self, device: torch.device | str | None = None, dtype: torch.dtype | None = None) -> Trainer:
        """Move the model (``Module.to``: its parameters, gradients and, with them, the optimizer's view of
        them) and the data to ``device`` and ``dtype`` (None: unchanged, as ``Tensor.to``); returns ``self``.

        Call it between epochs. The optimizer's state buffers follow on its next step (``Module.to``'s promise).
        """
        self.model.to(device=device, dtype=dtype)
        self._place_all()
        self._last_good = None  # the next epoch remembers its start where the model now is
        return self

    def _place_all(self) -> None:
        """Place the training, test and validation sets again (`_placed`), after the model or criterion changed."""
        self.set_train_data(self.loader.x, self.loader.y)
        self.test, self.validation = self.test, self.validation

    def _placement(self) -> tuple[torch.device, torch.dtype] | None:
        """``(device, dtype)`` of the model's first parameter, or None for a model without parameters."""
        parameters = self.model.parameters()
        return (parameters[0].device, parameters[0].dtype) if parameters else None

    def _placed(self, data: Data) -> Data:
        """``data`` on the model's device in its dtype, the targets as the criterion takes them (class indices
        ``y.view(-1).long()``, else the model's dtype, a column): the same tensors when they are so already."""
        placement = self._placement()
        device, dtype = (None, None) if placement is None else placement
        x, y = data
        if self._criterion.class_targets:
            if y.is_floating_point() and not bool((y == y.round()).all()):
                raise ValueError(
                    f"{type(self._criterion).__name__} learns classes: the targets must be class indices 0, 1, …"
                )
            y = y.reshape(-1).to(device=device, dtype=torch.int64)
        else:
            if y.dim() == 1 and not y.is_floating_point():
                y = y.view(-1, 1)  # class indices, placed for a criterion that took them before
            if placement is not None:
                y = y.to(device=device, dtype=dtype)
        return (x if placement is None else x.to(device=device, dtype=dtype)), y

    # -- state dicts ---------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue this training exactly, except the data (see `trainer_state`):
        the model's, optimizer's and scheduler's state dicts, the epoch, the elapsed seconds, the batch
        size, the shuffle generator's state and early stopping's progress.

        A copy: its tensors share no storage with the trainer, so training on leaves it as it was (what
        PyTorch's ``copy.deepcopy(model.state_dict())`` gives). Its tensors are on the CPU whatever the
        trainer's device (their dtype is the model's), so a state saved from a CUDA run loads on any
        machine; `load_state_dict` copies them back to the trainer's device. Call it between epochs.
        """
        return {
            "model": _on_cpu(self.model.state_dict()),
            "optimizer": _on_cpu(self.optimizer.state_dict()),
            "scheduler": scheduler_state(self.scheduler),
            "epoch": self.epoch,
            "elapsed": self.elapsed,
            "batch_size": self.batch_size,
            "generator_state": self.loader.generator.get_state(),
            "best_validation_loss": self._best_validation,
            "epochs_without_improvement": self._epochs_without_improvement,
        }

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Continue from ``state_dict`` (a `state_dict` of a trainer built the same way): the next epoch
        is the one that trainer would have run next, on the same mini-batches, given the same data.

        All or nothing: ValueError saying why, and the trainer as it was, when the state does not fit
        (other keys, layer shapes, optimizer or scheduler, hyperparameter names or scheduler fields) or
        holds a value the optimizer, scheduler or loader refuses. The values are copied. The scheduler
        is loaded after the optimizer, so the rate in force is the one the schedule gives.
        """
        try:
            check_fits(state_dict, self.model, self.optimizer, self.scheduler)
        except (KeyError, TypeError) as err:
            raise ValueError(f"not a trainer state: {err!r}") from None
        backup = self.state_dict()
        try:
            self._load(state_dict)
        except (ValueError, TypeError, KeyError, RuntimeError, ArithmeticError) as err:
            self._load(backup)
            raise ValueError(f"the state does not fit this trainer: {err}") from err

    def _load(self, state: Mapping[str, Any]) -> None:
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None:
            # Puts the schedule's rate in force; a state giving no valid rate (NaN, step_size 0) is refused here.
            self.scheduler.load_state_dict(dict(state["scheduler"]["state"]))
        self.batch_size = state["batch_size"]
        self.loader.generator.set_state(state["generator_state"])
        self.epoch, self.elapsed = operator.index(state["epoch"]), float(state["elapsed"])
        self._best_validation = float(state["best_validation_loss"])
        self._epochs_without_improvement = operator.index(state["epochs_without_improvement"])

    def evaluate(self, data: tuple[Tensor, Tensor]) -> tuple[float, float | None]:
        """``(loss, accuracy)`` of the model on ``data`` (moved to the model's device and dtype if it is not there),
        as Python floats, without touching any gradient; the accuracy is None for a regression (NaN loss and
        accuracy 0.0 for no points)."""
        classification = self.problem.is_classification
        found = self._loss_and_output(data)
        if found is None:
            return math.nan, 0.0 if classification else None
        loss, output, y = found
        return loss, accuracy(output, y, self.threshold) if classification else None

    def measure(self, data: tuple[Tensor, Tensor]) -> Measurement:
        """`Measurement` of the model on ``data``: the loss, and the accuracy of a classification or the RMSE and
        R² of a regression (`minidl.training.metrics`), as `evaluate` computes them."""
        if self.problem.is_classification:
            loss, right = self.evaluate(data)
            return Measurement(loss, accuracy=right)
        found = self._loss_and_output(data)
        if found is None:
            return Measurement(math.nan, rmse=math.nan, r2=math.nan)
        loss, output, y = found
        return Measurement(loss, rmse=rmse(output, y), r2=r2_score(output, y))

    def _loss_and_output(self, data: Data) -> tuple[float, Tensor, Tensor] | None:
        """The loss on ``data`` placed for the model and the criterion, the model's output and the placed
        targets; None for no points (one forward pass, shared by `evaluate` and `measure`)."""
        x, y = self._placed(data)
        if len(x) == 0:
            return None
        output = self.model.forward(x)
        return self._criterion.forward(output, y).item(), output, y

    def train_epoch(self) -> int:
        """One pass over the shuffled training data; returns the number of optimizer steps.

        Each step is zero_grad, forward, loss, backward, step, on the fast path of `fast_training`; the
        first batch goes through ``criterion.forward`` so a bad target shape fails at once.
        """
        steps = self._steps(None)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value

    def _steps(self, pause_every: float | None) -> Generator[int, None, int]:
        """`train_epoch`'s steps, pausing between two of them: yields the number of steps done whenever
        ``pause_every`` seconds (``time.perf_counter``) passed since it started or was resumed and steps remain
        (None: never); returns the number of steps.

        The fast path (`fast_training`) is left before each yield and entered again after it, so the caller
        runs with its own thread state; the epoch goes on over the same shuffled batches. The cost per step of
        pausing is one clock read and a comparison.
        """
        criterion, model, loader = self._criterion, self.model, self.loader
        forward, backward, step = model.forward, model.backward, self.optimizer.step
        gradient = loss_gradient(criterion)
        batches, total, steps = iter(loader), len(loader), 0
        pausing, clock = pause_every is not None, time.perf_counter
        while True:
            with fast_training(model) as needs_zero_grad:
                zero_grad = self.optimizer.zero_grad if needs_zero_grad else _nothing
                due = clock() + pause_every if pausing else math.inf
                for x, y in batches:
                    zero_grad()
                    if steps and gradient is not None:
                        backward(gradient(forward(x), y))
                    else:
                        criterion.forward(forward(x), y)
                        backward(criterion.backward())
                    step()
                    steps += 1
                    if pausing and clock() >= due and steps < total:
                        break
                else:
                    return steps
            yield steps

    def run(self, progress_every: float | None = None) -> Iterator[EpochResult | EpochProgress]:
        """Train until a stop rule fires, yielding an `EpochResult` after every epoch.

        ``progress_every`` (seconds): also yield an `EpochProgress` between two optimizer steps of an epoch
        whenever that much training time passed since the last item was yielded (so a caller can show the
        model as it trains, without waiting for the epoch); None yields results only. The time the caller spends
        between two items does not count in ``elapsed`` nor ``steps_per_second``, and the thread state of
        `fast_training` (inference mode, denormal flushing, the model's switches) is not in force meanwhile:
        progress items change nothing of the training (the same results, bit for bit, as without them).

        Raises `TrainingDiverged` (after restoring the last finite state) if the loss is not finite.
        """
        if progress_every is not None and not progress_every >= 0:
            raise ValueError(f"progress_every must be None or >= 0 seconds, got {progress_every}")
        threads = torch.get_num_threads()
        try:
            while self.stop.max_epochs is None or self.epoch < self.stop.max_epochs:
                result = yield from self._one_epoch(progress_every)
                yield result
                if result.stop_reason is not None:
                    return
        finally:
            torch.set_num_threads(threads)

    def _one_epoch(self, progress_every: float | None) -> Generator[EpochProgress, None, EpochResult]:
        # One thread is fastest for these small matrices (and set here: the caller may be another thread).
        torch.set_num_threads(1)
        clock = time.perf_counter
        start = clock()
        with torch.no_grad():
            self._remember_good_state()
        training, away, total = self._steps(progress_every), 0.0, len(self.loader)
        try:
            while True:
                try:
                    step = next(training)
                except StopIteration as done:
                    steps = done.value
                    break
                left = clock()
                yield EpochProgress(self.epoch + 1, step, total)
                away += clock() - left
        finally:
            training.close()  # closed mid-epoch: the epoch's steps end here, outside the fast path
        seconds = clock() - start - away
        with torch.no_grad():
            self.epoch += 1
            self.elapsed += seconds
            train = self.measure((self.loader.x, self.loader.y))
            train_loss = train.loss
            if not math.isfinite(train_loss):
                self._restore_good_state()
                self.epoch -= 1  # undone with the weights: the next epoch gets the failed one's number
                before = self.evaluate((self.loader.x, self.loader.y))[0]
                advice, setting = divergence_advice(self.optimizer, before)
                raise TrainingDiverged(self.epoch + 1, self.optimizer.lr, advice, setting)
            lr = self.optimizer.lr
            if self.scheduler is not None:
                self.scheduler.step()
            test = self.measure(self.test) if self.test is not None else Measurement(math.nan)
            validation_loss = self.evaluate(self.validation)[0] if self.validation is not None else None
        return EpochResult(
            epoch=self.epoch,
            train_loss=train_loss,
            train_accuracy=train.accuracy,
            test_loss=test.loss if self.test is not None else None,
            test_accuracy=test.accuracy,
            validation_loss=validation_loss,
            elapsed=self.elapsed,
            steps_per_second=steps / seconds if seconds > 0 else math.inf,
            lr=lr,
            stop_reason=self._stop_reason(train_loss, validation_loss),
            train_rmse=train.rmse,
            train_r2=train.r2,
            test_rmse=test.rmse,
            test_r2=test.r2,
        )

    def _stop_reason(self, train_loss: float, validation_loss: float | None) -> str | None:
        rules = self.stop
        if rules.target_loss is not None and train_loss <= rules.target_loss:
            return f"target loss {rules.target_loss:g} reached"
        if rules.patience is not None and validation_loss is not None:
            if validation_loss < self._best_validation:
                self._best_validation, self._epochs_without_improvement = validation_loss, 0
            else:
                self._epochs_without_improvement += 1
                if self._epochs_without_improvement >= rules.patience:
                    return f"validation loss did not improve for {rules.patience} epochs"
        if rules.max_epochs is not None and self.epoch >= rules.max_epochs:
            return f"{rules.max_epochs} epochs done"
        return None

    def _live_state(self) -> list[Tensor]:
        return self.optimizer.params_and_state()

    def _remember_good_state(self) -> None:
        live = self._live_state()
        if self._last_good is None or len(self._last_good) != len(live):
            self._last_good = [t.clone() for t in live]
        else:
            torch._foreach_copy_(self._last_good, live)
        self._last_good_step = self.optimizer.step_count

    def _restore_good_state(self) -> None:
        live = self._live_state()
        assert self._last_good is not None
        if len(live) != len(self._last_good):
            # The optimizer's state appeared during the failed epoch: drop it with the epoch.
            self.optimizer.reset_state()
            live = self._live_state()
        torch._foreach_copy_(live, self._last_good)
        self.optimizer.step_count = self._last_good_step
        self.optimizer.zero_grad()


def _inferred_problem(model: Module, criterion: _Loss) -> Problem:
    """The problem ``criterion`` and ``model`` imply: with class-index targets, as many classes as the model has
    outputs; else a binary classification."""
    if not criterion.class_targets:
        return Problem()
    width = _output_width(model)
    if width is None or not MIN_CLASSES <= width <= MAX_CLASSES:
        raise ValueError(
            f"{type(criterion).__name__} needs a model with {MIN_CLASSES}..{MAX_CLASSES} outputs, one per class "
            f"(this one has {width if width is not None else 'an unknown number of'}): pass problem="
        )
    return Problem.classification(width)


def _output_width(model: Module) -> int | None:
    """The ``out_features`` of the last module (depth first) that has one; activations keep the width."""
    width = getattr(model, "out_features", None)
    for _, child in model.children():
        child_width = _output_width(child)
        width = child_width if child_width is not None else width
    return width


def _nothing() -> None:
    """The zero_grad of a model whose backward overwrites its gradients."""


def _on_cpu(value: Any) -> Any:
    """``value`` with every tensor in it (in dicts, lists and tuples) on the CPU; CPU tensors stay as they are."""
    if isinstance(value, Tensor):
        return value.cpu()
    if isinstance(value, dict):
        return {key: _on_cpu(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_on_cpu(item) for item in value)
    return value
