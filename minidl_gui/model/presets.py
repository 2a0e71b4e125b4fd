"""Named configurations: the report's two experiments and the annealed run that beats them, exactly as
`minidl.experiments` defines them; and one of each other problem: a 3-arm spiral (3 classes, softmax and
cross-entropy) and the plane regression."""

from __future__ import annotations

from minidl.experiments import EXPERIMENTS, REPORT_HIDDEN, REPORT_POINTS, Experiment
from minidl_gui.model.config import Config, DataConfig, LayerConfig, NetworkConfig, TrainingConfig


def report_config(experiment: Experiment) -> Config:
    """2-25-25-25-1 ReLU, batch 1, the experiment's output activation, init, loss, optimizer (rate, betas),
    schedule and epochs; 1000 training + 1000 test points of the disc set."""
    return Config(
        data=DataConfig(dataset="disc", n_train=REPORT_POINTS, n_test=REPORT_POINTS, noise=0.0, seed=0),
        network=NetworkConfig(
            hidden=tuple(LayerConfig(width, "relu") for width in REPORT_HIDDEN),
            output_activation=experiment.output_activation,
            init=experiment.init,
            init_std=experiment.init_std,
            seed=0,
        ),
        training=TrainingConfig(
            loss=experiment.loss,
            optimizer=experiment.optimizer,
            lr=experiment.lr,
            beta1=experiment.betas[0],
            beta2=experiment.betas[1],
            batch_size=1,
            max_epochs=experiment.epochs,
            schedule=experiment.scheduler,
        ),
    )


SPIRAL_3 = Config(
    data=DataConfig(dataset="spiral", classes=3, n_train=600, n_test=600, noise=0.02, seed=0),
    network=NetworkConfig(hidden=(LayerConfig(32, "relu"), LayerConfig(32, "relu")), init="kaiming", seed=0),
    training=TrainingConfig(
        loss="cross_entropy", optimizer="adam", lr=0.01, batch_size=10, max_epochs=100, schedule="cosine"
    ),
)
"""Three interleaved spiral arms: x1, x2 → 32 ReLU → 32 ReLU → 3 logits, cross-entropy, Adam with a cosine
schedule: 94 % test accuracy after 21 epochs, 99.5 % at the end (tests/gui/test_problem_types.py)."""

REGRESSION_PLANE = Config(
    data=DataConfig(dataset="plane", n_train=500, n_test=500, noise=0.0, seed=0),
    network=NetworkConfig(hidden=(LayerConfig(8, "tanh"),), init="xavier", seed=0),
    training=TrainingConfig(loss="mse", optimizer="adam", lr=0.01, batch_size=10, max_epochs=50),
)
"""TensorFlow Playground's plane: x1, x2 → 8 tanh → 1 identity output, MSE, Adam: test R² 0.997 after one epoch,
0.9999 at the end (tests/gui/test_problem_types.py)."""

PRESETS: dict[str, tuple[str, Config]] = {
    **{f"report-{e.name}": (f"Report — {e.label}", report_config(e)) for e in EXPERIMENTS},
    "spiral-3": ("Spiral, 3 classes", SPIRAL_3),
    "regression-plane": ("Regression — plane", REGRESSION_PLANE),
}
"""``{"report-sgd": ("Report — SGD", config), "report-adam": ("Report — Adam", config), "report-adam-annealed":
("Report — Adam, annealed", config), "spiral-3": ("Spiral, 3 classes", config), "regression-plane":
("Regression — plane", config)}``."""

DEFAULT_PRESET = "report-adam"


def preset(key: str) -> Config:
    """The preset called ``key`` (a key of `PRESETS`)."""
    if key not in PRESETS:
        raise ValueError(f"Unknown preset {key!r}: choose one of {', '.join(PRESETS)}")
    return PRESETS[key][1]
