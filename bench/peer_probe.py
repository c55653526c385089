"""Run with the peer's Python (arxiv-subscription-viewer installed): parse a listing file the way
`arxiv-viewer browse -i FILE` does and print, as JSON, the paper count, the title the peer lists
first (it sorts by title), its parse time and peak RSS. Usage: peer_probe.py LISTING"""

import json
import resource
import sys
import time
from pathlib import Path

from arxiv_browser.parsing import parse_arxiv_file

t0 = time.perf_counter()
papers = parse_arxiv_file(Path(sys.argv[1]))
papers.sort(key=lambda p: p.title.lower())  # as arxiv_browser.cli.main does before starting the app
seconds = time.perf_counter() - t0
try:
    from arxiv_browser.whats_new import WHATS_NEW_VERSION
except ImportError:
    WHATS_NEW_VERSION = ""
try:
    from importlib.metadata import version

    peer_version = version("arxiv-subscription-viewer")
    textual_version = version("textual")
except Exception:
    peer_version = textual_version = "?"
print(json.dumps({
    "papers": len(papers),
    "first_title": papers[0].title if papers else None,
    "parse_s": seconds,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "whats_new_version": WHATS_NEW_VERSION,
    "version": peer_version,
    "textual": textual_version,
    "python": sys.version.split()[0],
}))
