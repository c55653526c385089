"""config.toml: defaults, every key, bad values reported with key and line, and edits that keep comments."""

from __future__ import annotations

import tomllib

from digest_tui.core.config import Config, load_config, set_value


def test_missing_file_gives_defaults(tmp_path):
    config, problems = load_config(tmp_path / "config.toml")
    assert config == Config()
    assert problems == []
    assert (config.language, config.sort, config.theme, config.mark_read_after) == ("en", "date", "textual-dark", 2.0)


def test_every_key_is_read(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        'folders = ["~/digests", "/data/papers"]\nlanguage = "both"\nsort = "score"\ntheme = "nord"\n'
        'mark_read_after = 0\n\n[searches]\n"new MoE" = "moe is:unread"\nmine = "tag:mine"\n\n'
        '[keymap]\n"paper.star" = "f"\n',
        encoding="utf-8",
    )
    config, problems = load_config(path)
    assert problems == []
    assert config.folders == ["~/digests", "/data/papers"]
    assert config.folder_paths()[0].is_absolute()
    assert (config.language, config.sort, config.theme, config.mark_read_after) == ("en", "score", "nord", 0.0)
    assert config.side_by_side  # "both": side by side, as older versions wrote it
    assert list(config.searches.items()) == [("new MoE", "moe is:unread"), ("mine", "tag:mine")]
    assert config.keymap == {"paper.star": "f"}


def test_bad_values_name_the_key_and_line_and_the_rest_still_apply(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '# my settings\nlanguage = "fr"\nsort = "score"\nmark_read_after = "soon"\ncolour = "red"\n\n'
        '[searches]\nempty = ""\ngood = "cat:cs.CL"\n',
        encoding="utf-8",
    )
    config, problems = load_config(path)
    assert config.language == "en" and config.sort == "score" and config.mark_read_after == 2.0
    assert config.searches == {"good": "cat:cs.CL"}
    assert f"{path}: line 5: colour: unknown setting" in problems[0]
    assert f"{path}: line 2: language: expected en or zh (got 'fr'); using the default" in problems
    assert f"{path}: line 4: mark_read_after: expected a number of seconds from 0 to 3600 (got 'soon'); using the default" in problems
    assert f"{path}: line 8: searches.empty: expected a non-empty string (got ''); using the default" in problems


def test_broken_toml_is_reported_with_its_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('language = "zh"\nfolders = ["a",\nsort = "title"\n', encoding="utf-8")
    config, problems = load_config(path)
    assert config == Config()
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: not valid TOML: ") and "line 3" in problems[0]


def test_set_value_keeps_comments_and_layout(tmp_path):
    path = tmp_path / "config.toml"
    original = '# Mine\ntheme = "nord"  # dark\n\n[searches]\n# daily\nmoe = "moe"\n\n[keymap]\n"paper.star" = "f"\n'
    path.write_text(original, encoding="utf-8")
    set_value(path, "theme", "dracula")
    set_value(path, "agents today", 'agent* date>=2026-06-01 "tool use"', table="searches")
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# Mine\ntheme = "dracula"\n\n[searches]\n# daily\nmoe = "moe"\n"agents today" = ')
    document = tomllib.loads(text)
    assert document["searches"]["agents today"] == 'agent* date>=2026-06-01 "tool use"'
    assert document["keymap"] == {"paper.star": "f"}


def test_set_value_creates_file_and_table(tmp_path):
    path = tmp_path / "new" / "config.toml"
    set_value(path, "new", "is:unread", table="searches")
    set_value(path, "theme", "nord")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"theme": "nord", "searches": {"new": "is:unread"}}


def test_the_fetch_table_its_defaults_and_the_url_variables(tmp_path):
    from digest_tui.core.config import FetchSettings

    path = tmp_path / "config.toml"
    config, problems = load_config(path, environ={})
    assert config.fetch == FetchSettings(["cs.CL", "cs.LG"], True, "https://rss.arxiv.org/rss/",
                                         "https://huggingface.co/api/daily_papers")
    path.write_text('[fetch]\narxiv = ["hep-th", "astro-ph.CO", "hep-th"]\nhf = false\narxiv_url = "http://mirror.example/rss/"\n')
    config, problems = load_config(path, environ={"DIGEST_TUI_HF_URL": "http://127.0.0.1:8000/api/daily_papers"})
    assert problems == []
    assert config.fetch == FetchSettings(["hep-th", "astro-ph.CO"], False, "http://mirror.example/rss/",
                                         "http://127.0.0.1:8000/api/daily_papers")
    config, _ = load_config(path, environ={"DIGEST_TUI_ARXIV_URL": "http://127.0.0.1:9/rss/"})
    assert config.fetch.arxiv_url == "http://127.0.0.1:9/rss/"


def test_bad_fetch_values_are_named_and_defaulted(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[fetch]\narxiv = ["cs.CL", "cs CL"]\nhf = "yes"\nhf_url = "ftp://x"\nproxy = "p"\n')
    config, problems = load_config(path, environ={"DIGEST_TUI_ARXIV_URL": "rss.arxiv.org"})
    assert config.fetch.arxiv == ["cs.CL", "cs.LG"] and config.fetch.hf is True
    assert config.fetch.hf_url == "https://huggingface.co/api/daily_papers"
    assert config.fetch.arxiv_url == "https://rss.arxiv.org/rss/"
    assert problems == [
        f"{path}: line 5: fetch.proxy: unknown setting (known: arxiv, hf, arxiv_url, hf_url); ignored",
        f"{path}: line 2: fetch.arxiv: expected a list of arXiv categories such as [\"cs.CL\", \"hep-th\"] "
        "(got ['cs.CL', 'cs CL']); using the default",
        f"{path}: line 3: fetch.hf: expected true or false (got 'yes'); using the default",
        f"{path}: line 4: fetch.hf_url: expected an http:// or https:// URL (got 'ftp://x'); using the default",
        "$DIGEST_TUI_ARXIV_URL: expected an http:// or https:// URL (got 'rss.arxiv.org'); ignored",
    ]


def test_the_settings_the_reader_remembers_are_read_and_checked(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('language = "zh"\nside_by_side = true\nsort = "upvotes"\npane_split = 45\n', encoding="utf-8")
    config, problems = load_config(path)
    assert problems == []
    assert (config.language, config.side_by_side, config.sort, config.pane_split) == ("zh", True, "upvotes", 45)
    path.write_text('side_by_side = "yes"\npane_split = 95\n', encoding="utf-8")
    config, problems = load_config(path)
    assert (config.side_by_side, config.pane_split) == (False, 60)
    assert problems == [
        f"{path}: line 1: side_by_side: expected true or false (got 'yes'); using the default",
        f"{path}: line 2: pane_split: expected a whole percentage from 25 to 75 (got 95); using the default",
    ]


def test_set_value_writes_booleans_and_numbers_as_toml(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# mine\nlanguage = "both"\n\n[searches]\nx = "y"\n', encoding="utf-8")
    set_value(path, "side_by_side", True)
    set_value(path, "pane_split", 40)
    set_value(path, "language", "zh")
    text = path.read_text(encoding="utf-8")
    assert text == '# mine\nlanguage = "zh"\nside_by_side = true\npane_split = 40\n\n[searches]\nx = "y"\n'
    config, problems = load_config(path)
    assert problems == [] and (config.language, config.side_by_side, config.pane_split) == ("zh", True, 40)
