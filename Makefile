# The two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INI ?= development.ini
# whole-suite branch coverage, report and threshold in pyproject.toml; a partial run
# (PYTEST_ARGS=tests/unit) sets COVERAGE= to skip it; last on the line, as --cov takes an
# optional value and would swallow a path after it
COVERAGE ?= --cov
# Debian packages the tests and tools use (browser, PDF checks, HSM, diagrams, load tests)
SYSTEM_PACKAGES := chromium poppler-utils softhsm2 opensc libnss3-tools fonts-dejavu-core graphviz wrk maven default-jdk-headless
SYSTEM_COMMANDS := chromium pdfsig softhsm2-util pkcs11-tool certutil dot wrk mvn java

.PHONY: run test install install-test assets locale translations system-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: setup.py $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: setup.py $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

assets: $(BIN)/python
	PYTHON=$(BIN)/python bash static/build.sh

locale: install
	$(BIN)/python portal/locale/compile.py

# regenerate portal.pot from the sources, merge it into every .po, compile; then lists what
# is left to translate (`portal/locale/update.py --check` only lists)
translations: install-test
	$(BIN)/python portal/locale/update.py

system-deps:
	@missing=""; for c in $(SYSTEM_COMMANDS); do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installo i pacchetti Debian mancanti (per:$$missing)"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	fi

var/Data.fs: | install
	mkdir -p var
	$(BIN)/portal-init $(INI)

run: install assets locale
	@[ -f var/Data.fs ] || (mkdir -p var && $(BIN)/portal-init $(INI))
	$(BIN)/portal-serve $(INI)

test: install-test assets system-deps locale
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS) $(COVERAGE); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "Errore: nessun test eseguito."; exit 1; fi; exit $$rc

bench: install-test system-deps
	$(BIN)/python bench/content.py

clean:
	rm -rf $(VENV) static/node_modules static/vendor
