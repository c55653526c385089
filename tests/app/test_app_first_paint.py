"""The first papers of a load are in the first frame the reader draws: the screen, once mounted,
waits a moment for the load's first file and shows its rows itself, rather than drawing
"Loading digests…" and the rows a frame later."""

from __future__ import annotations

import pytest
from support.app_support import DEMO_PAPERS, demo_app, main_screen, started, status_text

from digest_tui.screens.main import MainScreen


@pytest.fixture
def rows_when_mounted(monkeypatch) -> list[int]:
    """How many rows the list showed as on_mount returned, and as the load's first report came."""
    seen: list[int] = []
    mounted, read = MainScreen.on_mount, MainScreen.on_digests_read

    def on_mount(self) -> None:
        mounted(self)
        seen.append(len(self.paper_list.rows))

    def on_digests_read(self, message) -> None:
        seen.append(len(self.paper_list.rows))
        read(self, message)

    monkeypatch.setattr(MainScreen, "on_mount", on_mount)
    monkeypatch.setattr(MainScreen, "on_digests_read", on_digests_read)
    return seen


async def test_the_first_file_s_papers_are_shown_by_the_time_the_screen_is_mounted(rows_when_mounted):
    app = demo_app()
    async with started(app):
        assert rows_when_mounted[0] > 0, "no rows as the screen was mounted: the first frame would show none"
        assert rows_when_mounted[1] == rows_when_mounted[0]  # nothing was waiting for the load's report
        assert len(main_screen(app).paper_list.rows) == DEMO_PAPERS  # and the rest came as before
        assert f"{DEMO_PAPERS} papers" in status_text(app)


async def test_an_empty_folder_mounts_without_waiting_for_papers(tmp_path, rows_when_mounted):
    from digest_tui.app import DigestApp

    app = DigestApp([str(tmp_path)], mark_read_after=0)
    async with started(app):
        assert rows_when_mounted == [0]  # no report of files read: there were none
        assert "No papers could be read." in main_screen(app).paper_list.empty_text
