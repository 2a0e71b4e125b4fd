"""`TrainingProcess`: a child process that trains while the window's process draws, each on its own core.

CPython runs the Python of one thread at a time per process (the GIL). At small batches the training loop is
mostly Python, and so is painting the plots: on threads of one process they take turns, and training runs at
about half its speed while the window redraws 20 times a second. In a child process (spawned: no Qt, no copy of
the window's threads) the training has its own interpreter and runs at full speed; the window's process only
receives what it records and draws.

One run at a time, over one duplex pipe (each message pickled):

- parent → child: ``(trainer, progress_every, stop_at)``: the whole `Trainer` (`torch.save`d: model, optimizer,
  scheduler, data, the shuffle generator's state), trained from where it is, as `recorded_epochs` would on the
  parent's thread; between two items of a run `HALT` or `WEIGHTS`; None: exit (`close` kills it instead).
- child → parent: ``(ITEM, item, weights)`` for each `EpochProgress` and `EpochRecord`, ``weights`` the model's
  state dict (as numpy arrays) when the parent asked for them (`request_weights`) since the last ones, else None;
  then one end: ``(HALTED, state)`` after epoch ``stop_at`` or after the first epoch that ends once the parent asked
  (`request_halt`), ``(ENDED, state)`` when the run is over (a stop rule, ``max_epochs``), ``(DIVERGED, (epoch,
  lr, advice, setting), state)`` with the model back at its last finite weights, or ``(FAILED, text, state or
  None)``. ``state`` is ``Trainer.state_dict()``: the parent's trainer loads it and goes on exactly as the
  child's would (tested bit for bit).

The child runs ahead of the parent (the pipe buffers what the parent has not read yet), so the parent never
slows training down; it takes the items in order, so every epoch is recorded and acted on as on a thread.
"""

from __future__ import annotations

import contextlib
import io
import pickle
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Generator
from multiprocessing.connection import Connection
from typing import Any

import torch

from minidl.training import EpochProgress, Trainer, TrainingDiverged
from minidl_gui.model.epoch_records import EpochRecord, recorded_epochs

ITEM, HALTED, ENDED, DIVERGED, FAILED = "item", "halted", "ended", "diverged", "failed"
HALT, WEIGHTS = "halt", "weights"
"""What the parent may ask of a running child, between two of its items."""
JOIN_SECONDS = 2.0
"""How long a child whose pipe closed is given to end before it is killed."""


class TrainingProcessError(RuntimeError):
    """The training process failed or ended unexpectedly (the message says how, and where the run is now)."""


