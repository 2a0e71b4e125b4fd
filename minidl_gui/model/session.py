"""`Session`: one playground run built from a `Config` — data, model, optimizer, scheduler, `Trainer`.

It owns everything the worker thread touches: it trains (``epochs()``, minidl's training generator
with the history recorded), changes course between epochs (``configure``: hyperparameters live, a
new model when the data or the architecture changed), resets and snapshots.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
import torch
from torch import Tensor

from minidl.data import make_dataset
from minidl.features import DEFAULT_FEATURES
from minidl.optim import Optimizer
from minidl.schedulers import LRScheduler
from minidl.seeds import RunSeeds
from minidl.training import (
    EpochProgress,
    RunSettings,
    StopRules,
    TrainingDiverged,
    build_model,
    build_run,
    check_available,
    update_run,
)
from minidl_gui.model.config import Config, DataConfig
from minidl_gui.model.contour import cell_centres
from minidl_gui.model.devices import CPU, DEVICE_LABELS
from minidl_gui.model.epoch_records import EpochRecord, EpochSource, recorded_epochs
from minidl_gui.model.history import History
from minidl_gui.model.point_edits import Data, PointsEdit, ReplacePoints, label_misfit
from minidl_gui.model.snapshot import Points, Snapshot
from minidl_gui.model.snapshot_frames import FrameMaker
from minidl_gui.model.snapshot_source import SnapshotSource, grid_output, render_snapshot
from minidl_gui.model.view_options import ViewOptions

DOMAIN_MARGIN = 0.05
"""The plotted domain is the data's bounding box grown by this fraction on each side."""
UNDO_DEPTH = 50
"""How many edits of the points Ctrl+Z can take back."""


@dataclass(frozen=True)
class Change:
    """What ``Session.configure`` did: ``reset`` says the model was rebuilt, ``message`` says why."""

    reset: bool
    message: str = ""


def build_data(config: DataConfig) -> tuple[tuple[Tensor, Tensor], tuple[Tensor, Tensor]]:
    """Training and test points (of ``config.classes`` classes where the set takes a count), drawn with the
    seeds ``minidl reproduce`` uses for the same seed."""
    seeds = RunSeeds.from_seed(config.seed)
    data = {"noise": config.noise, "classes": config.classes}
    train = make_dataset(config.dataset, config.n_train, seed=seeds.train_points, **data)
    test = make_dataset(config.dataset, config.n_test, seed=seeds.test_points, **data)
    return train, test


def run_settings(config: Config, device: str | None = None) -> RunSettings:
    """The framework's settings of the run ``config`` describes, on ``device`` (None: torch's default); the
    network seed seeds the weights and the shuffling (the data seed, the points: `build_data`). The default
    features (x1, x2) build no `minidl.Features` module: the model of a session from before features existed."""
    network, training = config.network, config.training
    return RunSettings(
        problem=config.data.problem,
        features=None if network.features == DEFAULT_FEATURES else network.features,
        hidden=tuple(layer.width for layer in network.hidden),
        activation=tuple(layer.activation for layer in network.hidden),
        output_activation=network.output_activation,
        init=network.init,
        init_mean=network.init_mean,
        init_std=network.init_std,
        loss=training.loss,
        optimizer=training.optimizer,
        lr=training.lr,
        momentum=training.momentum,
        nesterov=training.nesterov,
        betas=(training.beta1, training.beta2),
        eps=training.eps,
        weight_decay=training.weight_decay,
        l1=training.l1,
        batch_size=training.batch_size,
        scheduler=training.schedule,
        step_size=training.step_size,
        gamma=training.gamma,
        stop=StopRules(max_epochs=training.max_epochs),
        seed=network.seed,
        device=device,
    )


