"""Named configurations: the report's two experiments, exactly as `minidl.experiments` defines them."""

from __future__ import annotations

from minidl.experiments import EXPERIMENTS, REPORT_HIDDEN, REPORT_INIT, REPORT_INIT_STD, REPORT_POINTS, Experiment
from minidl_gui.model.config import Config, DataConfig, LayerConfig, NetworkConfig, TrainingConfig


def report_config(experiment: Experiment) -> Config:
    """2-25-25-25-1 ReLU, identity output, N(0, σ²) init, MSE, batch 1, the experiment's optimizer,
    learning rate and epochs; 1000 training + 1000 test points of the disc set."""
    return Config(
        data=DataConfig(dataset="disc", n_train=REPORT_POINTS, n_test=REPORT_POINTS, noise=0.0, seed=0),
        network=NetworkConfig(
            hidden=tuple(LayerConfig(width, "relu") for width in REPORT_HIDDEN),
            output_activation="identity",
            init=REPORT_INIT,
            init_std=REPORT_INIT_STD,
            seed=0,
        ),
        training=TrainingConfig(
            loss="mse", optimizer=experiment.optimizer, lr=experiment.lr, batch_size=1, max_epochs=experiment.epochs
        ),
    )


PRESETS: dict[str, tuple[str, Config]] = {
    f"report-{e.name}": (f"Report — {e.label}", report_config(e)) for e in EXPERIMENTS
}
"""``{"report-sgd": ("Report — SGD", config), "report-adam": ("Report — Adam", config)}``."""

DEFAULT_PRESET = "report-adam"


def preset(key: str) -> Config:
    """The preset called ``key`` (``report-sgd`` or ``report-adam``)."""
    if key not in PRESETS:
        raise ValueError(f"Unknown preset {key!r}: choose one of {', '.join(PRESETS)}")
    return PRESETS[key][1]