class TrainingProcess:
    """The parent's handle of one training child, started on first use (``start``: ahead of time) and again after
    it died; `epochs` trains a trainer there. Used from one thread (the worker's) but for `close`."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None
        self.halted = False
        """The last run ended because the parent asked (`request_halt`) or at its ``stop_at``: it may go on."""
        self.fresh_weights = False
        """The last item taken came with the model's weights (loaded into the parent's model)."""

    # -- the child's life ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start the child if it is not running. It is ``python -m minidl_gui.training_process FD`` (not a
        multiprocessing child, which would import the parent's main script again), the pipe a socket pair; importing
        torch there takes a second or two, meanwhile the caller goes on (the first run waits for it)."""
        if self.alive:
            return
        self._discard()
        ours, theirs = socket.socketpair()
        with theirs:
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        self._connection = Connection(ours.detach())

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The running child's process id (None: none runs)."""
        return self._process.pid if self.alive else None

    def close(self) -> None:
        """End the child now: killed, as it keeps nothing this process lacks (each run's state came back when the run
        ended), while exiting by itself takes it 0.7-0.9 s (the interpreter's teardown, torch loaded) or the rest of
        its import of torch — which the window's close would wait for. A later run starts another."""
        self._discard()

    def _discard(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None

    # -- asking the running child -------------------------------------------------------------------
    def request_halt(self) -> None:
        """End the run at the next epoch's end (``halted`` then says it may go on)."""
        self._ask(HALT)

    def request_weights(self) -> None:
        """Send the model's weights with the next item (``fresh_weights``)."""
        self._ask(WEIGHTS)

    def _ask(self, what: str) -> None:
        if self._connection is not None:
            with contextlib.suppress(OSError):  # a dead child: the next receive says so
                _send(self._connection, what)

    # -- a run --------------------------------------------------------------------------------------
    def epochs(
        self,
        trainer: Trainer,
        progress_every: float | None = None,
        stop_at: int | None = None,
        unseen: Callable[[EpochRecord], object] = lambda record: None,
    ) -> Generator[EpochRecord | EpochProgress, None, None]:
        """Train ``trainer`` in the child from where it is, yielding what `recorded_epochs` would, until the run is
        over, epoch ``stop_at`` is done or a halt was asked for; ``trainer`` is then where the child's is (its state
        loaded). Meanwhile ``trainer.epoch`` and ``elapsed`` follow the records, the model takes the weights that come.

        Closed early, the child's run halts at its next epoch's end and ``trainer`` gets its state: the records
        the caller did not take go to ``unseen``. Raises `TrainingDiverged` as training on this thread would
        (the model back at its last finite weights); `TrainingProcessError` if the child failed or died (then
        ``trainer`` is back where it was when this run began), or ``trainer`` cannot be pickled (nothing ran)."""
        self.start()
        self.halted = self.fresh_weights = False
        begun = trainer.state_dict()
        try:
            saved = _saved(trainer)
        except Exception as error:  # noqa: BLE001 - anything pickle refuses: no run begins there
            raise TrainingProcessError(
                f"the run could not be sent to the training process: {type(error).__name__}: {error}"
            ) from error
        ended = False
        try:
            try:
                _send(self._connection, (saved, progress_every, stop_at))
            except OSError as error:
                ended = True  # nothing runs there: no halt to wait for
                raise self._lost(trainer, begun, error) from error
            while True:
                message = self._receive(trainer, begun)
                if message[0] != ITEM:
                    ended = True
                    self._end(trainer, message)
                    return
                item, weights = message[1], message[2]
                self._take(trainer, item, weights)
                yield item
        finally:
            if not ended:
                self._finish_early(trainer, begun, unseen)

    def _receive(self, trainer: Trainer, begun: dict[str, Any]) -> tuple[Any, ...]:
        try:
            return _receive(self._connection)
        except (EOFError, OSError) as error:
            raise self._lost(trainer, begun, error) from error

    def _lost(self, trainer: Trainer, begun: dict[str, Any], error: BaseException) -> TrainingProcessError:
        """The child is gone (``error``: how the pipe said so): ``trainer`` back at ``begun``, the error saying so."""
        exit_code = None
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):  # a closed pipe: it is ending, or it is killed below
                self._process.wait(JOIN_SECONDS)
            exit_code = self._process.poll()
        self._discard()
        trainer.load_state_dict(begun)
        return TrainingProcessError(
            f"the training process ended unexpectedly (exit code {exit_code}; {type(error).__name__}); "
            f"the run is back at epoch {trainer.epoch}, where this stretch of training began"
        )

    def _take(self, trainer: Trainer, item: EpochRecord | EpochProgress, weights: dict[str, Any] | None) -> None:
        self.fresh_weights = weights is not None
        if weights is not None:
            trainer.model.load_state_dict({name: torch.from_numpy(array) for name, array in weights.items()})
        if isinstance(item, EpochRecord):
            trainer.epoch, trainer.elapsed = item.epoch, item.elapsed

    def _end(self, trainer: Trainer, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind in (HALTED, ENDED):
            trainer.load_state_dict(message[1])
            self.halted = kind == HALTED
        elif kind == DIVERGED:
            trainer.load_state_dict(message[2])
            raise TrainingDiverged(*message[1])
        else:
            if message[2] is not None:
                trainer.load_state_dict(message[2])
            raise TrainingProcessError(message[1])

    def _finish_early(self, trainer: Trainer, begun: dict[str, Any], unseen: Callable[[EpochRecord], object]) -> None:
        """The caller left before the run's end: halt the child, keep what it trained (records to ``unseen``)."""
        if self._connection is None:
            return
        self.request_halt()
        try:
            while (message := self._receive(trainer, begun))[0] == ITEM:
                self._take(trainer, message[1], message[2])
                if isinstance(message[1], EpochRecord):
                    unseen(message[1])
            self._end(trainer, message)
        except (TrainingDiverged, TrainingProcessError):
            pass  # nobody is listening any more: the trainer is where the child left it (or where this run began)


def serve(connection: Connection) -> None:
    """The child's life: train each trainer that comes (see the module's protocol) until None or the pipe closes;
    what the parent asks of a run that has ended already is ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the terminal is the window's to handle; it ends us
    torch.set_grad_enabled(False)  # minidl computes its own gradients
    try:
        while (message := _receive(connection)) is not None:
            if isinstance(message, tuple):
                saved, progress_every, stop_at = message
                _send(connection, _train(connection, _loaded(saved), progress_every, stop_at))
    except (EOFError, OSError):
        return  # the window's process is gone: nobody to train for


def _train(
    connection: Connection, trainer: Trainer, progress_every: float | None, stop_at: int | None
) -> tuple[Any, ...]:
    halt = want_weights = False
    try:
        for item in recorded_epochs(trainer, progress_every):
            while connection.poll():
                asked = _receive(connection)
                halt, want_weights = halt or asked == HALT, want_weights or asked == WEIGHTS
            weights = _arrays(trainer.model.state_dict()) if want_weights else None
            want_weights = False
            _send(connection, (ITEM, item, weights))
            if isinstance(item, EpochRecord) and (halt or (stop_at is not None and item.epoch >= stop_at)):
                return HALTED if item.stop_reason is None else ENDED, trainer.state_dict()
        return ENDED, trainer.state_dict()
    except TrainingDiverged as error:
        return DIVERGED, (error.epoch, error.lr, error.advice, error.setting), trainer.state_dict()
    except OSError:
        raise  # the pipe broke: the parent is gone
    except Exception as error:  # noqa: BLE001 - sent to the parent, which reports it
        try:
            state = trainer.state_dict()
        except Exception:  # noqa: BLE001 - a trainer too broken to say where it is: the parent keeps its own
            state = None
        return FAILED, f"{type(error).__name__}: {error}", state


def _arrays(state: dict[str, torch.Tensor]) -> dict[str, Any]:
    """A CPU state dict's tensors as numpy arrays (sharing their memory): pickled as plain bytes, where a tensor is
    pickled through `torch.save` and unpickled through `torch.load`, ~0.7 ms each — 12 % of a core in the window's
    process for the weights of 20 snapshots a second of the report's network (measured with cProfile)."""
    return {name: tensor.numpy() for name, tensor in state.items()}


def _saved(trainer: Trainer) -> bytes:
    """``trainer`` as bytes that keep which tensors share storage (the optimizer's flat buffers and the
    parameters viewing them): `torch.save`'s pickling, not plain pickle's, which copies each view apart. The
    tensors its modules keep from their last forward pass are dropped first (`_drop_forward_passes`)."""
    _drop_forward_passes(trainer)
    buffer = io.BytesIO()
    torch.save(trainer, buffer)
    return buffer.getvalue()


FORWARD_PASS = ("_input", "_output", "_prediction", "_target")
"""Where minidl's layers, activations and losses keep their last forward pass's tensors for its backward."""


def _drop_forward_passes(trainer: Trainer) -> None:
    """Forget the tensors of the last forward pass of ``trainer``'s modules and loss: between epochs no backward
    needs them (the next forward sets them again), and they can be most of a trainer — a snapshot's grid or the
    training set through every layer: 180 of 200 MB for the largest network and data set the app allows."""
    modules, criterion = [trainer.model], trainer.criterion
    while modules:
        module = modules.pop()
        modules.extend(child for _, child in module.children())
        for name in FORWARD_PASS:
            if getattr(module, name, None) is not None:
                setattr(module, name, None)
    for name in FORWARD_PASS:
        if getattr(criterion, name, None) is not None:
            setattr(criterion, name, None)


def _loaded(saved: bytes) -> Trainer:
    return torch.load(io.BytesIO(saved), weights_only=False)  # our own parent's trainer


def _send(connection: Connection, message: object) -> None:
    """Pickled here, plainly: `Connection.send` would pass tensors through shared memory (torch registers that
    with multiprocessing), which only works between multiprocessing's own processes."""
    connection.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))


def _receive(connection: Connection) -> Any:
    return pickle.loads(connection.recv_bytes())  # noqa: S301 - our own child's (or parent's) messages


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])))
