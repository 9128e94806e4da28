"""Recipe for models/learned/*.json: every learned component, fitted on the real training
documents (../shared/eval/train) and the project's corpus/ (``make models``).

The same data gives the same files, byte for byte (lbfgs from zero weights, rounded weights,
sorted keys). Usage: python models/train.py [--train DIR] [--corpus DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from communique_nlp.learn.data import labelled_docs
from communique_nlp.learn.train import train_all

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", type=Path, default=HERE.parent.parent / "shared/eval/train")
    parser.add_argument("--corpus", type=Path, default=HERE.parent / "corpus")
    parser.add_argument("--out", type=Path, default=HERE / "learned")
    args = parser.parse_args()
    if not args.train.is_dir():
        print(f"{args.train}: no such folder (the training documents are needed)",
              file=sys.stderr)
        return 2
    docs = labelled_docs([args.train, args.corpus])
    counts = train_all(docs, args.out)
    for name, count in counts.items():
        print(f"{name}: {count} examples -> {args.out / (name + '.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
