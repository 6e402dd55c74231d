# kubelearn: `make lab` to study, `make test` to check everything.
# Needs only Python >= 3.10 and make; everything else goes into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-pyproject
# Jupyter refuses to run as root (containers, CI) unless told to.
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test notebooks bench clean

# (Re)install only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv --upgrade-deps $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

lab: $(STAMP)
	$(BIN)/jupyter lab $(AS_ROOT) --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/chapters

# Unit tests, then every exercise validated (its solution earns full marks, its
# start none, in the engine and in the notebooks; ~20 s), then notebooks: strict
# output comparison for chapters and solutions, lax (errors only) for exercises.
# tools/nbtest.py skips a folder only when it holds no notebook yet; any other
# pytest failure fails the target.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto
	$(BIN)/kubelearn validate --jobs 2
	$(BIN)/python tools/nbtest.py chapters solutions -- --nbval -p no:randomly
	$(BIN)/python tools/nbtest.py exercises -- --nbval-lax

# Re-run every notebook in place so nbval compares against fresh outputs.
notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py chapters exercises solutions

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
