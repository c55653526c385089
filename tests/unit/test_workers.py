"""Worker threads give way to the thread that draws: a lower CPU priority for each worker thread
(once: pool threads are reused), the GIL handed over sooner while the reader runs."""

from __future__ import annotations

import os
import sys
import threading

import pytest
from support.app_support import demo_app, main_screen, started

from digest_tui import workers
from digest_tui.workers import SWITCH_INTERVAL, WORKER_NICE, give_way

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")


def _nice(tid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, tid)


def in_thread(*steps) -> list[int]:
    """The thread's nice value before and after each step, run in a fresh thread."""
    seen: list[int] = []

    def run() -> None:
        tid = threading.get_native_id()
        seen.append(_nice(tid))
        for step in steps:
            step()
            seen.append(_nice(tid))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return seen


@linux_only
def test_a_worker_thread_runs_below_the_ui_thread_and_is_lowered_once():
    start, first, second = in_thread(give_way, give_way)
    assert first == min(start + WORKER_NICE, 19)
    assert second == first  # a pool thread reused for the next worker is not lowered again


@linux_only
def test_the_thread_that_draws_keeps_its_priority():
    tid = threading.get_native_id()
    before = _nice(tid)
    give_way()
    assert _nice(tid) == before


async def test_the_reader_hands_the_gil_over_sooner_while_it_runs_and_restores_it_after(monkeypatch):
    lowered: list[str] = []
    real = workers.give_way
    monkeypatch.setattr("digest_tui.screens.digest_load.give_way", lambda: (lowered.append("load"), real()))
    monkeypatch.setattr("digest_tui.widgets.paper_list.give_way", lambda: (lowered.append("filter"), real()))
    before = sys.getswitchinterval()
    app = demo_app()
    async with started(app):
        assert sys.getswitchinterval() == min(SWITCH_INTERVAL, before)
        assert main_screen(app).shown > 0
    assert sys.getswitchinterval() == before
    assert "load" in lowered and "filter" in lowered  # the load's and the list's workers gave way
