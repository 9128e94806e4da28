"""The analyst's archive: extractions kept in one SQLite file, searched, exported, reported.

- ``store``: the schema (``communique-nlp-archive/1``), opening and migrating an archive;
- ``index``: documents, folders and extractions into the archive, and EN/FR pairs linked;
- ``search``: full text in both languages (through the glossary) with facet filters;
- ``export``: a table as CSV or Excel;
- ``report``: one self-contained HTML page of themes and commitments over time.

``search``, ``export`` and ``report`` read the archive only: they never load the NLP pipeline.
"""
