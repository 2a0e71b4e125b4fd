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
from minidl_gui.model.view_options import ViewOptions


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
    """Train with ``config`` from the next epoch: a live change, or a rebuild when data or network change.

    ``regenerate_points`` (an edit of the Data group): drawn or imported points give way to the
    configuration's generated ones too, even when its data settings are unchanged — in this one command,
    so that no order of two commands (or of the connections sending them) decides the outcome."""

    config: Config
    regenerate_points: bool = False


@dataclass(frozen=True)
class StartAfresh:
    """A new session of ``config`` (a preset) from scratch: its generated points, fresh weights, epoch 0."""

    config: Config


@dataclass(frozen=True)
class SetResolution:
    """Compute the decision heatmap on ``resolution`` × ``resolution`` cells."""

    resolution: int


@dataclass(frozen=True)
class SetDevice:
    """Train on ``device`` (one of `minidl_gui.model.devices.available_devices`) from the next epoch; the run
    goes on where it is. Sessions adopted later move there too: the device is the machine's choice."""

    device: str


@dataclass(frozen=True)
class SelectNeuron:
    """Send the field of ``neuron`` ((layer, index)) with every snapshot; None: no neuron."""

    neuron: tuple[int, int] | None


@dataclass(frozen=True)
class SetView:
    """Prepare the plots' frames with these view ``options`` (the decision plot's "Discretize output")."""

    options: ViewOptions


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
    | SetDevice
    | SelectNeuron
    | SetView
    | SendSnapshot
    | Quit
    | Adopt
    | Call
    | EditPoints
    | UndoPoints
)
"""Any command the worker serves."""
