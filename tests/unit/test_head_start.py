"""The head start (loader.HeadStart): a forked copy of the process parses the first file into the
parse cache while the reader imports Textual; the load then reads it from the cache. Each case runs
in a fresh Python (the fork is refused in a process with threads, as pytest's may have)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from support.fresh_python import run_json

from digest_tui.core.loading.session import LoadSession
from digest_tui.core.paths import demo_dir

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the head start forks: Linux only")

RUN = """
import json, os, sys, time
from pathlib import Path
from digest_tui.core.loading import loader
from digest_tui.core.loading.cache import ParseCache
from digest_tui.core.loading.session import LoadSession

folder, cache_root, case = sys.argv[1:4]
cache = ParseCache(Path(cache_root))
out = {}
if case == "big":
    loader.HEAD_START_BYTES = 10
if case == "stuck":
    loader.HEAD_START_WAIT = 0.3
    loader._parse_first_file = lambda *_args: time.sleep(30)
if case == "session":
    session = LoadSession([folder], cache=cache).find_in_background()
    session.run()
    out["papers"] = [(paper.key, paper.title_en) for paper in session.store.papers]
    out["parsers"] = "digest_tui.core.parsers" in sys.modules
else:
    head = loader.HeadStart.start([folder], cache)
    out["started"] = head is not None
    began = time.monotonic()
    head.wait()
    out["waited"] = time.monotonic() - began
    out["pid_gone"] = not os.path.exists(f"/proc/{head._pid}")
    files, _ = loader.find_files([folder])
    out["cached"] = [cache.get(path, info) is not None for path, info in files]
    out["parsers"] = "digest_tui.core.parsers" in sys.modules
print(json.dumps(out))
"""


def run(folder: Path, cache: Path, case: str) -> dict:
    return run_json(RUN, folder, cache, case)


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "digests"
    shutil.copytree(demo_dir(), folder)
    return folder


def test_the_copy_writes_the_first_file_s_cache_entry_and_this_process_parses_nothing(folder, tmp_path):
    out = run(folder, tmp_path / "cache", "first")
    assert out["started"] and out["pid_gone"]  # and it was waited for (no zombie left)
    assert out["cached"][0] and not any(out["cached"][1:])
    assert not out["parsers"]  # the parse was the copy's


def test_a_first_file_over_the_limit_is_left_to_the_load(folder, tmp_path):
    out = run(folder, tmp_path / "cache", "big")
    assert out["started"] and not any(out["cached"])


def test_a_copy_that_does_not_end_is_stopped_after_the_wait(folder, tmp_path):
    out = run(folder, tmp_path / "cache", "stuck")
    assert out["started"] and out["pid_gone"] and not any(out["cached"])
    assert 0.25 <= out["waited"] < 10


def test_a_load_with_a_head_start_gives_the_papers_of_a_load_without(folder, tmp_path):
    out = run(folder, tmp_path / "cache", "session")
    plain = LoadSession([folder])
    plain.run()
    assert out["papers"] == [[paper.key, paper.title_en] for paper in plain.store.papers]
    assert len(out["papers"]) > 30
    assert out["parsers"]  # the other files were parsed here, as before
