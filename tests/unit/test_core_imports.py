"""The core package and the command line's headless paths must not pull in textual or rich at run time."""

from __future__ import annotations

import subprocess
import sys


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
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
