"""`TrainingWorker`: runs a `Session`'s training generator on a QThread and reports through signals.

The worker's ``run()`` is the thread's whole life: it waits for commands (a thread-safe queue fed by
``submit`` from any thread) and, while training, takes one epoch from the generator at a time,
handling the commands that arrived in between — so pausing, stopping, quitting and every live
change act before the next epoch, as superqt's generator workers check ``abort`` between yields.

Snapshots go out at most every ``interval`` seconds and only after the window said it drew the last
one (``snapshot_consumed``), so a fast model never floods the event loop; the state at a stop is
always sent. Order: the snapshot with the last epoch goes out *before* the state that announces it
(``stateChanged(WorkerState.DONE)``, then ``finished``; after a reset or an edit of the points, the message
saying so comes last too), so whoever sees "done", "paused" or "Reset…" — the window, a test, a
scripted run — already has the data it announces. Only QtCore is used here: the window and the plots
are somebody else's business.

A long epoch (small batches) sends snapshots in its middle too: the training generator pauses between
two optimizer steps every ``progress_every`` seconds, and a snapshot goes out there if one is due (with
``step`` / ``steps`` set; no row of the unfinished epoch); commands still wait for the epoch's end.

With ``render_thread`` (the app), a snapshot taken while training is only captured here (`Session.capture`) and
rendered on a `SnapshotRenderer` thread while training goes on. Two budgets (`SnapshotBudget`) space the snapshots
beyond the window's ``interval``: capturing takes at most ``WORKER_SHARE`` of this thread's time, rendering at most
``RENDER_SHARE`` of a core.
"""

from __future__ import annotations

import copy
import math
import queue
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import torch
from PySide6.QtCore import QObject, Signal, Slot

from minidl.sequential import Sequential
from minidl.training import EpochProgress, TrainingDiverged
from minidl_gui.model.config import Config
from minidl_gui.model.devices import CPU
from minidl_gui.model.point_edits import PointsEdit
from minidl_gui.model.saved_session import ended_run
from minidl_gui.model.session import Session
from minidl_gui.model.snapshot_budget import RENDER_SHARE, SnapshotBudget
from minidl_gui.model.view_options import ViewOptions
from minidl_gui.model.worker_state import WorkerState
from minidl_gui.snapshot_renderer import SnapshotRenderer
from minidl_gui.training_process import TrainingProcess, TrainingProcessError
from minidl_gui.worker_commands import (
    Adopt,
    Call,
    Configure,
    EditPoints,
    Pause,
    Quit,
    Reinitialise,
    Reset,
    SelectNeuron,
    SendSnapshot,
    SetDevice,
    SetResolution,
    SetView,
    StartAfresh,
    Step,
    Stop,
    Train,
    UndoPoints,
    WorkerCommand,
)

SNAPSHOT_INTERVAL = 0.04
"""Seconds between two snapshots while training (≤ 25 per second)."""
PROGRESS_EVERY = 0.005
"""Seconds of training between two pauses in the middle of an epoch, where a due snapshot goes out.

A pause that sends nothing costs about 30-150 µs (leaving and re-entering the trainer's fast path, two generator
hops; in the training process, sending the item too), 1-3 % of 5 ms; and a due snapshot waits at most 5 ms for one
(the training process's weights, asked for one item ahead, come with it): at 40 ms between snapshots, 20-25 a second
(`python -m bench --app`; 10 ms pauses gave 17-18)."""
NO_POINTS = "No training points: draw some on the decision plot (click, Shift+click) or import a CSV, then Train."

RESET, REPLACED = "reset", "replaced"
"""How a run ends other than by halting (done, stopped, diverged: the `WorkerState` values): reset, or replaced."""


