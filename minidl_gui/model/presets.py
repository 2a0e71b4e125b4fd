"""Named configurations: the report's two experiments and the annealed run that beats them, exactly as
`minidl.experiments` defines them."""

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


PRESETS: dict[str, tuple[str, Config]] = {
    f"report-{e.name}": (f"Report — {e.label}", report_config(e)) for e in EXPERIMENTS
}
"""``{"report-sgd": ("Report — SGD", config), "report-adam": ("Report — Adam", config), "report-adam-annealed":
("Report — Adam, annealed", config)}``."""

DEFAULT_PRESET = "report-adam"


def preset(key: str) -> Config:
    """The preset called ``key`` (a key of `PRESETS`)."""
    if key not in PRESETS:
        raise ValueError(f"Unknown preset {key!r}: choose one of {', '.join(PRESETS)}")
    return PRESETS[key][1]
