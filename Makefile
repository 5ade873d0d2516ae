# Quick start:  make demo   (set up, then check the bundled sample registers and report on them)
#               make test   (set up, then lint (ruff, mypy, the import layers) and run the test suite)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: demo test test-long test-office test-wheel lint setup clean samples

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/kuaidi check data/samples/villages.csv --outlets data/samples/outlets.csv
	@echo
	@echo '--- the same register as a county office sends it (GBK, title rows, 合计, mixed forms, 4 broken rows):'
	$(BIN)/kuaidi check data/samples/villages_messy.csv; test $$? -le 1
	@echo
	@echo '--- the coverage report of the samples at the end of 2021 (try also: .venv/bin/kuaidi report --samples --county 祥符区):'
	$(BIN)/kuaidi report --samples --as-of 2021-12-31

# worksteal: each worker starts on one contiguous half of the tests (a file's once-made reports are made in
# one worker), and a worker that runs out takes half of the other's queue (no long tail on one core)
test: lint
	$(BIN)/python -m pytest -q -n auto --dist worksteal

# style, strict types of the library (check_untyped_defs for the tests), and the import layers
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks fuzz scripts
	$(BIN)/mypy -p kuaidi_cli
	cd tests && ../$(BIN)/mypy --config-file= --python-version 3.11 --check-untyped-defs --ignore-missing-imports .
	$(BIN)/lint-imports

# kuaidi's CSVs as LibreOffice opens them (needs soffice: apt-get install -y libreoffice-calc-nogui)
test-office: $(STAMP)
	$(BIN)/python -m pytest -q -m office

# the wheel built, installed in a fresh venv outside the checkout, running report, export and template (CI)
test-wheel: $(STAMP)
	$(BIN)/python -m pytest -q -m wheel -p no:xdist

# the property tests with 20 times their examples, then ten minutes of fuzzing the loader (atheris)
test-long: $(STAMP)
	KUAIDI_LONG=1 $(BIN)/python -m pytest -q tests/test_properties.py tests/test_coverage_properties.py tests/test_validation.py tests/test_reference.py
	$(BIN)/python -m pip install --quiet --disable-pip-version-check atheris
	fuzz/run.sh 600

samples: $(STAMP)
	$(BIN)/python scripts/make_samples.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
