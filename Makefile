# Needs only Python 3.11+: PostgreSQL and Redis are embedded unless CRM_DATABASE_URL /
# CRM_REDIS_URL name real servers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: venv run test migrate seed schema bench clean ui ui-check ui-test e2e e2e-web screenshots

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

# pytest, then the frontends' unit tests, then the browser tests against a real server.
test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(MAKE) ui-test e2e

# Node.js is needed only to change the screens: the built bundles are committed.
WEB := clients/web
NPM_CI = test -d $(1)/node_modules || (cd $(1) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)

ui:
	$(call NPM_CI,$(WEB))
	cd $(WEB) && npm run build
	if [ -f clients/widget/package.json ]; then $(call NPM_CI,clients/widget) && cd clients/widget && npm run build; fi

# Fails when the committed bundles (or generated types) differ from what their sources build.
ui-check: ui
	git diff --exit-code -- src/crm_graph/static $(WEB)/src/gql
	test -z "$$(git status --porcelain --untracked-files=all -- src/crm_graph/static $(WEB)/src/gql)"

ui-test:
	$(call NPM_CI,$(WEB))
	cd $(WEB) && npx vitest run

# Browser tests: the system Chromium (/usr/bin/chromium), a crm-graph started per run
# on a free port with demo data (embedded services, or a fresh database on CRM_DATABASE_URL).
E2E_TARGETS := e2e-web
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

clean:
	rm -rf $(VENV) .crm-data
