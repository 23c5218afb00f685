PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test eval bench lint clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "python3.11 not found; set PY=/path/to/python3.11"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install -q -c requirements.lock -e '.[test,cluster]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/tocsin ingest samples/ --db tocsin.db
	$(BIN)/tocsin events --db tocsin.db
	$(BIN)/tocsin warnings drafts --db tocsin.db
	$(BIN)/tocsin serve --db tocsin.db

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/python -m tocsin.eval

bench: $(STAMP)
	$(BIN)/python bench/extract_throughput.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) tocsin.db tocsin.db-wal tocsin.db-shm
