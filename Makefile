# Two commands matter on a fresh machine: `make demo` and `make test`.
# Both run `make setup` first, which is idempotent and fast once the cache is warm.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PY := .venv/bin/python
LEDENRADAR := $(PY) -m pipeline
export HF_HUB_OFFLINE := 1
# The cached virtualenv is shared by every checkout on the machine; its editable install
# points at whichever ran setup last, so each checkout puts its own code first.
export PYTHONPATH := $(CURDIR)
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup demo test lint unit integration e2e bench evaluate clean

setup:
	@scripts/setup.sh

demo: setup
	$(PY) -m pipeline.demo

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

unit: setup
	.venv/bin/pytest -q tests/unit

integration: setup
	.venv/bin/pytest -q -m integration tests/integration

test: lint
	.venv/bin/pytest -q tests

bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b; done

evaluate: setup
	$(LEDENRADAR) evaluate redaction
	$(LEDENRADAR) evaluate themes --dataset sim:baseline --model e5 --backend onnx --variant int8
	$(LEDENRADAR) evaluate themes --dataset banking77 --model minilm+e5
	$(LEDENRADAR) evaluate emergence

clean:
	rm -rf data .pytest_cache .ruff_cache