class Session:
    """A trainable run of ``config``; ``resolution`` is the side of the decision grid in cells; ``device``
    (`minidl_gui.model.devices`) where the model trains. The points stay on the CPU, where the plots read
    them; the trainer holds its own copies on the device. ``view``: the view settings its snapshots' frames are
    drawn with (the decision plot's "Discretize output"), ``view_options`` from then on."""

    def __init__(
        self, config: Config, resolution: int = 100, device: str = CPU, view: ViewOptions | None = None
    ) -> None:
        self.config = config
        self.resolution = resolution
        self.device = device
        self.view_options = view or ViewOptions()
        self._frames = FrameMaker()
        self.history = History()
        self.data_version = 0
        self.stopped = False
        self._sent = 0
        self.progress: tuple[int, int] = (0, 0)
        """``(step, steps)`` of the epoch in progress while a mid-epoch snapshot is taken; (0, 0) between epochs."""
        self.selected_neuron: tuple[int, int] | None = None
        """The ``(layer, index)`` whose field snapshots carry (see `activations_probe`), or None."""
        self.custom_points = False
        """The points were drawn, edited or imported: they are no longer the configuration's."""
        self._undo: list[tuple[Data, Data, tuple[float, float, float, float], DataConfig | None]] = []
        """``(train, test, extent, generated_from)``: the points before each edit, and the data configuration
        that generated them (None: drawn or imported)."""
        self._build_data()
        self._build_model()

    # -- building ---------------------------------------------------------------------------------
    def _build_data(self) -> None:
        """The configuration's points; `_build_model` must follow (they may be another problem's)."""
        if self.custom_points:
            self._remember_points()  # drawn or imported points are not reproducible: Ctrl+Z brings them back
        self._place(*build_data(self.config.data))
        self.custom_points = False

    def set_data(self, train: tuple[Tensor, Tensor], test: tuple[Tensor, Tensor], *, refit: bool = True) -> None:
        """Train and test on these points (a session file's, say); the plotted domain follows them
        unless ``refit`` is False (points drawn by hand) or there are no points.

        The model is kept; a built trainer gets the new points from its next epoch on."""
        if hasattr(self, "trainer"):
            self.trainer.set_train_data(*train)
            self.trainer.test = test if len(test[0]) else None
        self._place(train, test, refit=refit)

    def _place(self, train: tuple[Tensor, Tensor], test: tuple[Tensor, Tensor], *, refit: bool = True) -> None:
        """The points and the plotted domain of `set_data`, but not the trainer's (a new one is to come)."""
        self.train_data, self.test_data = train, test
        self.data_version += 1
        x = torch.cat([self.train_data[0], self.test_data[0]])
        if refit and len(x):
            low, high = x.min(0).values, x.max(0).values
            pad = (high - low).clamp(min=1e-3) * DOMAIN_MARGIN
            (x0, y0), (x1, y1) = (low - pad).tolist(), (high + pad).tolist()
            self.extent = (x0, x1, y0, y1)
        self._points = (_points(self.train_data), _points(self.test_data))

    # -- editing the points -----------------------------------------------------------------------
    def edit_points(self, edit: PointsEdit) -> str:
        """Apply a user's edit of the points (see `point_edits`) from the next epoch on, keeping the
        model, the optimizer and the history; ``undo_points`` takes it back. Says what happened.

        Imported points of another problem (`ReplacePoints.adopted`) switch the configuration's data to a set
        of their problem first, with a new model (`edit_rebuilds` tells beforehand)."""
        adopted, switched = edit.adopted(self.config) if isinstance(edit, ReplacePoints) else (self.config, "")
        edited = edit(self.train_data, self.test_data, adopted.data.problem)
        if edited.train is None or edited.test is None:
            return edited.message
        self._remember_points()
        if adopted != self.config:
            self.config = adopted
            self._place(edited.train, edited.test, refit=edited.refit)  # the trainer of the old problem goes
            self._build_model()
        else:
            self.set_data(edited.train, edited.test, refit=edited.refit)
        self.custom_points = True
        return " ".join(filter(None, (edited.message, switched)))

    def edit_rebuilds(self, edit: PointsEdit) -> bool:
        """``edit`` (imported points of another problem) would switch the data configuration and build a new
        model."""
        return isinstance(edit, ReplacePoints) and edit.adopted(self.config)[0] != self.config

    def undo_points(self) -> bool:
        """Back to the points before the last edit (or before drawn points were replaced); False if none."""
        problem = self.config.data.problem
        while self._undo and label_misfit(problem, torch.cat([self._undo[-1][0][1], self._undo[-1][1][1]])):
            self._undo.pop()  # points of another problem (before the data set changed): this model cannot learn them
        if not self._undo:
            return False
        train, test, extent, generated_from = self._undo.pop()
        self.set_data(train, test, refit=False)
        self.extent = extent
        self.custom_points = generated_from != self.config.data  # another data set's points are custom here
        return True

    def regenerate_points(self) -> Change:
        """Drawn or imported points give way to the configuration's generated ones (and a new model)."""
        if not self.custom_points:
            return Change(False)
        self._build_data()
        self._build_model()
        return Change(True, "Generated points again (Ctrl+Z brings the drawn ones back); the model was reset.")

    def _remember_points(self) -> None:
        generated_from = None if self.custom_points else self.config.data
        self._undo.append((self.train_data, self.test_data, self.extent, generated_from))
        del self._undo[:-UNDO_DEPTH]

    def _build_model(self) -> None:
        self.model = build_model(run_settings(self.config, self.device))
        self.model.needs_input_grad = False
        self._initial_weights = self.model.state_dict()
        self._build_training()

    def _build_training(self) -> None:
        """A fresh optimizer, scheduler and trainer at epoch 0, the history cleared."""
        test = self.test_data if len(self.test_data[0]) else None
        self.trainer = build_run(run_settings(self.config, self.device), self.train_data, test, model=self.model)
        self.history.clear()
        self.stopped = False
        self._sent = 0
        self.config_log: list[tuple[int, Config]] = [(0, self.config)]
        """``(epoch, config)``: the run's first configuration, then each it trained with after that epoch."""

    # -- controlling ------------------------------------------------------------------------------
    @property
    def optimizer(self) -> Optimizer:
        return self.trainer.optimizer

    @property
    def scheduler(self) -> LRScheduler | None:
        """The learning-rate schedule, the one owner of ``optimizer.lr`` while there is one."""
        return self.trainer.scheduler

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def finished(self) -> bool:
        """The run is over: stopped by the user or all ``max_epochs`` done."""
        return self.stopped or self.trainer.epoch >= self.config.training.max_epochs

    def reset(self) -> None:
        """Back to epoch 0 with the same initial weights (and the same shuffling): the same run again."""
        self.model.load_state_dict(self._initial_weights)
        self._build_training()

    def set_device(self, device: str) -> Change:
        """Train on ``device`` from the next epoch on. The run goes on where it is: `Trainer.to` moves the model
        (the optimizer's state follows it) and the data, so only the rounding of the device differs. ValueError,
        and nothing changed, if this machine has no such device. Call it between epochs."""
        if device == self.device:
            return Change(False)
        check_available(device)
        self.trainer.to(device)
        self.device = device
        label = DEVICE_LABELS.get(device, device)
        return Change(False, f"Now training on {label}: the run goes on from epoch {self.epoch}.")

    def reinitialise(self, seed: int) -> None:
        """New initial weights drawn from ``seed``, training back at epoch 0."""
        self.configure(self.config.replace(network=replace(self.config.network, seed=seed)))

    def configure(self, config: Config, *, regenerate_points: bool = False) -> Change:
        """Adopt ``config``: a new data set or network rebuilds the model (and says so); training
        hyperparameters apply live to the current run, from the next epoch on.

        ``regenerate_points`` (an edit of the Data group): drawn or imported points give way to the
        configuration's generated ones even when ``config.data`` is unchanged (see `regenerate_points`)."""
        old, self.config = self.config, config
        if config.data != old.data:
            self._build_data()
            self._build_model()
            return Change(True, "Data changed: new points, the model was reset to its initial weights.")
        if regenerate_points and self.custom_points:
            return self.regenerate_points()
        if config.network != old.network:
            self._build_model()
            return Change(True, "Network changed: a new model was built, training restarts from epoch 0.")
        if config.training != old.training:
            update_run(self.trainer, run_settings(old), run_settings(config))
            if self.config_log[-1][0] == self.epoch:
                self.config_log[-1] = (self.epoch, config)  # several edits between two epochs: one change
            else:
                self.config_log.append((self.epoch, config))
        return Change(False)

    # -- training ---------------------------------------------------------------------------------
    def epochs(
        self, progress_every: float | None = None, *, process: EpochSource | None = None, stop_at: int | None = None
    ) -> Iterator[EpochRecord | EpochProgress]:
        """Train from where the run is until ``max_epochs``, yielding (and recording) every epoch.

        ``progress_every`` (seconds, `Trainer.run`'s): also yield an `EpochProgress` between two optimizer steps
        that often, with ``progress`` set to its ``(step, steps)`` meanwhile (a `snapshot` then is a mid-epoch one);
        ``progress`` is ``(0, 0)`` again when the epoch ends (also when it raises or is closed).
        ``process`` (a `TrainingProcess`): train there instead of on this thread, the same epochs bit for bit; the
        run also ends after epoch ``stop_at`` there, or after an epoch once the process was asked to halt.
        Raises `TrainingDiverged` with the model back at its last finite weights.
        """
        if process is None:
            items = recorded_epochs(self.trainer, progress_every)
        else:
            items = process.epochs(self.trainer, progress_every, stop_at, unseen=self.history.append)
        try:
            for item in items:
                if isinstance(item, EpochProgress):
                    self.progress = (item.step, item.steps)
                    yield item
                    continue
                self.progress = (0, 0)
                self.history.append(item)
                yield item
        except TrainingDiverged:
            self.trainer.epoch = len(self.history)
            raise
        except Exception:
            if len(self.history) > self.trainer.epoch:  # a training process that died put the trainer back
                self.history.truncate(self.trainer.epoch)
                self.resend_from(len(self.history))  # the next snapshot tells the window to drop those rows too
            raise
        finally:
            self.progress = (0, 0)
            items.close()

    # -- observing --------------------------------------------------------------------------------
    def grid_axes(self) -> tuple[np.ndarray, np.ndarray]:
        """The cell centres of the decision grid along x and y."""
        return cell_centres(self.extent, (self.resolution, self.resolution))

    def grid_output(self) -> np.ndarray:
        """The model's view of the grid (see `snapshot_source.grid_output`)."""
        return grid_output(self.capture(sent=False), self.model)

    def capture(self, *, sent: bool = True) -> SnapshotSource:
        """The current state as a `SnapshotSource` (cheap: the weights copied, the curves' frame made when the history
        grew, the rest referenced), with the history rows not sent in an earlier snapshot — counted as sent from now on
        unless ``sent`` is False (`resend_from` takes that back)."""
        start = self._sent
        if sent:
            self._sent = len(self.history)
        return SnapshotSource(
            epoch=self.trainer.epoch,
            start=start,
            results=tuple(self.history.records[start:]),
            config=self.config,
            resolution=self.resolution,
            extent=self.extent,
            data_version=self.data_version,
            custom_points=self.custom_points,
            points=self._points,
            train_data=self.train_data,
            test_data=self.test_data,
            threshold=self.trainer.threshold,
            device=self.trainer.device,
            dtype=self.trainer.dtype,
            weights=self.model.state_dict(),
            selected_neuron=self.selected_neuron,
            progress=self.progress,
            view=self.view_options,
            curves=self._frames.curves(self.history, self.config.data.problem),
        )

    def resend_from(self, start: int) -> None:
        """History rows from ``start`` on go out again with the next capture (those of one that was not delivered)."""
        self._sent = min(self._sent, start)

    def snapshot(self) -> Snapshot:
        """The current state, with the history rows not sent in an earlier snapshot, rendered here with the live model
        (between two steps: the worker's thread). If rendering raises, its rows go out with the next snapshot."""
        source = self.capture()
        try:
            return render_snapshot(source, self.model, self._frames)
        except BaseException:
            self.resend_from(source.start)
            raise


def _points(data: tuple[Tensor, Tensor]) -> Points:
    return Points(data[0].numpy(), data[1].view(-1).numpy())
