VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMP := $(VENV)/.installed
# Where torch comes from when pip has no torch wheel at hand: PyTorch's CPU-only index (~200 MB).
# Set it empty (`make run TORCH_INDEX=`) to take torch from the default index (on Linux, the CUDA build).
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
# Run apt-get through sudo unless we are root already.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint bench bench-quick gpu-check install system-deps clean

$(PY):
	@python3 -m venv $(VENV) || { rm -rf $(VENV); \
		echo "make: cannot create $(VENV): install python3-venv ('make system-deps' on Debian/Ubuntu)" >&2; exit 1; }

# torch first, alone: a wheel pip already holds (its find-links, a wheelhouse) is used without contacting
# any index; else the pinned version from TORCH_INDEX. Its dependencies then come with the project's.
$(STAMP): $(PY) pyproject.toml constraints-cpu.txt
	@$(PIP) install -q --no-index --no-deps -c constraints-cpu.txt torch 2>/dev/null \
		&& echo "torch: installed from a local wheel" \
		|| { [ -z "$(TORCH_INDEX)" ] || $(PIP) install -q --no-deps -c constraints-cpu.txt --index-url $(TORCH_INDEX) torch; }
	$(PIP) install -q -c constraints-cpu.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/minidl-gui

lint: $(STAMP)
	$(VENV)/bin/ruff check minidl minidl_gui tests bench
	$(VENV)/bin/lint-imports

test: lint
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m pytest -q

# Where torch sees CUDA, `python -m bench` adds the CPU-and-CUDA step-time table (`python -m bench --device cuda`
# prints it alone; `--device cpu` its CPU columns); elsewhere the tables are the CPU ones.
bench: $(STAMP)
	$(PY) -m bench

bench-quick: $(STAMP)
	$(PY) -m bench --quick

# On a machine with an NVIDIA GPU: the CUDA-marked tests and the CUDA bench table (see bench/gpu_check.sh).
gpu-check:
	bash bench/gpu_check.sh

# python3-venv and Qt's runtime libraries on a bare Debian/Ubuntu (through sudo unless run as root).
system-deps:
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y python3-venv libegl1 libgl1 libfontconfig1 libglib2.0-0 libxkbcommon0 libdbus-1-3 \
		libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxkbcommon-x11-0 xvfb xauth

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis .import_linter_cache
