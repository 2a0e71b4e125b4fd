"""The report's two experiments (the one place their settings live), and the initialisation its numbers need.

The report draws every weight and bias "from a normal distribution with a given mean and standard
deviation" and trains with SGD at lr 5e-5, one point per step, MSE loss. So small a learning rate only
makes progress on large weights, and N(0, 1) for weights *and* biases (``mlp(init="normal",
init_std=1.0)``) is the init that reproduces its numbers. Measured with this package, final test
accuracy after the report's epochs, seeds 0-2 (0-1 for std 0.5 and 2):

=====================  ========================  ===========================
init                   SGD lr 5e-5, 500 epochs   Adam lr 5e-3, 100 epochs
=====================  ========================  ===========================
N(0, 1) (chosen)       97.1, 97.8, 97.1 %        94.1, 97.1, 94.5 %
N(0, 0.5)              96.9, 96.5 %              -
N(0, 2)                diverges in epoch 1       -
Kaiming normal         95.0, 95.9, 98.0 %        93.6, 95.9, 95.1 %
PyTorch default        75.2, 80.4, 65.8 %        93.4, 98.3, 97.9 %
N(0, 0.1)              -                         95.9, 96.3, 95.5 %
=====================  ========================  ===========================

SGD is what picks the init: N(0, 1) gives 97.3 % on average against the report's 97.7 %, smaller
inits learn too slowly at lr 5e-5 and N(0, 2) blows up. Adam hardly cares about the init; at lr 5e-3
with batch 1 its last-epoch accuracy jumps by a few points from epoch to epoch (94-98 %), so the
report's 98.3 % is the good end of that range rather than its mean.
"""

from __future__ import annotations

from dataclasses import dataclass

from minidl.formatting import short_number

REPORT_HIDDEN = (25, 25, 25)
REPORT_POINTS = 1000
REPORT_INIT = "normal"
REPORT_INIT_STD = 1.0


@dataclass(frozen=True)
class Experiment:
    """One of the report's runs: the 2-25-25-25-1 ReLU net, MSE loss, batch 1, this optimizer."""

    name: str
    label: str
    optimizer: str
    lr: float
    epochs: int
    report_accuracy: float

    @property
    def title(self) -> str:
        return f"{self.label} lr {short_number(self.lr)}, {self.epochs} epochs"


EXPERIMENTS = (
    Experiment("sgd", "SGD", "sgd", 5e-5, 500, 0.977),
    Experiment("adam", "Adam", "adam", 5e-3, 100, 0.983),
)
