"""Citation keys: made once per paper from the paper alone, pinned in library.toml, reused by every export."""

from __future__ import annotations

import tomllib

import pytest

from digest_tui.core import citekey, export
from digest_tui.core.library import Library
from digest_tui.core.model import Mark
from digest_tui.core.model import make_paper


def key(**values) -> str:
    return citekey.base(make_paper(**values))


def test_key_parts():
    assert key(id="2606.18663", title_en="RegMix-D: Dynamic Data Mixing", authors=("Kaiyan Zhao",), date="2026-06-18") == "zhao2026regmix"
    assert key(id="2510.13272", title_en="The Year Is the Id's", authors=("A B",), date="2026-01-23") == "b2025year"
    assert key(id="2606.1", title_en="On the Müller Effect", authors=("Zoë Ørsted-Straße Jr.",)) == "orstedstrassemuller"
    assert key(id="hep-th/9901001", title_en="A Theory", authors=("E. Witten",)) == "witten1999theory"
    assert key(id="2601.15442", title_en="Tensor Networks", authors=('Janina Sch\\"utte',)) == "schutte2026tensor"
    assert key(id="2601.15417", title_en="Muon", authors=("Adri\\'an Rodr\\'iguez-Mu\\~noz",)) == "rodriguezmunoz2026muon"
    assert key(title_en="Untitled") == "untitled"


def test_no_key_from_tex_words():
    assert key(id="2601.21461", title_en="L$^3$: Large Lookup Layers", authors=("Albert Tseng",)) == "tseng2026large"
    assert key(id="2601.22601", title_en=r"\textsc{Lethe}: Principled Erasure", authors=("Wu",)) == "wu2026lethe"
    assert key(id="2601.00001", title_en=r"$\mathcal{O}(n)$ \emph{Fast} Sorting", authors=("Lee",)) == "lee2026fast"


def test_chinese_names_in_pinyin_with_surname_readings():
    assert key(id="2606.00001", title_en="Graphs", authors=("赵凯岩",)) == "zhao2026graphs"
    assert key(id="2606.00001", title_en="Graphs", authors=("单雄信",)) == "shan2026graphs"  # not dan
    assert key(id="2606.00001", title_en="Graphs", authors=("曾国藩",)) == "zeng2026graphs"  # not ceng
    assert key(id="2606.00001", title_en="Graphs", authors=("欧阳修",)) == "ouyang2026graphs"
    assert key(title_zh="只有中文标题", authors=("赵凯岩",), date="2026-01-05") == "zhao2026zhiyou"


def test_papers_without_authors_use_their_title_not_anon():
    assert key(id="2606.00001", title_en="FrameMorrow: Future-guided Frame Selection") == "framemorrow2026future"
    assert key(title_zh="只有中文标题", date="2026-01-05") == "zhiyou2026zhong"
    assert key(id="2606.00001", title_en="赵", authors=("", "  ")).startswith("zhao")


def test_a_clash_gets_a_suffix_when_the_key_is_made():
    papers = [make_paper(id=f"2606.0000{n}", title_en="Scaling Laws", authors=("Wei Li",)) for n in range(1, 4)]
    keys: dict[str, str] = {}
    assert citekey.assign(papers[:1], keys) == ["li2026scaling"]
    assert citekey.assign(papers[::-1], keys) == ["li2026scalinga", "li2026scalingb", "li2026scaling"]
    assert [citekey.suffix(n) for n in (0, 25, 26, 27)] == ["a", "z", "aa", "ab"]


def test_each_clash_gets_the_first_free_suffix_among_keys_taken_before():
    """Keys pinned earlier (in library.toml) leave holes: a new paper takes the first free
    suffix, also after many clashes of one base (a large export made in one go)."""
    papers = [make_paper(id=f"2606.{n:05d}", title_en="Scaling Laws", authors=("Wei Li",)) for n in range(1, 800)]
    keys = {"x1": "li2026scalingb", "x2": "li2026scalingd", "x3": "li2026scalingaa"}
    made = citekey.assign(papers, keys)
    expected = ["li2026scaling", "li2026scalinga", "li2026scalingc"]
    expected += [f"li2026scaling{citekey.suffix(n)}" for n in range(4, 900) if n != 26][: len(papers) - 3]
    assert made == expected
    assert len(set(made) | {"li2026scalingb", "li2026scalingd", "li2026scalingaa"}) == len(papers) + 3
    more = make_paper(id="2606.99999", title_en="Scaling Laws", authors=("Wei Li",))
    assert citekey.assign([more], keys) == [f"li2026scaling{citekey.suffix(801)}"]


