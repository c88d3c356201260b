# Needs only Python 3.11+: PostgreSQL and Redis are embedded unless CRM_DATABASE_URL /
# CRM_REDIS_URL name real servers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: venv run lint test migrate seed schema bench clean clients clients-check clients-test widget e2e-widget \
	ui ui-check ui-test e2e e2e-web screenshots

venv: $(VENV)/installed

$(VENV):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "crm-graph needs Python 3.11+; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# A stamp, so the venv is reinstalled whenever pyproject.toml changes.
$(VENV)/installed: pyproject.toml | $(VENV)
	$(BIN)/pip install -e '.[dev]'
	touch $@

run: venv
	CRM_DEV_LOGIN=true CRM_LOG_JSON=$${CRM_LOG_JSON:-false} $(BIN)/crm-graph run

# The checks CI runs before the tests: lint errors, formatting, types.
LINT_PATHS := src tests bench migrations examples

lint: venv
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy

# pytest; then that the committed bundles and generated clients match their sources;
# the frontends' unit tests; the browser tests against a real server.
test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(MAKE) ui-check clients-check ui-test clients-test e2e

# Node.js is needed only to change the screens: the built bundles are committed.
WEB := clients/web
NPM_CI = test -d $(1)/node_modules || (cd $(1) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)

ui: widget
	$(call NPM_CI,$(WEB))
	cd $(WEB) && npm run build

# Fails when the committed bundles (or generated types) differ from what their sources build.
ui-check: ui
	git diff --exit-code -- src/crm_graph/static $(WEB)/src/gql
	test -z "$$(git status --porcelain --untracked-files=all -- src/crm_graph/static $(WEB)/src/gql)"

ui-test:
	$(call NPM_CI,$(WEB))
	cd $(WEB) && npx vitest run

# Browser tests: the system Chromium (/usr/bin/chromium), a crm-graph started per run
# on a free port with demo data (embedded services, or a fresh database on CRM_DATABASE_URL).
E2E_TARGETS := e2e-web e2e-widget
e2e: $(E2E_TARGETS)

e2e-web: venv
	$(call NPM_CI,$(WEB))
	cd $(WEB) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CRM_PYTHON=$(abspath $(BIN))/python npx playwright test

# The README's pictures (docs/screenshots/), taken by the browser tests.
screenshots: venv
	$(call NPM_CI,$(WEB))
	cd $(WEB) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CRM_PYTHON=$(abspath $(BIN))/python E2E_SCREENSHOTS=1 \
		npx playwright test e2e/board.spec.ts e2e/customer.spec.ts e2e/graph.spec.ts

migrate: venv
	$(BIN)/crm-graph migrate

seed: venv
	$(BIN)/crm-graph seed --demo

# Written through a temporary file so a failed export leaves schema.graphql intact.
schema: venv
	$(BIN)/crm-graph export-schema > schema.graphql.tmp || { rm -f schema.graphql.tmp; exit 1; }
	mv schema.graphql.tmp schema.graphql

bench: venv
	$(BIN)/python bench/run.py

# --- Clients (clients/): generated from schema.graphql; Node.js only for TypeScript.
TS_CLIENT := clients/typescript
PY_CLIENT := clients/python
CODEGEN_VENV := $(PY_CLIENT)/.codegen-venv

# ariadne-codegen in its own environment: it pins graphql-core<3.3, the server runs 3.3.
$(CODEGEN_VENV)/installed: $(PY_CLIENT)/codegen-requirements.txt
	$(PYTHON) -m venv $(CODEGEN_VENV)
	$(CODEGEN_VENV)/bin/pip install -r $(PY_CLIENT)/codegen-requirements.txt
	touch $@

$(TS_CLIENT)/node_modules/.package-lock.json: $(TS_CLIENT)/package-lock.json
	cd $(TS_CLIENT) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund

# Regenerate both clients after changing schema.graphql or an operation.
clients: $(CODEGEN_VENV)/installed $(TS_CLIENT)/node_modules/.package-lock.json
	cd $(PY_CLIENT) && .codegen-venv/bin/ariadne-codegen
	cd $(TS_CLIENT) && npm run --silent codegen

# Fails when a committed client is stale against schema.graphql or its operations.
clients-check: $(CODEGEN_VENV)/installed $(TS_CLIENT)/node_modules/.package-lock.json
	cd $(TS_CLIENT) && npx graphql-codegen --config codegen.ts --check
	cd $(PY_CLIENT) && .codegen-venv/bin/ariadne-codegen
	@git diff --exit-code --stat -- $(PY_CLIENT)/src \
		&& test -z "$$(git ls-files --others --exclude-standard -- $(PY_CLIENT)/src)" \
		|| { echo "clients/python is stale: run make clients and commit" >&2; exit 1; }

# The TypeScript client's tests (each run starts a real server; the Python client's
# tests are in tests/clients, part of make test).
clients-test: venv $(TS_CLIENT)/node_modules/.package-lock.json
	cd $(TS_CLIENT) && npx tsc -p tsconfig.json --noEmit && npm test

# --- The embeddable widget: built into src/crm_graph/static/widget/ (committed, served at /widget).
WIDGET := clients/widget

$(WIDGET)/node_modules/.package-lock.json: $(WIDGET)/package-lock.json
	cd $(WIDGET) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund

widget: $(WIDGET)/node_modules/.package-lock.json
	cd $(WIDGET) && npx tsc --noEmit && npm run --silent build

# The widget in Chromium (/usr/bin/chromium; CHROMIUM=... for another) on a portal of a
# second origin, against a real server (clients/live_server.py).
e2e-widget: venv $(WIDGET)/node_modules/.package-lock.json
	cd $(WIDGET) && npm run --silent e2e

clean:
	rm -rf $(VENV) .crm-data $(CODEGEN_VENV)
