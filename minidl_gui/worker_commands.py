"""The commands a `TrainingWorker` serves: small frozen dataclasses, queued by ``worker.submit(command)``.

Any thread builds one and submits it; the worker's thread applies it between two epochs, dispatching on
its class with one ``match`` (``TrainingWorker._handle``), so every command can be followed by name from
the code that sends it to the code that handles it. Pure data, no Qt: whoever sends needs no worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from minidl_gui.model.config import Config
from minidl_gui.model.point_edits import PointsEdit
from minidl_gui.model.session import Session


@dataclass(frozen=True)
class Train:
    """Train on, epoch after epoch, until the run ends or epoch ``stop_at`` (None: no such stop) is trained."""

    stop_at: int | None = None


@dataclass(frozen=True)
class Pause:
    """Stop training after the current epoch; Train goes on from there."""


@dataclass(frozen=True)
class Step:
    """Train exactly one epoch, then pause."""


@dataclass(frozen=True)
class Stop:
    """End this run; the next Train starts again from the initial weights."""


@dataclass(frozen=True)
class Reset:
    """Back to epoch 0 with the same initial weights."""


@dataclass(frozen=True)
class Reinitialise:
    """Back to epoch 0 with new initial weights drawn from ``seed``."""

    seed: int


@dataclass(frozen=True)
class Configure:
    """Train with ``config`` from the next epoch: a live change, or a rebuild when data or network change."""

    config: Config


@dataclass(frozen=True)
class StartAfresh:
    """A new session of ``config`` (a preset) from scratch: its generated points, fresh weights, epoch 0."""

    config: Config


@dataclass(frozen=True)
class SetResolution:
    """Compute the decision heatmap on ``resolution`` × ``resolution`` cells."""

    resolution: int


@dataclass(frozen=True)
class SelectNeuron:
    """Send the field of ``neuron`` ((layer, index)) with every snapshot; None: no neuron."""

    neuron: tuple[int, int] | None


@dataclass(frozen=True)
class SendSnapshot:
    """Send a snapshot of the session now."""


@dataclass(frozen=True)
class Quit:
    """Return from ``run()`` after the current epoch."""


@dataclass(frozen=True, eq=False)
class Adopt:
    """Train ``session`` from now on (an opened file, a restored run); the current run ends here."""

    session: Session


@dataclass(frozen=True, eq=False)
class Call:
    """Run ``function(session)`` on the worker's thread between epochs (saving and exporting see a still model)."""

    function: Callable[[Session], object]


@dataclass(frozen=True, eq=False)
class EditPoints:
    """Apply ``edit`` (a `point_edits` edit) to the points; the next epoch trains on them, the model is kept."""

    edit: PointsEdit


@dataclass(frozen=True)
class UndoPoints:
    """Undo the last edit of the points."""


@dataclass(frozen=True)
class RegeneratePoints:
    """Back to the configuration's generated points, if drawn or imported ones replaced them."""


WorkerCommand = (
    Train
    | Pause
    | Step
    | Stop
    | Reset
    | Reinitialise
    | Configure
    | StartAfresh
    | SetResolution
    | SelectNeuron
    | SendSnapshot
    | Quit
    | Adopt
    | Call
    | EditPoints
    | UndoPoints
    | RegeneratePoints
)
"""Any command the worker serves."""
