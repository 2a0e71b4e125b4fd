"""The README's "API in ten lines" runs as printed and trains."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import torch

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_api_snippet() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## The API in ten lines") :]
    start = section.index("```python") + len("```python")
    return section[start : section.index("```", start)]


def test_the_readme_api_snippet_runs_and_learns():
    output = io.StringIO()
    # The snippet draws its weights and shuffling from torch's global generator: seed it, so the test is repeatable.
    with torch.random.fork_rng(), contextlib.redirect_stdout(output):
        torch.manual_seed(0)
        exec(compile(readme_api_snippet(), str(README), "exec"), {})
    epochs = [line.split() for line in output.getvalue().splitlines()]
    assert [int(row[0]) for row in epochs] == list(range(1, 21))
    assert float(epochs[-1][2]) > 0.8  # test accuracy after 20 epochs (measured 0.90-0.96; chance is 0.5)


def readme_problems_snippet() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("**Beyond two classes.**") :]
    start = section.index("```python") + len("```python")
    return section[start : section.index("```", start)]


def test_the_readme_k_class_snippet_prints_the_accuracy_it_claims():
    output = io.StringIO()
    snippet = readme_problems_snippet()
    claimed = float(snippet.split("# ")[-1].split()[0])
    with contextlib.redirect_stdout(output):
        exec(compile(snippet, str(README), "exec"), {})  # as printed: its imports included
    assert float(output.getvalue()) == claimed  # seeded: the number the README prints, in any default dtype
