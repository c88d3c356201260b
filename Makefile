# Needs only Python 3.11+: PostgreSQL and Redis are embedded unless CRM_DATABASE_URL /
# CRM_REDIS_URL name real servers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: venv run test migrate seed schema bench clean clients clients-check clients-test widget widget-check e2e-widget

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

test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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

# Fails when the committed bundle does not match its sources.
widget-check: widget
	@git diff --exit-code --stat -- src/crm_graph/static/widget \
		&& test -z "$$(git ls-files --others --exclude-standard -- src/crm_graph/static/widget)" \
		|| { echo "src/crm_graph/static/widget is stale: run make widget and commit" >&2; exit 1; }

# The widget in Chromium (/usr/bin/chromium; CHROMIUM=... for another) on a portal of a
# second origin, against a real server (clients/live_server.py).
e2e-widget: venv $(WIDGET)/node_modules/.package-lock.json
	cd $(WIDGET) && npm run --silent e2e

clean:
	rm -rf $(VENV) .crm-data $(CODEGEN_VENV)
