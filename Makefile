# One command to set up and run, one to set up and test. Both create and reuse .venv and
# are quick the second time: the install step reruns only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MNIST ?= $(firstword $(wildcard ../shared/data/mnist.npz))

.PHONY: run test lint bench bundle train launcher system-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m game

system-deps:
	@scripts/system-deps

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: $(STAMP) system-deps lint
	DIGITS_MNIST=$(MNIST) $(PY) -m pytest

bench: $(STAMP)
	DIGITS_MNIST=$(MNIST) $(PY) -m benchmarks

launcher: $(STAMP)
	DIGITS_MNIST=$(MNIST) $(VENV)/bin/streamlit run launcher_app.py

bundle: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --clean build.spec

# The exact command that made the shipped model (its card records it).
train: $(STAMP)
	$(PY) -m training assets/model.h5 $(if $(MNIST),--data $(MNIST)) --epochs 20 --batch-size 256 --learning-rate 0.2 --seed 0 --bfloat16 --drawn 0.25 --not-a-digit 0.12 --traced 0.2 --pairs 0.05

clean:
	rm -rf build dist .pytest_cache .ruff_cache