PAPERS = [make_paper(id=f"2606.1000{n}", title_en=title, authors=("Kaiyan Zhao",))
          for n, title in enumerate(["RegMix", "RegMix", "RegMix", "Other Things", "More Things"])]  # fmt: skip


def test_keys_are_stable_across_exports_of_different_sets_and_a_restart(tmp_path):
    path = tmp_path / "library.toml"
    library = Library.load(path)
    first = dict(zip((p.key for p in PAPERS[1:3]), library.citekeys(PAPERS[1:3])))
    assert list(first.values()) == ["zhao2026regmix", "zhao2026regmixa"]
    second = dict(zip((p.key for p in PAPERS), library.citekeys(PAPERS)))  # a bigger set, in another order
    third = dict(zip((p.key for p in PAPERS[::-2]), library.citekeys(PAPERS[::-2])))
    assert {k: second[k] for k in first} == first and {k: second[k] for k in third} == third
    assert second[PAPERS[0].key] == "zhao2026regmixb"  # the newcomer gets the next suffix, the others keep theirs
    assert tomllib.loads(path.read_text("utf-8"))["citekeys"] == second  # saved at once
    restarted = Library.load(path)
    assert restarted.citekeys(PAPERS) == [second[p.key] for p in PAPERS]
    assert not restarted.changed


def test_bases_made_beforehand_give_the_same_keys_and_only_for_papers_without_one(tmp_path):
    """export.bases() makes (in the reader's worker) what citekeys() would, for the papers with no
    pinned key; given them, the library pins the same keys as without them."""
    records = [(paper, Mark()) for paper in PAPERS]
    made_here = Library.load(tmp_path / "here.toml")
    assert export.bases(records, made_here, "toml") == {}  # a reading list has no keys
    made_here.citekeys(PAPERS[1:2])
    bases = export.bases(records, made_here, "bib")
    assert bases == {paper.key: citekey.base(paper) for paper in PAPERS if paper is not PAPERS[1]}
    made_apart = Library.load(tmp_path / "apart.toml")
    made_apart.citekeys(PAPERS[1:2])
    assert export.citekeys(records, made_apart, "bib", bases) == made_here.citekeys(PAPERS)
    given = {PAPERS[0].key: "given2026"}  # and what is given is what is used
    assert citekey.assign(PAPERS[:1], {}, given) == ["given2026"]


def test_the_table_is_written_as_it_is_when_only_its_new_lines_are_made():
    from digest_tui.core.library import citekeys

    table = {"2606.00001": "lee2026a", 'odd "key"': "lee2026b"}
    first = citekeys.dumps(table)
    table["2606.00003"] = "lee2026c"  # keys are only added to a table: the lines before are kept
    grown = citekeys.dumps(table)
    assert grown == citekeys.dumps(dict(table)) and grown.startswith(first)
    assert tomllib.loads(grown)["citekeys"] == table
    other = {"2606.00009": "kim2026", "2606.00010": "kim2026a", "2606.00011": "kim2026b"}  # as many keys, another table
    assert tomllib.loads(citekeys.dumps(other))["citekeys"] == other
    assert citekeys.dumps(table) == grown


def test_keys_survive_a_merge_with_another_instance(tmp_path):
    path = tmp_path / "library.toml"
    ours, theirs = Library.load(path), Library.load(path)
    assert ours.citekeys(PAPERS[:1]) == ["zhao2026regmix"]
    assert theirs.citekeys(PAPERS[1:2]) == ["zhao2026regmixa"]  # made after merging ours: no clash
    ours.set_starred(PAPERS[3], True)
    ours.save()
    again = Library.load(path)
    assert again.citekeys(PAPERS[:2]) == ["zhao2026regmix", "zhao2026regmixa"]
    assert again.mark(PAPERS[3].key).starred
    assert ours.citekey(PAPERS[1].key) == "zhao2026regmixa"  # our save took theirs in


def test_a_key_made_unsaved_that_meets_another_papers_key_is_made_again(tmp_path):
    path = tmp_path / "library.toml"
    offline = Library(None)  # no file: keys made in memory only
    assert offline.citekeys(PAPERS[:1]) == ["zhao2026regmix"] and offline.changed
    online = Library.load(path)
    assert online.citekeys(PAPERS[1:2]) == ["zhao2026regmix"]
    offline.path = path
    offline.save()
    assert offline.citekey(PAPERS[1].key) == "zhao2026regmix"  # the one saved first keeps it
    assert offline.citekey(PAPERS[0].key) == "zhao2026regmixa"


