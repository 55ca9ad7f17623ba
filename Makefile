# `make run`: set up, fetch the models, brief the example articles.  `make test`: run the tests.
VENV  ?= .venv
BIN    = $(VENV)/bin
# The CPU build of torch; a plain `torch` would pull a multi-GB CUDA build on Linux.
TORCH ?= torch==2.13.0

.PHONY: setup run test clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

run: setup
	$(BIN)/polybrief models pull
	$(BIN)/polybrief run examples/articles

test: setup
	$(BIN)/ruff check src flows tests bench
	$(BIN)/mypy src/polybrief flows
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) outputs/20* outputs/latest outputs/.cache
