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

# With a sources.toml here (or TOCSIN_SOURCES set), `tocsin watch` runs in the background beside
# `tocsin serve`; Ctrl-C (or serve exiting) stops the watcher too, after the items in hand are stored.
run: $(STAMP)
	$(BIN)/tocsin ingest samples/ --db tocsin.db
	$(BIN)/tocsin events --db tocsin.db
	$(BIN)/tocsin warnings drafts --db tocsin.db
	@if [ -n "$$TOCSIN_SOURCES" ] || [ -f sources.toml ]; then \
		echo "tocsin watch: following $${TOCSIN_SOURCES:-sources.toml} beside the API (Ctrl-C stops both)"; \
		$(BIN)/tocsin watch --db tocsin.db & watcher=$$!; \
		trap 'kill -TERM $$watcher 2>/dev/null; wait $$watcher; trap - EXIT' EXIT INT TERM; \
		$(BIN)/tocsin serve --db tocsin.db; \
	else \
		$(BIN)/tocsin serve --db tocsin.db; \
	fi

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