class TrainingWorker(QObject):
    """Trains ``session`` on command: ``submit(command)`` queues one of `worker_commands` (`Train`, `Pause`,
    `Step`, `Stop`, `Reset`, `Reinitialise`, `Configure`, `StartAfresh`, `SetResolution`, `SetDevice`, `SelectNeuron`,
    `SetView`, `SendSnapshot`, `Quit`, `Adopt`, `Call`, `EditPoints`, `UndoPoints`).
    ``stateChanged(WorkerState)`` says what it does; ``runEnded(Run)`` reports each run that ends (done,
    stopped, diverged, reset).
    """

    started = Signal()
    yielded = Signal(object)
    finished = Signal(str)
    errored = Signal(str)
    diverged = Signal(str, str)  # the message, with its advice; the setting the advice names ("lr", "eps")
    aborted = Signal()
    stateChanged = Signal(object)  # noqa: N815 (Qt naming) - a WorkerState
    message = Signal(str)
    closed = Signal()
    runEnded = Signal(object)  # noqa: N815

    progress_every: float | None = PROGRESS_EVERY
    """`Trainer.run`'s ``progress_every`` for the runs this worker starts; None: snapshots only between epochs."""

    def __init__(
        self,
        session: Session,
        interval: float = SNAPSHOT_INTERVAL,
        clock: Callable[[], float] = time.perf_counter,
        work_clock: Callable[[], float] = time.thread_time,
        *,
        render_thread: bool = False,
        training_process: bool = False,
    ) -> None:
        """``clock`` (seconds) times the intervals between snapshots; ``work_clock`` (the worker thread's CPU
        seconds) the work of preparing one, which is what it takes from training: waiting for the GIL while the
        window paints is not the snapshot's cost (training would wait alike). ``render_thread``: render the
        snapshots taken while training on a `SnapshotRenderer` thread (the app does), so that training goes on
        meanwhile; snapshots sent when training halts or the session changes are rendered here, in order.
        ``training_process``: train (on the CPU) in a `TrainingProcess` (the app does), which has a core and a GIL
        of its own; this thread records and acts on its epochs, in order, and a command first halts it at an
        epoch's end."""
        super().__init__()
        self.session = session
        self.interval = interval
        """The seconds the window asks for between two snapshots (`set_interval`); the worker may wait longer."""
        self.budget = SnapshotBudget()
        """The worker's own share: capturing (or, without a renderer, rendering) a snapshot."""
        self.render_budget = SnapshotBudget(RENDER_SHARE)
        """The renderer's share of a core (it shares the second core with the window's thread), fed what rendering a
        snapshot costs: on the renderer, and, with a renderer, here (the forced ones)."""
        self.render_thread = render_thread
        self._clock, self._work_clock = clock, work_clock
        self._renderer: SnapshotRenderer | None = None
        self._process = TrainingProcess() if training_process else None
        self._last_item, self._item_gap = -math.inf, 0.0
        """When the last item of a training run was taken, and how long after the one before."""
        self._model_copy: tuple[Any, ...] = ()
        """(live model, device, dtype, its copy) the renderer computes with."""
        self.state = WorkerState.READY
        self._commands: queue.SimpleQueue[WorkerCommand] = queue.SimpleQueue()
        self._epochs: Any = None
        self._stop_at: int | None = None
        self._quit = False
        self._last_emit = -float("inf")
        self._drawn = True
        self._ended: tuple[Any, int, str | None] | None = None
        """(trainer, epochs, ended) of the last run reported; ended None: a run adopted (opened, restored) with
        those epochs, not to be reported again as it is."""

    # -- any thread ---------------------------------------------------------------------------------
    def submit(self, command: WorkerCommand) -> None:
        """Queue ``command``; it runs before the next epoch (thread-safe)."""
        self._commands.put(command)

    def quit(self) -> None:
        """Ask ``run()`` to return after the current epoch."""
        self.submit(Quit())

    def snapshot_consumed(self) -> None:
        """The window drew the last snapshot: the next one may go out."""
        self._drawn = True

    def set_interval(self, seconds: float) -> None:
        """Ask for ``seconds`` (>= 0) between two snapshots from now on (thread-safe: one attribute written)."""
        if not (math.isfinite(seconds) and seconds >= 0):
            raise ValueError(f"a snapshot interval is a number of seconds >= 0, got {seconds}")
        self.interval = float(seconds)

    def snapshot_interval(self) -> float:
        """The seconds kept between two snapshots while training: ``interval``, or longer when capturing them would
        take more than `WORKER_SHARE` of the worker's time or rendering them more than `RENDER_SHARE` of a core."""
        return max(self.budget.interval(self.interval), self.render_budget.interval(self.interval))

    @property
    def training_pid(self) -> int | None:
        """The process id of the training process while it runs (None: none; training on this thread)."""
        process = self._process  # read once: the worker's thread may drop it meanwhile
        return None if process is None else process.pid

    # -- the worker's thread ------------------------------------------------------------------------
    @Slot()
    def run(self) -> None:
        """Serve commands and train until ``quit``."""
        threads, grad = torch.get_num_threads(), torch.is_grad_enabled()
        torch.set_num_threads(1)  # small matrices: one thread is fastest, and leaves the UI a core
        torch.set_grad_enabled(False)  # minidl never needs autograd (restored: tests call run() on their thread)
        self._quit = False
        self._renderer = SnapshotRenderer(self.yielded.emit, self.render_budget.record) if self.render_thread else None
        if self._process is not None:
            self._process.start()  # it imports torch meanwhile
        try:
            while not self._quit:
                if self.state == WorkerState.RUNNING:
                    self._drain()
                    if self.state == WorkerState.RUNNING:
                        self._train_one()
                else:
                    self._handle(self._commands.get())
        finally:
            self._close_epochs()
            if self._renderer is not None:
                self._renderer.close()
                self._renderer, self._model_copy = None, ()
            if self._process is not None:
                self._process.close()
            torch.set_num_threads(threads)
            torch.set_grad_enabled(grad)
            self.closed.emit()

    def _drain(self) -> None:
        while not self._quit:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            self._catch_up()
            self._handle(command)

    def _catch_up(self) -> None:
        """Before a command acts: a run in the training process halts at its next epoch's end, and its epochs up
        to there are taken (recorded, acted on, snapshots sent) as they would have been on this thread."""
        if self._epochs is None or not self._in_process():
            return
        self._process.request_halt()
        while self._epochs is not None and self.state == WorkerState.RUNNING:
            self._train_one()

    def _in_process(self) -> bool:
        """Training goes on in the training process (the app's, on the CPU; a GPU's work needs no other GIL)."""
        return self._process is not None and self.session.device == CPU

    def _handle(self, command: WorkerCommand) -> None:
        try:
            self._dispatch(command)
        except Exception as error:  # noqa: BLE001 - reported to the user, the worker keeps serving
            self._fail(error)

    def _dispatch(self, command: WorkerCommand) -> None:
        match command:
            case Train(stop_at=stop_at):
                self._on_train(stop_at)
            case Pause():
                self._on_pause()
            case Step():
                self._on_step()
            case Stop():
                self._on_stop()
            case Reset():
                self._on_reset()
            case Reinitialise(seed=seed):
                self._on_reinitialise(seed)
            case Configure(config=config, regenerate_points=regenerate_points):
                self._on_configure(config, regenerate_points)
            case StartAfresh(config=config):
                self._on_start_afresh(config)
            case SetResolution(resolution=resolution):
                self._on_resolution(resolution)
            case SetDevice(device=device):
                self._on_device(device)
            case SelectNeuron(neuron=neuron):
                self._on_neuron(neuron)
            case SetView(options=options):
                self._on_view(options)
            case SendSnapshot():
                self._emit_snapshot(force=True)
            case Quit():
                self._quit = True
            case Adopt(session=session):
                self._on_adopt(session)
            case Call(function=function):
                function(self.session)  # here, between epochs: saving and exporting see a still model
            case EditPoints(edit=edit):
                self._on_edit_points(edit)
            case UndoPoints():
                self._on_undo_points()
            case _:
                self.errored.emit(f"not a worker command: {command!r} (submit one of minidl_gui.worker_commands)")

    def _set_state(self, state: WorkerState) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)

    # -- commands -----------------------------------------------------------------------------------
    def _on_train(self, stop_at: int | None = None) -> None:
        if self.state == WorkerState.RUNNING or not self._has_points():
            return
        if self.session.finished:
            self._end_run(RESET)
            self.session.reset()
        self._stop_at = stop_at
        self._set_state(WorkerState.RUNNING)
        self.started.emit()

    def _on_pause(self) -> None:
        if self.state == WorkerState.RUNNING:
            self._halt(WorkerState.PAUSED)

    def _on_step(self) -> None:
        if self.state == WorkerState.RUNNING or not self._has_points():
            return
        if self.session.finished:
            self._end_run(RESET)
            self.session.reset()
        self._stop_at = self.session.epoch + 1
        self._train_epoch()  # ends PAUSED (or DONE, DIVERGED, FAILED) and sends the state

    def _on_stop(self) -> None:
        self.session.stopped = True
        self._halt(WorkerState.STOPPED)
        self.aborted.emit()

    def _on_reset(self) -> None:
        self._end_run(RESET)
        self.session.reset()
        self._close_epochs()
        self._after_rebuild("Reset: back to epoch 0 with the same initial weights.")

    def _on_reinitialise(self, seed: int) -> None:
        self._end_run(RESET)
        self.session.reinitialise(seed)
        self._close_epochs()
        self._after_rebuild(f"Re-initialised: new initial weights from seed {seed}, epoch 0.")

    def _on_configure(self, config: Config, regenerate_points: bool) -> None:
        """Adopt ``config`` (see `Session.configure`); ``regenerate_points``: an edit of the Data group,
        which brings the generated points back too, in this one command."""
        session = self.session
        rebuilt = (config.data, config.network) != (session.config.data, session.config.network)
        if rebuilt or (regenerate_points and session.custom_points):
            self._end_run(RESET)  # new points or network: the session rebuilds its model
        change = session.configure(config, regenerate_points=regenerate_points)
        if change.reset:
            self._close_epochs()
            self._after_rebuild(change.message)

    def _on_start_afresh(self, config: Config) -> None:
        """A new session of ``config`` from scratch, as launching with it gives (a preset): its generated
        points, fresh initial weights from its seed, epoch 0, training halted."""
        self._on_adopt(Session(config, resolution=self.session.resolution, device=self.session.device))
        self.message.emit(f"Started from scratch: generated points, initial weights from seed {config.network.seed}.")

    def _on_resolution(self, resolution: int) -> None:
        self.session.resolution = resolution
        self._emit_snapshot(force=True)

    def _on_device(self, device: str) -> None:
        """Train on ``device`` from the next epoch (see `Session.set_device`); a running training runs on."""
        trainer = self.session.trainer
        self._close_epochs()  # the next epoch comes from the moved trainer
        change = self.session.set_device(device)
        if self._ended is not None and self._ended[0] is trainer:  # the reported run is this one, moved
            self._ended = (self.session.trainer, *self._ended[1:])
        if change.message:
            self.message.emit(change.message)

    def _on_neuron(self, neuron: tuple[int, int] | None) -> None:
        """Snapshots carry this neuron's field from now on; a halted worker sends one at once."""
        self.session.selected_neuron = neuron
        if self.state != WorkerState.RUNNING:
            self._emit_snapshot(force=True)

    def _on_view(self, options: ViewOptions) -> None:
        """Snapshots' frames are drawn with ``options`` from now on; a halted worker sends one at once."""
        self.session.view_options = options
        if self.state != WorkerState.RUNNING:
            self._emit_snapshot(force=True)

    def _on_adopt(self, session: Session) -> None:
        """Train ``session`` from now on (an opened file, a restored run) on this worker's device; the current
        run ends here."""
        session.set_device(self.session.device)  # the machine's choice, not the file's: first, as it may fail
        self._end_run(REPLACED)
        self._close_epochs()
        self._stop_at = None
        session.resolution = self.session.resolution
        session.selected_neuron = self.session.selected_neuron
        session.view_options = self.session.view_options
        session.data_version = self.session.data_version + 1  # the window redraws the points
        self.session = session
        self._ended = (session.trainer, len(session.history), None)  # a restored run is listed already
        self._emit_snapshot(force=True)
        state = WorkerState.DONE if session.finished else WorkerState.PAUSED if session.epoch else WorkerState.READY
        self._set_state(state)

    def _on_edit_points(self, edit: PointsEdit) -> None:
        """Apply an edit of the points (`point_edits`): the next epoch trains on them, the model is kept — unless
        imported points of another problem switch the data set (`Session.edit_rebuilds`): then the run ends and
        training restarts with a new model, as after a change of the data set."""
        if not self.session.edit_rebuilds(edit):
            self._after_points_changed(self.session.edit_points(edit))
            return
        self._end_run(RESET)
        message = self.session.edit_points(edit)
        self._close_epochs()
        self._after_rebuild(message)

    def _on_undo_points(self) -> None:
        undone = self.session.undo_points()
        self._after_points_changed("Undid the last change of the points." if undone else "Nothing to undo.")

    def _has_points(self) -> bool:
        """There are training points; if not, say so (training on nothing would only give NaN)."""
        if len(self.session.train_data[0]):
            return True
        self.message.emit(NO_POINTS)
        return False

    def _after_points_changed(self, message: str) -> None:
        """Send the points, then say what changed; a run left without training points pauses."""
        emptied = self.state == WorkerState.RUNNING and not len(self.session.train_data[0])
        if emptied:
            self._halt(WorkerState.PAUSED)
        else:
            self._emit_snapshot(force=True)
        self.message.emit(message)
        if emptied:
            self.message.emit(NO_POINTS)

    def _end_run(self, how: str) -> None:
        """Report the run so far (once) with ``runEnded``: it ended ``how`` (a run that diverged in its
        first epoch too: the user should see it failed). A run that trained on after it was reported (after
        diverging, or after "done" with more epochs allowed) is reported again as that run, taking its row;
        one that had diverged ends "diverged → how"."""
        trainer, epochs = self.session.trainer, len(self.session.history)  # a reset or a new model: a new trainer
        earlier = self._ended if self._ended is not None and self._ended[0] is trainer else None
        diverged = WorkerState.DIVERGED.value
        if (not epochs and how != diverged) or (earlier is not None and earlier[1] == epochs):
            return
        continues = earlier is not None and earlier[2] is not None
        ended = f"{diverged} → {how}" if continues and earlier[2].startswith(diverged) else how
        self._ended = (trainer, epochs, ended)
        self.runEnded.emit(replace(ended_run(self.session, ended), continues=continues))

    def _after_rebuild(self, message: str) -> None:
        """Back at epoch 0: send the snapshot, then the state, then ``message`` saying why."""
        self._emit_snapshot(force=True)
        if self.state != WorkerState.RUNNING:
            self._set_state(WorkerState.READY)
        self.message.emit(message)

    # -- training -----------------------------------------------------------------------------------
    def _train_one(self) -> None:
        """One epoch of the running loop; whatever goes wrong (even sending the snapshot) is reported
        and leaves the worker serving commands, never a dead thread behind a window that says "running"."""
        try:
            self._train_epoch()
        except Exception as error:  # noqa: BLE001 - reported to the user
            self._fail(error)

    def _train_epoch(self) -> None:
        """Train to the end of the next epoch, sending due snapshots in its middle, then act on its result."""
        if self._epochs is None:
            process = self._process if self._in_process() else None
            self._epochs = self.session.epochs(self.progress_every, process=process, stop_at=self._stop_at)
        try:
            while isinstance(result := next(self._epochs), EpochProgress):
                self._emit_snapshot()
        except StopIteration:
            if self._in_process() and self._process.halted:  # as asked: the run goes on after the commands
                self._epochs = None
                return
            self._halt(WorkerState.DONE)
            self.finished.emit(f"{self.session.config.training.max_epochs} epochs done")
            return
        except TrainingDiverged as error:
            self._halt(WorkerState.DIVERGED)
            self.diverged.emit(str(error), error.setting)
            return
        except TrainingProcessError as error:
            self._leave_process(error)
            return
        except Exception as error:  # noqa: BLE001
            self._fail(error)
            return
        if result.stop_reason is not None:
            self._halt(WorkerState.DONE)
            self.finished.emit(result.stop_reason)
        elif self._stop_at is not None and result.epoch >= self._stop_at:
            self._halt(WorkerState.PAUSED)
            self.finished.emit(f"paused after epoch {result.epoch}")
        else:
            self._emit_snapshot()

    def _halt(self, state: WorkerState) -> None:
        """Leave the training loop in ``state``: send the last snapshot, then the state (in that order)."""
        self._close_epochs()
        self._stop_at = None
        self._emit_snapshot(force=True)
        self._set_state(state)
        if state in (WorkerState.DONE, WorkerState.STOPPED, WorkerState.DIVERGED):
            self._end_run(state.value)

    def _close_epochs(self) -> None:
        if self._epochs is not None:
            self._epochs.close()
            self._epochs = None

    def _leave_process(self, error: TrainingProcessError) -> None:
        """The training process failed or died (the session is back where that stretch of training began): train on
        this thread from now on — a child that cannot start would fail every run — and say so, after a snapshot of
        where the run is."""
        self._process.close()
        self._process = None
        self._close_epochs()
        self._emit_snapshot(force=True)
        self._fail(TrainingProcessError(f"{error}. Training goes on in the window's process: press Train."))

    def _fail(self, error: Exception) -> None:
        """Leave the training loop FAILED, saying why; a snapshot being rendered goes out before the state (a rendering
        of it that failed too only sends its rows again: this error is the one reported)."""
        self._close_epochs()
        if self._renderer is not None:
            self._renderer.wait_idle()
            self._render_failure()
        self._set_state(WorkerState.FAILED)
        self.errored.emit(f"{type(error).__name__}: {error}")

    def _emit_snapshot(self, force: bool = False) -> None:
        """Send a snapshot: ``force``d, now, rendered here (after any the renderer is rendering: order is kept); else
        only when the window drew the last one, `snapshot_interval` passed since it went out and the renderer is free
        — rendered there. The worker's CPU time for it is recorded in ``budget`` (with a renderer: capturing only), a
        rendering's in ``render_budget`` (with a renderer: the renderer's, and that of a snapshot rendered here).

        A rendering that failed on the renderer is raised here, at the next snapshot, its history rows sent again with
        the next one; a forced snapshot goes out first (with those rows), then the failure is raised."""
        renderer = self._renderer
        now = self._clock()
        if force and renderer is not None:
            renderer.wait_idle()
        failure = self._render_failure()
        if failure is not None and not force:
            raise failure
        due_at = self._last_emit + self.snapshot_interval()
        if not force:  # an item taken while training
            self._item_gap, self._last_item = now - self._last_item, now
        if not force and (
            not self._drawn
            or (renderer is not None and renderer.busy)
            or not self._weights_ready(now, due_at)  # asks for them ahead: before the time is checked
            or now < due_at
        ):
            return
        work = self._work_clock()
        if force or renderer is None:
            snapshot = self.session.snapshot()
            self._last_emit, self._drawn = now, False
            self.yielded.emit(snapshot)
            budget = self.budget if renderer is None else self.render_budget
        else:
            source, model = self.session.capture(), self._render_model()
            self._last_emit, self._drawn = now, False
            renderer.submit(source, model)
            budget = self.budget
        budget.record(self._work_clock() - work)
        if failure is not None:
            raise failure

    def _weights_ready(self, now: float, due_at: float) -> bool:
        """The session's model holds the weights of the item just taken: always, but while the training process
        trains — then only when they came with it. If not, and a snapshot falls due (at ``due_at``) before the next
        item (``progress_every`` from ``now``, or the time between the last two items if longer: whole epochs), they
        are asked for: they come with that item.
        Called only when the window drew the last snapshot and the renderer is free (else none could go out)."""
        if self._epochs is None or not self._in_process() or self._process.fresh_weights:
            return True
        if now + max(self.progress_every or 0.0, self._item_gap) >= due_at:  # due by the next item
            self._process.request_weights()
        return False

    def _render_failure(self) -> Exception | None:
        """The error of a rendering that failed on the renderer (taken once), None if none did: its history rows go
        out again with the next snapshot, and the window, which never got it, is not waited for."""
        failure = self._renderer.take_failure() if self._renderer is not None else None
        if failure is None:
            return None
        error, source = failure
        self.session.resend_from(source.start)
        self._drawn = True
        return error

    def _render_model(self) -> Sequential:
        """A copy of the session's model for the renderer (made again only for another model, device or dtype)."""
        trainer = self.session.trainer
        live = (self.session.model, trainer.device, trainer.dtype)
        if not self._model_copy or self._model_copy[0] is not live[0] or self._model_copy[1:3] != live[1:]:
            self._model_copy = (*live, copy.deepcopy(self.session.model))
        return self._model_copy[3]
