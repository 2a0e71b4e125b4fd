VENV ?= .venv
PY := $(VENV)/bin/python
PIP_INSTALL := $(PY) -m pip install --disable-pip-version-check -q -c constraints-cpu.txt
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-quick system-deps clean

$(PY):
	python3 -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml constraints-cpu.txt
	$(PIP_INSTALL) -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/minidl-gui

lint: $(STAMP)
	$(VENV)/bin/ruff check minidl minidl_gui tests bench
	$(VENV)/bin/lint-imports

test: lint
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m bench

bench-quick: $(STAMP)
	$(PY) -m bench --quick

# Qt's runtime libraries on a bare Debian 12 (run as root).
system-deps:
	apt-get update && apt-get install -y libegl1 libgl1 libfontconfig1 libglib2.0-0 libxkbcommon0 libdbus-1-3 \
		libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxkbcommon-x11-0 xvfb xauth

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
