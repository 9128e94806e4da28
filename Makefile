# Task runner: `make demo`, `make test`, `make lint`, `make eval`, `make bench`.
PYTHON ?= python3
DEV := ../shared/eval/dev
SAMPLE := corpus/fcm-2026-communique-en.txt
# Installed once per Python environment (a new virtual environment gets its own stamp) and
# again when pyproject.toml changes; `make install` forces it.
STAMP := .installed-$(shell $(PYTHON) -c "import hashlib, sys; print(hashlib.sha1(sys.prefix.encode()).hexdigest()[:12])")

.PHONY: install demo test lint eval bench models pairs

$(STAMP): pyproject.toml
	$(PYTHON) -m pip install --quiet -e '.[dev]'
	@touch $@

install:
	@rm -f $(STAMP)
	@$(MAKE) --no-print-directory $(STAMP)

demo: $(STAMP)
	communique parse $(SAMPLE)

test: $(STAMP)
	$(PYTHON) -m pytest

lint:
	ruff check src tests models bench
	mypy src

TRAIN := ../shared/eval/train

# The project's quality figure first: grouped cross-validation on the real training documents
# (one collection held out at a time); then dev, a check never trained on; then corpus/.
eval:
	@if [ -d $(TRAIN) ]; then communique eval $(TRAIN) --cv --also corpus; else echo "($(TRAIN) not present: skipped)"; fi
	@if [ -d $(DEV) ]; then communique eval $(DEV); else echo "($(DEV) not present: skipped)"; fi
	communique eval corpus

bench:
	$(PYTHON) bench/run.py

# EN/FR pairs of $(TRAIN): same themes, commitments matched by the diff (bench/pairs.py)
pairs:
	$(PYTHON) bench/pairs.py $(TRAIN)

# Rebuild models/lemmas/*.json from spacy-lookups-data, and the learned models
# (models/learned/*.json) from $(TRAIN) and corpus/.
models:
	$(PYTHON) models/build_lemmas.py
	$(PYTHON) models/train.py
