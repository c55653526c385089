"""Shared fixtures: the seed digests in ../shared (skipped when absent) and a private home for user data."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DIGESTS = REPO.parent / "shared" / "digests"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def shared_digests() -> Path:
    """The real digest pages in ../shared/digests; the test is skipped when they are not there."""
    if not SHARED_DIGESTS.is_dir():
        pytest.skip(f"real digest pages not found at {SHARED_DIGESTS} (../shared is absent)")
    return SHARED_DIGESTS


@pytest.fixture
def fixtures() -> Path:
    """The project's own small digest fixtures (tests/fixtures)."""
    return FIXTURES


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch) -> Path:
    """Point every platformdirs location at a fresh tmp dir so no test touches the real home."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    return home
