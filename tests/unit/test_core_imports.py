"""The core package and the command line's headless paths must not pull in textual or rich at run time, nor the reader's first paint what only a dialog needs."""

from __future__ import annotations

import subprocess
import sys


def printed_by(code: str) -> str:
    """What `code` prints, run in a new interpreter (whose modules are only those it imports)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_core_imports_neither_textual_nor_rich():
    code = (
        "import importlib, pkgutil, sys\n"
        "import digest_tui.core as core\n"
        "names = [m.name for m in pkgutil.walk_packages(core.__path__, 'digest_tui.core.')]\n"
        "for name in names + ['digest_tui.cli']:\n"
        "    importlib.import_module(name)\n"
        "assert len(names) > 20, names\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))\n"
    )
    assert printed_by(code) == "[]"


def test_the_key_hints_of_the_first_paint_import_neither_the_exports_nor_fetching():
    # the detail pane and the filter bar name keys in the first frame: default_keys() reads the
    # bindings of every screen, and a screen's module must not pull in what only its use needs
    # (the exports, the ledger and, through it, fetching: ~40 ms of imports before the first paint)
    code = (
        "import sys\n"
        "from digest_tui.app import default_keys\n"
        "keys = default_keys()\n"
        "assert keys['detail.authors'] and keys['view.clear'], keys\n"
        "print(sorted(m for m in ('digest_tui.core.export', 'digest_tui.core.ledger', 'digest_tui.core.fetch') if m in sys.modules))\n"
    )
    assert printed_by(code) == "[]"
