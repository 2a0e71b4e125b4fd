"""Which devices the app can train on: the CPU always, CUDA where torch sees a GPU.

The device is a preference of this machine (kept in the app's settings, like the heatmap's resolution), not
part of a configuration or a session file: a session saved on a CUDA machine opens on a CPU-only one, and
runs on whichever device the machine it is opened on chose.
"""

from __future__ import annotations

import torch

CPU, CUDA = "cpu", "cuda"
DEVICE_LABELS = {CPU: "CPU", CUDA: "CUDA"}
"""Each device's name as the app shows it."""


def available_devices() -> tuple[str, ...]:
    """``("cpu", "cuda")`` where torch sees a CUDA GPU, else ``("cpu",)``. The one place the app asks: the
    Device choice appears only when there is a choice."""
    return (CPU, CUDA) if torch.cuda.is_available() else (CPU,)
