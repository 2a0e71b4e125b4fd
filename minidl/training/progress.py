"""`EpochProgress`: how far an epoch is, between two of its optimizer steps (`Trainer.run`, ``progress_every``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EpochProgress:
    """Epoch ``epoch`` (numbered as its `EpochResult` will be: the trainer's ``epoch + 1``) has done ``step`` of its
    ``steps`` optimizer steps, ``0 < step < steps``: the model holds the weights after step ``step``.

    Between two progress items and results the consumer may read the model (``model.forward``), not change it or
    the trainer: the epoch goes on with the next mini-batch of the same shuffled order when it is resumed.
    """

    epoch: int
    step: int
    steps: int
