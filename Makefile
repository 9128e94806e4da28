# Task runner. `make install` once, then `make demo`, `make test`, `make lint`, `make eval`, `make bench`.
PYTHON ?= python3
DEV := ../shared/eval/dev
SAMPLE := corpus/fcm-2026-communique-en.txt

.PHONY: install demo test lint eval bench models

install:
	$(PYTHON) -m pip install --quiet -e '.[dev]'

demo: install
	communique parse $(SAMPLE)

test: install
	$(PYTHON) -m pytest

lint:
	ruff check src tests models bench
	mypy src

eval:
	communique eval corpus
	@if [ -d $(DEV) ]; then communique eval $(DEV); else echo "($(DEV) not present: skipped)"; fi

bench:
	$(PYTHON) bench/run.py

# Rebuild models/lemmas/*.json from spacy-lookups-data after editing a lexicon.
models:
	$(PYTHON) models/build_lemmas.py
