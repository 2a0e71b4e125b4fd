"""`minidl.float32` states float32's range without torch; it must be torch's."""

import torch

from minidl.float32 import FLOAT32_MAX


def test_float32_max_is_torchs() -> None:
    assert torch.finfo(torch.float32).max == FLOAT32_MAX
    assert torch.tensor(FLOAT32_MAX, dtype=torch.float32).isfinite()
    assert not torch.tensor(FLOAT32_MAX * 1.0000001, dtype=torch.float32).isfinite()
