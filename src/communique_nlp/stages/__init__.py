"""The pipeline stages, in order: ingest, normalise, language, segment, commitments, themes,
entities, serialise. Each is a plain function over the frozen `Document` of `model.py`."""