def test_a_read_only_library_still_gives_keys_and_says_they_are_not_saved(tmp_path):
    path = tmp_path / "library.toml"
    path.write_text("version = 99\n", encoding="utf-8")
    library = Library.load(path)
    assert library.read_only
    assert library.citekeys(PAPERS[:2]) == ["zhao2026regmix", "zhao2026regmixa"]
    assert path.read_text("utf-8") == "version = 99\n"


def test_a_bad_key_in_the_file_is_skipped_with_a_notice(tmp_path):
    path = tmp_path / "library.toml"
    path.write_text('version = 1\n[citekeys]\n"2606.10000" = "my key"\n"2606.10001" = "mine2026"\n', encoding="utf-8")
    library = Library.load(path)
    assert "citekeys" in library.notice and "my key" in library.notice
    assert library.citekey("2606.10001") == "mine2026"  # a key a person wrote is used as is
    assert library.citekeys(PAPERS[:2]) == ["zhao2026regmix", "mine2026"]


def test_export_citekeys_uses_the_library(tmp_path):
    library = Library.load(tmp_path / "library.toml")
    records = [(paper, Mark()) for paper in PAPERS[:2]]
    assert export.citekeys(records, library) == ["zhao2026regmix", "zhao2026regmixa"]
    assert export.citekeys(records[1:], library) == ["zhao2026regmixa"]
    assert export.citekeys(records[1:]) == ["zhao2026regmix"]  # without a library: this export alone


@pytest.mark.parametrize("value", ["zhao2026regmix", "Smith_2020a", "x1.2-b+c"])
def test_valid_keys(value):
    assert citekey.VALID.fullmatch(value)


@pytest.mark.parametrize("value", ["", "a b", "a,b", "a{b}", "a/b", "-a", "a:b", "赵"])
def test_invalid_keys(value):
    assert not citekey.VALID.fullmatch(value)


def test_the_citekeys_table_reads_back_the_same_through_the_fast_path_and_tomllib(tmp_path):
    path = tmp_path / "library.toml"
    library = Library.load(path)
    odd = [make_paper(title_en="Ünïcode “quoted” title"), make_paper(id="2606.20000", title_en="Plain")]
    library.citekeys(PAPERS + odd)
    text = path.read_text("utf-8")
    assert tomllib.loads(text)["citekeys"] == {p.key: library.citekey(p.key) for p in PAPERS + odd}
    assert Library.load(path).citekeys(PAPERS + odd) == library.citekeys(PAPERS + odd)
    # what a person wrote by hand (a comment, another quoting, a key quoted with an escape) goes through tomllib
    path.write_text('version = 1\n[citekeys]\n"2606.10000" = "a2026x" # mine\n\'2606.10001\' = "b2026y"\n'
                    '"2606.1\\u0030002" = "c2026z"\n', encoding="utf-8")  # fmt: skip
    again = Library.load(path)
    assert [again.citekey(f"2606.1000{n}") for n in range(3)] == ["a2026x", "b2026y", "c2026z"]
    assert again.notice is None


def test_keys_written_by_hand_after_the_plain_lines_are_read_and_checked_over_them(tmp_path):
    """The plain `"key" = "value"` lines are read without tomllib (and need no check: their shape is
    a valid key); a line after them that a person wrote goes through tomllib and is checked, and it
    wins over a plain line of the same paper, as it would in a TOML table."""
    path = tmp_path / "library.toml"
    path.write_text('version = 1\n[citekeys]\n"2606.10000" = "a2026x"\n"2606.10001" = "b2026y"\n'
                    "'2606.10001' = \"mine2026\"\n\"2606.10002\" = \"bad key\"\n'2606.10003' = \"c2026z\"\n",
                    encoding="utf-8")  # fmt: skip
    library = Library.load(path)
    assert [library.citekey(f"2606.1000{n}") for n in range(4)] == ["a2026x", "mine2026", None, "c2026z"]
    assert "citekeys" in library.notice and "bad key" in library.notice


def test_an_empty_paper_key_in_the_plain_lines_is_skipped_with_a_notice(tmp_path):
    path = tmp_path / "library.toml"
    path.write_text('version = 1\n[citekeys]\n"2606.10000" = "a2026x"\n"" = "b2026y"\n', encoding="utf-8")
    library = Library.load(path)
    assert library.citekey("2606.10000") == "a2026x" and library.citekey("") is None
    assert "citekeys" in library.notice and "b2026y" in library.notice
