# grantflow: `make run` for a local demo, `make test` for lint + tests (SQLite, and PostgreSQL
# too when GRANTFLOW_TEST_DATABASE_URL is set; .ci/run sets it).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app

.PHONY: venv run test bench

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -e '.[dev]'
	touch $@

run: venv
	$(FLASK) db upgrade
	$(FLASK) grantflow setup-demo
	$(FLASK) grantflow serve

test: venv
	$(BIN)/ruff check app workflows tests
	$(BIN)/ruff format --check app workflows tests
	$(BIN)/mypy
	env -u GRANTFLOW_TEST_DATABASE_URL $(BIN)/python -m pytest --flow-coverage=100
ifdef GRANTFLOW_TEST_DATABASE_URL
	$(BIN)/python -m pytest --flow-coverage=100
endif

bench: venv
	$(BIN)/python -m workflows.bench
