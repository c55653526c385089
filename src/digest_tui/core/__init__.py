"""The core of digest-tui: everything that is not Textual (model, parsers, loading, store, query, library, exports)."""
