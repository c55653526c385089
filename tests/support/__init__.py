"""Helpers the tests share: the reader under Pilot (app_support), BibTeX reading (bib_support), synthetic archives (archive), a local feed server (fetch_server)."""
