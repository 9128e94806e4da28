"""Applications built on the pipeline: batch runs, diffs, evaluation, the archive."""
