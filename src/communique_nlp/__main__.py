"""`python -m communique_nlp ...`: the `communique` command, for environments without the
console script on PATH."""

from communique_nlp.cli import main

main()
