"""The core (model, parsers, store, query, library, export, loader) must not pull in textual or rich."""

from __future__ import annotations

import subprocess
import sys

CORE = ["model", "parsers", "store", "query", "library", "export", "loader", "cache", "config", "paths", "sanitize", "cli",
        "facets", "watch"]


def test_core_imports_neither_textual_nor_rich():
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module('digest_tui.' + name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
