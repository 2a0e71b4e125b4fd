"""float32's range, known without importing torch (the command line checks its flags before torch loads)."""

FLOAT32_MAX = 3.4028234663852886e38
"""The largest finite float32 (``torch.finfo(torch.float32).max``): data and hyperparameters end up in float32."""
