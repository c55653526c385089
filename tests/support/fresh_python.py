"""Run a script in a fresh Python (no thread of pytest's, so the head start may fork) and read the JSON it prints."""

from __future__ import annotations

import json
import subprocess
import sys


def run_json(script: str, *args: object) -> dict:
    """`python -c script args…`; what it printed on stdout, as JSON (it must end well)."""
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
