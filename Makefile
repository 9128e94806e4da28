# Task runner. `make install` once, then `make demo`, `make test`, `make lint`, `make eval`, `make bench`.
PYTHON ?= python3
DEV := ../shared/eval/dev
SAMPLE := corpus/fcm-2026-communique-en.txt

.PHONY: install demo test lint eval bench models pairs

install:
	$(PYTHON) -m pip install --quiet -e '.[dev]'

demo: install
	communique parse $(SAMPLE)

test: install
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
