"""Hostile config.toml files: any failure to read one is one reported line and the defaults; every
problem names its line, inline tables and arrays of tables included."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from digest_tui.core.config import Config, load_config, set_value


def config_at(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_500_nested_arrays_are_a_reported_problem_and_the_defaults_are_used(tmp_path):
    path = config_at(tmp_path, 'sort = "score"\nlanguage = ' + "[" * 500 + "]" * 500 + "\n")
    config, problems = load_config(path)
    assert config == Config()
    assert problems == [f"{path}: not valid TOML: nested too deeply; using the defaults"]
    with pytest.raises(ValueError, match="nested too deeply"):  # the app reports a ValueError from a write
        set_value(path, "theme", "nord")


def test_the_reader_starts_with_such_a_config_and_says_why(tmp_path, monkeypatch):
    config_dir = tmp_path / "xdg-config"
    (config_dir / "digest-tui").mkdir(parents=True)
    (config_dir / "digest-tui" / "config.toml").write_text("a = " + "{b = " * 400 + "1" + "}" * 400 + "\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_dir))
    from digest_tui.cli import reader_app

    app = reader_app(["--demo", "--no-watch"])
    assert [problem.split(": ", 1)[1] for problem in app.config_problems] == [
        "not valid TOML: nested too deeply; using the defaults"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('sort = "date"\nsearches = {a = 1}\n', "line 2: searches.a: expected a non-empty string (got 1)"),
        ('keymap = {"paper.star" = "f", a = 1}\n', "line 1: keymap.a: expected a non-empty string (got 1)"),
        ('sort = "date"\n\n[[searches]]\nname = "x"\n',
         "line 3: searches: expected a [searches] table (got [{'name': 'x'}])"),
        ('[keymap]\n"paper.star" = "f"\n[[keymap]]\n', "not valid TOML: Cannot overwrite a value (at line 3, column 9)"),
        ('searches.a = 1\n', "line 1: searches.a: expected a non-empty string (got 1)"),
        ('theme = "nord"\n[searches.a]\nb = 1\n', "line 2: searches.a: expected a non-empty string (got {'b': 1})"),
        ('language = [' + ", ".join(['"xx"'] * 100) + ']\n',
         "line 1: language: expected en or zh (got ['xx', 'xx', 'xx', 'xx', 'xx', 'xx', 'xx', 'xx', 'xx', 'xx'…)"),
        ('"\\u001b]2;pwned\\u0007" = 1\n', "␛]2;pwned␇: unknown setting"),
    ],
)
def test_problems_name_their_line_inline_tables_and_arrays_of_tables_too(tmp_path, text, expected):
    path = config_at(tmp_path, text)
    _config, problems = load_config(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: {expected}"), problems[0]
    assert "\x1b" not in problems[0]


@pytest.mark.parametrize("make", ["fifo", "folder", "huge", "not-utf8"])
def test_a_config_that_cannot_be_read_is_reported_never_waited_on(tmp_path, make):
    path = tmp_path / "config.toml"
    if make == "fifo":
        os.mkfifo(path)
    elif make == "folder":
        path.mkdir()
    elif make == "huge":
        path.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    else:
        path.write_bytes(b'theme = "\xff"\n')
    config, problems = load_config(path)  # a FIFO is refused without blocking on it
    assert config == Config()
    assert len(problems) == 1 and problems[0].startswith(f"{path}: ") and problems[0].endswith("; using the defaults")


def test_dump_is_not_affected_and_the_reader_command_prints_no_traceback(tmp_path):
    """`digest-tui --version` reads no config; the reader's set-up is checked above. Here the
    whole start-up path up to the app, in a fresh process: no traceback on stderr."""
    config_dir = tmp_path / "xdg-config"
    (config_dir / "digest-tui").mkdir(parents=True)
    (config_dir / "digest-tui" / "config.toml").write_text("x = " + "[" * 600 + "]" * 600 + "\n")
    env = {**os.environ, "XDG_CONFIG_HOME": str(config_dir)}
    code = "from digest_tui.cli import reader_app; app = reader_app(['--demo', '--no-watch']); print(app.config_problems)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "nested too deeply; using the defaults" in run.stdout
