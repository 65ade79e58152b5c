# Every target sets up what it needs: a virtualenv in .venv with the locked,
# hash-checked dependencies, then the local packages without their deps.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLIENTS := $(wildcard generated_client/*/pyproject.toml)
# The stamp is named after the content of what the environment is built from (the lock, the clients' pyproject.toml
# files and their paths), not their mtimes: a checkout, a merge or `make generate` rewriting the same bytes does
# not reinstall; changed bytes do.
DEPS_HASH := $(shell { echo $(CLIENTS); cat requirements.lock $(CLIENTS); } 2>/dev/null | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(DEPS_HASH)
# Node tools (Redoc, Redocly CLI, Prism) from package-lock.json via npm ci, re-run when it changes.
NODE_STAMP := node_modules/.installed

.PHONY: setup generate check-generated lint-spec breaking test bench serve fuzz fuzz-deep lock clean docs docs-lint

setup: $(STAMP)

$(STAMP):
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	for p in $(dir $(CLIENTS)); do $(PY) -m pip install --quiet --no-deps --no-build-isolation -e $$p || exit 1; done
	rm -f $(VENV)/.installed $(VENV)/.installed-*
	touch $(STAMP)

## Validate and lint the specs, then regenerate the client packages.
## A spec that passed its checks and the compiled templates are remembered in .cache/generator (GENERATOR_CACHE=0: off).
generate: $(STAMP)
	$(PY) -m generator

## Regenerate into a temporary folder and fail on any difference.
check-generated: $(STAMP)
	$(PY) -m generator --check

lint-spec: $(STAMP)
	$(PY) -m generator --lint-only

## Compare every spec with its last released copy in openapi/released/ (rules: spec_tools/breaking.py).
breaking: $(STAMP)
	$(PY) -m generator.breaking

## pytest runs across the cores (pytest-xdist; PYTEST_WORKERS=0: one process). loadgroup: any free worker
## takes the next test, except tests marked xdist_group, which share one worker (tests/docs builds once).
## The golden-record test generates once: `generator --check` beside it compares a first generation.
PYTEST_WORKERS ?= auto
## The fuzz tests run in the same pass (every operation its own test id: tests/node_ids.py).
## Its wall time goes to reports/make-test.json (benchmarks/test_run_time.py), which `make bench` prints.
## The stale-client and breaking-change checks run beside pytest's start (each fails the target).
test: $(STAMP)
	@$(PY) -m benchmarks.test_run_time start
	@{ $(PY) -m generator --check && $(PY) -m generator.breaking; } & checks=$$!; \
	GENERATED_TREE_CHECKED=1 $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup; tests=$$?; \
	wait $$checks || { echo "make test: the generated-client or breaking-change check failed" >&2; exit 1; }; \
	exit $$tests
	@$(PY) -m benchmarks.test_run_time finish

## The server section drives each server with wrk from its own process (installed from Debian when
## missing) and runs Prism from package-lock.json beside it; figures also in reports/bench-server.json.
bench: $(STAMP) $(NODE_STAMP)
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(PY) -m benchmarks

serve: $(STAMP)
	$(PY) -m reference_server --host 127.0.0.1 --port 8080

fuzz: $(STAMP)
	$(PY) -m reference_server.fuzz_cli

## API reference: one offline HTML page per spec and one per curation registry, in $(DOCS_OUT)/.
## Node tools (Redoc, Redocly CLI) come from package-lock.json via npm ci, re-run when it changes.
DOCS_OUT ?= docs/build

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

docs: $(STAMP) $(NODE_STAMP)
	$(PY) -m docs.build --out $(DOCS_OUT)

## Redocly lint of every spec (redocly.yaml) plus docs/build.py's required-names check.
docs-lint: $(STAMP) $(NODE_STAMP)
	$(PY) -m docs.build --lint

## The in-process fuzz tests (stateless, stateful, hostile) with FUZZ_MULTIPLIER times the counts of
## `make test` and a fresh random seed, printed first and kept in reports/fuzz-deep-seed.txt.
## Replay a finding with `make fuzz-deep SEED=<n>`. Known-defect xfail markers do not apply here.
SEED ?=
FUZZ_MULTIPLIER ?= 8
fuzz-deep: $(STAMP)
	@mkdir -p reports
	@seed="$(SEED)"; \
	if [ -z "$$seed" ]; then seed=$$($(PY) -c 'import secrets; print(secrets.randbelow(2**31))'); fi; \
	echo "fuzz-deep: seed $$seed, counts x$(FUZZ_MULTIPLIER) (replay: make fuzz-deep SEED=$$seed)"; \
	echo "$$seed" > reports/fuzz-deep-seed.txt; \
	FUZZ_SEED=$$seed FUZZ_MULTIPLIER=$(FUZZ_MULTIPLIER) FUZZ_STATS=reports/fuzz-deep-stats.json \
		$(PY) -m pytest tests/fuzz --runxfail -p no:logging

## Re-resolve the lock file (needs the package index).
lock:
	$(PYTHON) -m venv .lockenv && .lockenv/bin/pip install --quiet uv
	.lockenv/bin/uv pip compile requirements.in -o requirements.lock --generate-hashes --python-version 3.11 --no-header
	rm -rf .lockenv

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .hypothesis
