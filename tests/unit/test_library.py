"""The library: marks in memory, the TOML file round trip, and what happens to bad files."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest_tui.core import files as atomic, paths
from digest_tui.core.files import atomic_write
from digest_tui.core.library import LIBRARY_VERSION, Library, LibraryError, clean_tag
from digest_tui.core.model import Mark
from digest_tui.core.model import make_paper

REGMIX = make_paper(
    id="2606.18663",
    title_en="RegMix-D: Dynamic Data Mixing via Proxy Training Trajectories",
    title_zh="RegMix-D: 通过代理训练轨迹实现动态数据混合",
    authors=("Kaiyan Zhao", "Zhongtao Miao"),
    date="2026-06-18",
    categories=("cs.CL", "cs.LG"),
    score=90,
    abstract_en="Data mixture selection is critical.",
)
MOE = make_paper(id="2606.19036", title_en="Discontinuities in Sparse Mixture-of-Experts", date="2026-06-18")
HF_ONLY = make_paper(title_en="A Paper Seen Only On Hugging Face", upvotes=12)


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "library.toml"


def reload(library: Library) -> Library:
    library.save()
    return Library.load(library.path)


def test_missing_file_is_an_empty_library(library_path):
    library = Library.load(library_path)
    assert library.notice is None and not library.read_only
    assert library.mark("2606.18663") == Mark()
    assert library.tags() == [] and library.starred_keys() == []


def test_default_path_is_in_the_private_data_dir(private_home):
    library = Library.load()
    assert library.path == paths.library_file()
    assert str(library.path).startswith(str(private_home))
    library.toggle_starred(REGMIX)
    library.save()
    assert paths.library_file().is_file()


def test_star_survives_save_and_load(library_path):
    library = Library(library_path)
    assert library.toggle_starred(REGMIX) is True
    assert library.changed
    loaded = reload(library)
    assert not library.changed
    assert loaded.mark(REGMIX.key).starred
    assert loaded.starred_keys() == [REGMIX.key]
    assert loaded.notice is None


def test_unstar_twice_toggle_returns_state(library_path):
    library = Library(library_path)
    assert library.toggle_starred(MOE) is True
    assert library.toggle_starred(MOE) is False
    assert library.mark(MOE.key) == Mark()
    assert library.kept_keys() == []


def test_note_with_newlines_quotes_and_backslashes_round_trips(library_path):
    library = Library(library_path)
    note = 'First "line" with \'quotes\' and a \\ backslash\n\n  indented\ttab\nlast: """triple"""'
    library.set_note(REGMIX, note)
    loaded = reload(library)
    assert loaded.mark(REGMIX.key).note == note


def test_note_line_ends_are_normalised_and_blank_note_removes_it(library_path):
    library = Library(library_path)
    library.set_note(REGMIX, "a\r\nb\rc\n")
    assert library.mark(REGMIX.key).note == "a\nb\nc"
    library.set_note(REGMIX, "   \n ")
    assert library.mark(REGMIX.key) == Mark()
    assert REGMIX.key not in library.kept_keys()


def test_tags_keep_creation_order_across_save_and_load(library_path):
    library = Library(library_path)
    library.add_tag(REGMIX, "to-read")
    library.add_tag(MOE, "moe")
    library.add_tag(REGMIX, "data")
    library.add_tag(HF_ONLY, "moe")
    assert library.tags() == ["to-read", "moe", "data"]
    loaded = reload(library)
    assert loaded.tags() == ["to-read", "moe", "data"]
    assert loaded.tag_counts() == {"to-read": 1, "moe": 2, "data": 1}
    assert loaded.mark(REGMIX.key).tags == ("to-read", "data")
    assert set(loaded.keys_with_tag("MOE")) == {MOE.key, HF_ONLY.key}


def test_tags_are_case_insensitive_and_keep_the_first_spelling(library_path):
    library = Library(library_path)
    library.add_tag(REGMIX, "MoE")
    library.add_tag(MOE, "moe")
    library.add_tag(MOE, "MOE")  # already there
    assert library.mark(MOE.key).tags == ("MoE",)
    assert library.tags() == ["MoE"]
    assert library.toggle_tag(MOE, "moe") is False
    assert library.toggle_tag(MOE, "moe") is True
    assert library.mark(MOE.key).tags == ("MoE",)


def test_unused_tag_leaves_tags_but_keeps_its_place_this_session(library_path):
    library = Library(library_path)
    library.add_tag(REGMIX, "first")
    library.add_tag(REGMIX, "second")
    library.remove_tag(REGMIX, "first")
    assert library.tags() == ["second"]
    library.add_tag(MOE, "first")
    assert library.tags() == ["first", "second"]
    library.remove_tag(MOE, "first")
    loaded = reload(library)
    assert loaded.tags() == ["second"]
    assert "first" not in library_path.read_text(encoding="utf-8")


def test_tag_whitespace_becomes_dashes_and_empty_tag_is_refused():
    assert clean_tag("  mixture of   experts ") == "mixture-of-experts"
    library = Library()
    assert library.toggle_tag(REGMIX, "mixture of experts") is True
    assert library.toggle_tag(REGMIX, " mixture-of-experts") is False
    with pytest.raises(LibraryError):
        clean_tag("   ")
    with pytest.raises(LibraryError):
        Library().add_tag(REGMIX, "")


def test_read_only_marks_are_stored_compactly(library_path):
    library = Library(library_path)
    for number in range(50):
        library.set_read(make_paper(id=f"2601.{number:05d}"), True)
    library.set_read(REGMIX, True)
    library.toggle_starred(REGMIX)
    library.save()
    document = tomllib.loads(library_path.read_text(encoding="utf-8"))
    assert document["version"] == LIBRARY_VERSION
    assert document["read"] == [f"2601.{number:05d}" for number in range(50)]
    assert list(document["papers"]) == [REGMIX.key]  # read-only papers get no table
    assert document["papers"][REGMIX.key]["read"] is True
    loaded = Library.load(library_path)
    assert loaded.mark("2601.00007") == Mark(read=True)
    assert loaded.mark(REGMIX.key) == Mark(starred=True, read=True)


def test_unread_removes_the_mark(library_path):
    library = Library(library_path)
    assert library.toggle_read(MOE) is True
    assert library.toggle_read(MOE) is False
    loaded = reload(library)
    assert loaded.mark(MOE.key) == Mark()
    assert tomllib.loads(library_path.read_text(encoding="utf-8"))["read"] == []


def test_unstarring_keeps_the_read_mark_and_drops_the_snapshot(library_path):
    library = Library(library_path)
    library.set_read(REGMIX, True)
    library.set_starred(REGMIX, True)
    library.set_starred(REGMIX, False)
    assert library.paper(REGMIX.key) is None
    loaded = reload(library)
    assert loaded.mark(REGMIX.key) == Mark(read=True)
    assert "papers" not in tomllib.loads(library_path.read_text(encoding="utf-8"))


def test_keys_with_dots_and_title_keys_are_quoted_tables(library_path):
    library = Library(library_path)
    library.toggle_starred(REGMIX)
    library.toggle_starred(HF_ONLY)
    library.save()
    text = library_path.read_text(encoding="utf-8")
    assert '[papers."2606.18663"]' in text
    assert f'[papers."{HF_ONLY.key}"]' in text
    loaded = Library.load(library_path)
    assert loaded.starred_keys() == [REGMIX.key, HF_ONLY.key]


def test_snapshot_rebuilds_the_paper_when_digests_are_gone(library_path):
    library = Library(library_path)
    library.toggle_starred(REGMIX)
    library.add_tag(HF_ONLY, "hf")
    loaded = reload(library)
    paper = loaded.paper(REGMIX.key)
    assert paper is not None
    for name in ("key", "id", "title_en", "title_zh", "authors", "date", "categories"):
        assert getattr(paper, name) == getattr(REGMIX, name)
    assert paper.url == "https://arxiv.org/abs/2606.18663"
    assert paper.abstract_en is None  # a snapshot, not the whole record
    hf = loaded.paper(HF_ONLY.key)
    assert hf is not None and hf.key == HF_ONLY.key and hf.title_en == HF_ONLY.title_en
    assert loaded.paper("2601.99999") is None


def test_snapshot_takes_fields_of_a_paper_seen_again(library_path):
    library = Library(library_path)
    bare = make_paper(id="2606.18663", title_en="RegMix-D")
    library.toggle_starred(bare)
    library.refresh(REGMIX)
    assert library.paper(REGMIX.key).title_zh == REGMIX.title_zh
    assert library.paper(REGMIX.key).authors == REGMIX.authors
    library.refresh(MOE)  # not kept: nothing happens
    assert library.paper(MOE.key) is None


def test_records_prefer_live_papers_then_snapshots_then_keys(library_path):
    library = Library(library_path)
    library.toggle_starred(REGMIX)
    library.add_tag(MOE, "moe")
    library.set_read(MOE, True)
    loaded = reload(library)
    records = loaded.records([REGMIX.key, MOE.key, "2601.00001"], live={MOE.key: MOE})
    (regmix, regmix_mark), (moe, moe_mark), (bare, bare_mark) = records
    assert regmix.title_en == REGMIX.title_en and regmix_mark.starred
    assert moe is MOE and moe_mark == Mark(read=True, tags=("moe",))
    assert bare.id == "2601.00001" and bare_mark == Mark()


def test_absorb_merges_without_losing_anything(library_path):
    library = Library(library_path)
    library.add_tag(REGMIX, "Mine")
    library.set_note(REGMIX, "my note")
    library.absorb(REGMIX, Mark(starred=True, tags=("mine", "theirs"), note="their note"))
    assert library.mark(REGMIX.key) == Mark(starred=True, tags=("Mine", "theirs"), note="my note\n\ntheir note")
    library.absorb(REGMIX, Mark(note="their note"))
    assert library.mark(REGMIX.key).note == "my note\n\ntheir note"


def test_marks_mapping_is_live_and_read_only(library_path):
    library = Library(library_path)
    marks = library.marks
    library.toggle_starred(REGMIX)
    assert marks[REGMIX.key].starred
    with pytest.raises(TypeError):
        marks["x"] = Mark()  # type: ignore[index]


# -- bad files ---------------------------------------------------------------------------------


def test_corrupt_file_is_moved_aside_byte_for_byte(library_path):
    library_path.parent.mkdir(parents=True)
    garbage = b'version = 1\n[papers."2606.18663"\nstarred = tru\xff\x00e\n'
    library_path.write_bytes(garbage)
    library = Library.load(library_path)
    assert library.notice is not None and "\n" not in library.notice
    assert not library_path.exists()
    [aside] = library_path.parent.glob("library.toml.corrupt-*")
    assert aside.name.startswith("library.toml.corrupt-") and len(aside.name) == len("library.toml.corrupt-YYYYmmdd-HHMMSS")
    assert str(aside) in library.notice
    assert aside.read_bytes() == garbage
    assert not library.read_only
    library.toggle_starred(REGMIX)
    library.save()
    assert aside.read_bytes() == garbage
    assert Library.load(library_path).mark(REGMIX.key).starred


def test_second_corrupt_file_in_the_same_second_gets_its_own_name(library_path):
    library_path.parent.mkdir(parents=True)
    library_path.write_text("not = [toml", encoding="utf-8")
    Library.load(library_path)
    library_path.write_text("also = not toml ]", encoding="utf-8")
    Library.load(library_path)
    contents = sorted(p.read_text(encoding="utf-8") for p in library_path.parent.glob("library.toml.corrupt-*"))
    assert contents == ["also = not toml ]", "not = [toml"]


@pytest.mark.parametrize("text", ['version = "one"\n', "version = 0\n", "version = true\n"])
def test_a_version_that_is_not_a_number_counts_as_corrupt(library_path, text):
    library_path.parent.mkdir(parents=True)
    library_path.write_text(text, encoding="utf-8")
    library = Library.load(library_path)
    assert "moved it to" in library.notice
    assert not library_path.exists()


def test_newer_version_is_read_only_and_never_overwritten(library_path):
    library_path.parent.mkdir(parents=True)
    text = (
        f"version = {LIBRARY_VERSION + 1}\nread = [\"2601.00001\"]\nfuture = {{ thing = 1 }}\n"
        '[papers."2606.18663"]\nstarred = true\ntitle_en = "RegMix-D"\n'
    )
    library_path.write_text(text, encoding="utf-8")
    library = Library.load(library_path)
    assert library.read_only
    assert "newer" in library.notice and "read-only" in library.notice and "\n" not in library.notice
    assert library.mark("2606.18663").starred and library.mark("2601.00001").read
    library.toggle_starred(MOE)
    with pytest.raises(LibraryError) as raised:
        library.save()
    assert "\n" not in str(raised.value) and "newer" in str(raised.value)
    assert library_path.read_text(encoding="utf-8") == text
    assert list(library_path.parent.iterdir()) == [library_path]


def test_entries_with_wrong_types_are_skipped_and_the_file_kept(library_path):
    library_path.parent.mkdir(parents=True)
    text = (
        "version = 1\n"
        'read = ["2601.00001", 7]\n'
        '[papers."2606.18663"]\nstarred = true\ntags = "moe"\n'
        '[papers."2606.19036"]\nstarred = true\ntags = ["moe"]\n'
        '[papers."2606.00003"]\nstarred = "yes"\n'
        '[papers."2606.00004"]\nauthors = [1, 2]\nstarred = true\n'
        '[papers."2606.00005"]\nnote = 3\n'
    )
    library_path.write_text(text, encoding="utf-8")
    library = Library.load(library_path)
    assert library.starred_keys() == ["2606.19036"]
    assert library.mark("2601.00001").read
    assert library.mark("2606.18663") == Mark()
    assert "skipped 5" in library.notice and "read: expected a paper key, got 7" in library.notice
    assert "\n" not in library.notice and not library.read_only
    [copy] = library_path.parent.glob("library.toml.corrupt-*")
    assert copy.read_text(encoding="utf-8") == text
    assert library_path.read_text(encoding="utf-8") == text  # untouched until the next save


def test_skipped_entry_is_named_with_its_quoted_key_and_field(library_path):
    library_path.parent.mkdir(parents=True)
    library_path.write_text('[papers."2606.18663"]\nstarred = true\ntags = "moe"\n', encoding="utf-8")
    library = Library.load(library_path)
    assert 'papers."2606.18663".tags: expected a list of strings' in library.notice


def test_a_bare_toml_date_is_accepted(library_path):
    library_path.parent.mkdir(parents=True)
    library_path.write_text('[papers."2606.18663"]\nstarred = true\ndate = 2026-06-18\n', encoding="utf-8")
    library = Library.load(library_path)
    assert library.notice is None
    assert library.paper("2606.18663").date == "2026-06-18"


def test_unreadable_path_is_read_only(library_path):
    library_path.mkdir(parents=True)  # a directory where the file should be
    library = Library.load(library_path)
    assert library.read_only and library.notice
    with pytest.raises(LibraryError):
        library.save()
    assert library_path.is_dir()


# -- atomic writes -----------------------------------------------------------------------------


def test_save_leaves_no_temp_files_and_creates_the_folder(library_path):
    library = Library(library_path)
    library.toggle_starred(REGMIX)
    library.save()
    library.toggle_starred(MOE)
    library.save()
    # the lock file stays (deleting a lock file lets two holders in); no temp files do
    assert sorted(p.name for p in library_path.parent.iterdir()) == ["library.toml", "library.toml.lock"]


def test_failed_replace_keeps_the_old_file_and_removes_the_temp(tmp_path, monkeypatch):
    target = tmp_path / "file.txt"
    atomic_write(target, "old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_failed_save_is_a_library_error(library_path, monkeypatch):
    library = Library(library_path)
    library.toggle_starred(REGMIX)
    monkeypatch.setattr(atomic.os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError(13, "Permission denied")))
    with pytest.raises(LibraryError, match="Permission denied"):
        library.save()
    assert library.changed


def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "private.toml"
    atomic_write(target, "one")
    os.chmod(target, 0o600)
    atomic_write(target, "two")
    assert target.read_text() == "two"
    assert target.stat().st_mode & 0o777 == 0o600


# -- property: any sequence of changes survives a save and a load -------------------------------

PAPERS = [REGMIX, MOE, HF_ONLY, make_paper(id="2601.00001"), make_paper(title_zh="只有中文标题的论文")]
ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["star", "read", "tag", "untag", "note"]),
        st.integers(0, len(PAPERS) - 1),
        st.sampled_from(["moe", "MoE", "to-read", "数据", "x.y"]),
        st.text(max_size=20),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_any_changes_survive_save_and_load(tmp_path, actions):
    path = tmp_path / "prop" / "library.toml"
    library = Library(path)
    for action, index, tag, text in actions:
        paper = PAPERS[index]
        if action == "star":
            library.toggle_starred(paper)
        elif action == "read":
            library.toggle_read(paper)
        elif action == "tag":
            library.toggle_tag(paper, tag)
        elif action == "untag":
            library.remove_tag(paper, tag)
        else:
            library.set_note(paper, text)
    loaded = reload(library)
    assert loaded.notice is None
    for paper in PAPERS:
        assert loaded.mark(paper.key) == library.mark(paper.key)
    assert loaded.tags() == library.tags()
    assert loaded.tag_counts() == library.tag_counts()
    assert loaded.starred_keys() == library.starred_keys()
