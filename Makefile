# grantflow: `make run` for a local demo, `make test` for lint + tests (SQLite, and PostgreSQL
# too when GRANTFLOW_TEST_DATABASE_URL is set; .ci/run sets it).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
# The browser tests drive Debian's Chromium; Playwright never downloads a browser here.
CHROMIUM := /usr/bin/chromium
# Browser assets from npm (the bpmn-js diagram viewer). `make test` needs them; `make run`
# installs them when npm is there and otherwise serves the pages without the diagram.
NODE_MODULES := $(if $(wildcard package.json),node_modules/.installed)
RUN_ASSETS := $(if $(shell command -v npm 2>/dev/null),$(NODE_MODULES))

.PHONY: venv run test bench bench-scale load fuzz chromium nginx letter-libs translations messages

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -e '.[dev]'
	touch $@

# The interface's fi and sv catalogs (app/translations/*/LC_MESSAGES/messages.po), compiled.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))
translations: $(CATALOGS)

app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d app/translations -l $* -i $<

# Refresh the catalogs after changing interface text: extract, then merge into fi and sv.
messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k lazy_gettext -k lazy_pgettext:1c,2 \
	  --no-location --sort-output \
	  -o app/translations/messages.pot app
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

node_modules/.installed: package.json
	npm install --no-audit --no-fund && touch $@

chromium:
	@test -x $(CHROMIUM) || { \
	  echo "error: $(CHROMIUM) is missing; the browser tests (tests/browser/) need it." >&2; \
	  echo "Install Debian's Chromium: sudo apt-get update && sudo apt-get install -y chromium" >&2; \
	  echo "(.ci/run does this when run as root; do not run 'playwright install')." >&2; \
	  exit 1; }

# The load test (`make load`, and its small version in the PostgreSQL pass of `make test`) puts
# Debian's nginx in front of gunicorn, as in production (deploy/nginx.conf).
nginx:
	@test -x /usr/sbin/nginx || { \
	  echo "error: /usr/sbin/nginx is missing; the load test (tests/load/, make load) needs it." >&2; \
	  echo "Install Debian's nginx: sudo apt-get update && sudo apt-get install -y nginx-light" >&2; \
	  echo "(.ci/run does this when run as root)." >&2; \
	  exit 1; }

# Decision letters are PDFs drawn by WeasyPrint, which needs Pango and a font from Debian.
PANGO := /usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0
LETTER_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
letter-libs:
	@test -e $(PANGO) -a -d /usr/share/fonts/truetype/dejavu || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(LETTER_PACKAGES); \
	  else \
	    echo "error: Pango or the DejaVu fonts are missing; decision letters (PDF) need them." >&2; \
	    echo "Install them: sudo apt-get install -y $(LETTER_PACKAGES)" >&2; \
	    exit 1; \
	  fi; }

run: venv translations letter-libs $(RUN_ASSETS)
	$(FLASK) db upgrade
	$(FLASK) grantflow setup-demo
	GRANTFLOW_HTTPS=false $(FLASK) grantflow serve

test: venv translations letter-libs $(NODE_MODULES) chromium nginx
	$(BIN)/ruff check app workflows tests load bench
	$(BIN)/ruff format --check app workflows tests load bench
	$(BIN)/mypy
	env -u GRANTFLOW_TEST_DATABASE_URL $(BIN)/python -m pytest --flow-coverage=100
ifdef GRANTFLOW_TEST_DATABASE_URL
	GRANTFLOW_BROWSER_TESTS_RAN="the SQLite pass" $(BIN)/python -m pytest --flow-coverage=100
endif

# The engine alone (workflows.bench), a task's send over HTTP through gunicorn with its SQL
# counted (bench.submission), the worker draining due timers (bench.timers), a case state's
# reading, writing and walking beside the libraries' own ways (bench.state_costs), the idea form's
# filling in, rendering and validation (bench.form_costs); on PostgreSQL too
# when GRANTFLOW_BENCH_DATABASE_URL names a scratch database (dropped and created). `make bench-scale` adds the cost of a page and a send
# as the call grows (BENCH_OPEN_CASES, default 200 and 20,000 open cases).
BENCH_OPEN_CASES ?= 200,20000
bench: venv translations
	$(BIN)/python -m workflows.bench
	$(BIN)/python -m bench.submission --json test-artifacts/bench/submission.json
	$(BIN)/python -m bench.timers --json test-artifacts/bench/timers.json
	$(BIN)/python -m bench.state_costs
	$(BIN)/python -m bench.form_costs

# The property-based fuzz of every form and query at full size (about 5,800 requests; `make test`
# runs a fifth of it): SQLite, and PostgreSQL when GRANTFLOW_TEST_DATABASE_URL is set.
fuzz: venv translations
	env -u GRANTFLOW_TEST_DATABASE_URL GRANTFLOW_FUZZ_SCALE=1 $(BIN)/python -m pytest -s tests/app/test_fuzz.py
ifdef GRANTFLOW_TEST_DATABASE_URL
	GRANTFLOW_FUZZ_SCALE=1 $(BIN)/python -m pytest -s tests/app/test_fuzz.py
endif

bench-scale: venv translations
	$(BIN)/python -m bench.scale --open-cases $(BENCH_OPEN_CASES) --json test-artifacts/bench/scale.json

# The rush at a deadline on PostgreSQL (GRANTFLOW_LOAD_DATABASE_URL, a scratch database it
# recreates; default grantflow_load on 127.0.0.1:5432): 1,000 senders in the last minute and
# 200 in the last two seconds, through nginx and gunicorn, with separate workers.
LOAD_DATABASE_URL ?= $(or $(GRANTFLOW_LOAD_DATABASE_URL),postgresql+psycopg://postgres@127.0.0.1:5432/grantflow_load)
load: venv translations nginx
	$(BIN)/python -m load.deadline_rush --database-url '$(LOAD_DATABASE_URL)' \
	  --json test-artifacts/load/deadline-rush.json
