# Needs only Python 3.11+: PostgreSQL and Redis are embedded unless CRM_DATABASE_URL /
# CRM_REDIS_URL name real servers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: venv run lint test migrate seed schema bench clean

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

test: lint
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

clean:
	rm -rf $(VENV) .crm-data
