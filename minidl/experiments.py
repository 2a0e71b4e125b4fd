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


_INIT_WORDS = {"torch": "PyTorch's default", "normal": "normal", "xavier": "Xavier", "kaiming": "Kaiming"}


@dataclass(frozen=True)
class Experiment:
    """A run of the 2-25-25-25-1 ReLU net on the report's disc points, batch 1: the report's two (MSE loss, N(0, 1)
    init, a constant rate) and ours that beats them within the same budget (``report_accuracy`` None)."""

    name: str
    label: str
    optimizer: str
    lr: float
    epochs: int
    report_accuracy: float | None
    loss: str = "mse"
    output_activation: str = "identity"
    init: str = REPORT_INIT
    init_std: float = REPORT_INIT_STD
    betas: tuple[float, float] = (0.9, 0.999)
    scheduler: str = "none"

    @property
    def title(self) -> str:
        """``"Adam lr 5e-3, 100 epochs"`` (``epochs``: the experiment's)."""
        return self.title_for(self.epochs)

    def title_for(self, epochs: int) -> str:
        """The title of this run trained for ``epochs`` epochs (the label without its comma, which the title has)."""
        return f"{self.label.replace(',', '')} lr {short_number(self.lr)}, {epochs} epochs"

    @property
    def recipe(self) -> str:
        """What sets this run apart from the report's, in words (empty for the report's own)."""
        parts = [
            f"{self.scheduler} schedule" if self.scheduler != "none" else "",
            f"{self.output_activation} output" if self.output_activation != "identity" else "",
            f"{self.loss.upper()} loss" if self.loss != "mse" else "",
            "" if (self.init, self.init_std) == (REPORT_INIT, REPORT_INIT_STD) else f"{_INIT_WORDS[self.init]} init",
            f"betas {self.betas[0]:g},{self.betas[1]:g}" if self.betas != (0.9, 0.999) else "",
        ]
        return ", ".join(part for part in parts if part)


EXPERIMENTS = (
    Experiment("sgd", "SGD", "sgd", 5e-5, 500, 0.977),
    Experiment("adam", "Adam", "adam", 5e-3, 100, 0.983),
    # Found with minidl sweep (the README's "Beating the report" has the commands): 98.75 ± 0.31 % over seeds 0-9.
    Experiment(
        "adam-annealed",
        "Adam, annealed",
        "adam",
        5e-3,
        100,
        None,
        loss="bce",
        output_activation="sigmoid",
        init="torch",
        betas=(0.9, 0.99),
        scheduler="cosine",
    ),
)
"""The report's two experiments, then the annealed Adam run that beats them."""

REPORT_EXPERIMENTS = tuple(e for e in EXPERIMENTS if e.report_accuracy is not None)
"""The report's own experiments: the defaults of ``minidl train`` (its learning rate per optimizer) come from them."""
