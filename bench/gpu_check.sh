#!/usr/bin/env bash
# The GPU check of minidl: the CUDA-marked tests, then the CPU-and-CUDA step-time table. A few minutes at most.
#
# Use, from the repository root of a checkout, on a machine with an NVIDIA GPU:
#     bash bench/gpu_check.sh
# It runs `python -m pytest -m cuda` (only the tests marked `cuda`; they are skipped where torch sees no GPU) and
# `python -m bench --device cuda --quick`, printing both, each under its own time limit (TEST_LIMIT, BENCH_LIMIT
# seconds), and exits 0 only if CUDA was there and both passed.
#
# Which Python: $PYTHON if set; else the first of python3 and .venv/bin/python whose torch sees CUDA; else a
# virtual environment it creates in $GPU_VENV (default /tmp/minidl-gpu-venv) from the system's packages plus
# the torch wheel pip holds locally (--no-index: pip's find-links, e.g. PIP_FIND_LINKS=/path/to/wheelhouse).
# minidl itself is imported from this checkout, not installed. Where Qt (PySide6, pyqtgraph, pytest-qt) is missing, as on
# a bare GPU server, the Qt tests are not collected: CUDA-marked app tests then need a machine with Qt.
# Without CUDA anywhere it still runs both (tests skip, the bench says CUDA is missing) and exits 1.

set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export PYTHONUNBUFFERED=1 QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
TEST_LIMIT="${TEST_LIMIT:-240}"
BENCH_LIMIT="${BENCH_LIMIT:-240}"
GPU_VENV="${GPU_VENV:-/tmp/minidl-gpu-venv}"
QT_TESTS=(tests/gui tests/bench/test_app_responsiveness_smoke.py)

has_cuda() { "$1" -c 'import sys, torch; sys.exit(not torch.cuda.is_available())' 2>/dev/null; }
has_torch() { "$1" -c 'import torch' 2>/dev/null; }

pick_python() {
    if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
    local candidate
    for candidate in python3 .venv/bin/python; do
        if command -v "$candidate" >/dev/null && has_cuda "$candidate"; then echo "$candidate"; return; fi
    done
    if [ ! -x "$GPU_VENV/bin/python" ]; then
        python3 -m venv --system-site-packages "$GPU_VENV" >&2 \
            && "$GPU_VENV/bin/python" -m pip install -q --no-index torch >&2 \
            || echo "gpu_check: could not install torch into $GPU_VENV from local wheels (set PIP_FIND_LINKS, or PYTHON to a Python with CUDA torch)" >&2
        "$GPU_VENV/bin/python" -c 'import pytest' 2>/dev/null \
            || "$GPU_VENV/bin/python" -m pip install -q --no-index pytest >&2 \
            || echo "gpu_check: no local pytest wheel for $GPU_VENV" >&2
    fi
    for candidate in "$GPU_VENV/bin/python" python3 .venv/bin/python; do
        if command -v "$candidate" >/dev/null && has_torch "$candidate"; then echo "$candidate"; return; fi
    done
}

PY="$(pick_python)"
if [ -z "$PY" ]; then
    echo "gpu_check: no Python with torch found: set PYTHON to one (its torch built with CUDA)" >&2
    exit 1
fi
"$PY" -c 'import sys, torch
cuda = torch.cuda.get_device_name() if torch.cuda.is_available() else "none"
print(f"gpu_check: {sys.executable}, Python {sys.version.split()[0]}, torch {torch.__version__}, GPU: {cuda}")'

ignore=()
if ! "$PY" -c 'import PySide6, pyqtgraph, pytestqt' 2>/dev/null; then
    echo "gpu_check: no PySide6/pyqtgraph/pytest-qt here: not collecting ${QT_TESTS[*]}"
    for path in "${QT_TESTS[@]}"; do ignore+=("--ignore=$path"); done
fi

echo; echo "== pytest -m cuda"
timeout "$TEST_LIMIT" "$PY" -m pytest -m cuda -q -p no:cacheprovider "${ignore[@]}" tests
tests=$?
[ "$tests" = 5 ] && echo "gpu_check: no CUDA-marked test was collected"
[ "$tests" = 124 ] && echo "gpu_check: the tests ran past $TEST_LIMIT s"

echo; echo "== python -m bench --device cuda --quick"
timeout "$BENCH_LIMIT" "$PY" -m bench --device cuda --quick
bench=$?
[ "$bench" = 124 ] && echo "gpu_check: the benchmark ran past $BENCH_LIMIT s"

echo
if ! has_cuda "$PY"; then
    echo "gpu_check: FAILED: torch sees no CUDA device here, so nothing was checked on a GPU"
    exit 1
fi
if [ "$tests" != 0 ] || [ "$bench" != 0 ]; then
    echo "gpu_check: FAILED (pytest exit $tests, bench exit $bench)"
    exit 1
fi
echo "gpu_check: passed (CUDA tests and CUDA bench)"
