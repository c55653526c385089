"""Where digest-tui's files are: the user's (platformdirs locations) and the built-in demo digests, one function each."""

from __future__ import annotations

from importlib import resources
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


def demo_dir() -> Path:
    """The folder of built-in demo digests shipped with the package."""
    return Path(str(resources.files("digest_tui") / "demo"))
