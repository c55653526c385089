"""Where digest-tui keeps the user's files: platformdirs locations, one function each."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "digest-tui"


def data_dir() -> Path:
    """`$XDG_DATA_HOME/digest-tui` on Linux: the library and reading lists."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def library_file() -> Path:
    return data_dir() / "library.toml"


def lists_dir() -> Path:
    """Default folder for saved reading lists."""
    return data_dir() / "lists"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def cache_dir() -> Path:
    """`$XDG_CACHE_HOME/digest-tui` on Linux: the parse cache."""
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))
