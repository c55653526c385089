"""Undo in the library: steps group mark changes, undo puts back each paper's mark, and saves see it."""

from __future__ import annotations

import tomllib

from digest_tui.core.library import UNDO_STEPS, Library
from digest_tui.core.model import Mark
from digest_tui.core.model import make_paper

A = make_paper(id="2606.18663", title_en="RegMix-D: Dynamic Data Mixing", date="2026-06-18")
B = make_paper(id="2606.19036", title_en="Discontinuities in Sparse Mixture-of-Experts", date="2026-06-18")
C = make_paper(title_en="A Paper Seen Only On Hugging Face", upvotes=12)


def test_undo_takes_back_one_step_at_a_time(tmp_path):
    library = Library(tmp_path / "library.toml")
    with library.step("star"):
        library.toggle_starred(A)
    with library.step("tag"):
        library.add_tag(A, "moe")
    assert library.mark(A.key) == Mark(starred=True, tags=("moe",))
    step = library.undo()
    assert step is not None and step.label == "tag" and step.keys == [A.key]
    assert library.mark(A.key) == Mark(starred=True)
    assert library.undo().label == "star"
    assert library.mark(A.key) == Mark()
    assert library.kept_keys() == []  # the snapshot went with the star
    assert library.undo() is None and library.undo_depth == 0


def test_a_bulk_step_is_undone_whole(tmp_path):
    library = Library(tmp_path / "library.toml")
    library.set_read(C, True)  # outside a step: not undoable
    with library.step("read 3"):
        for paper in (A, B, C):
            library.set_read(paper, True)
        library.set_read(A, False)  # changed twice inside one step: its mark before the step comes back
        library.set_read(A, True)
    library.undo()
    assert [library.mark(p.key).read for p in (A, B, C)] == [False, False, True]
    assert library.undo_depth == 0


def test_nested_steps_are_one_and_empty_steps_are_not_kept(tmp_path):
    library = Library(tmp_path / "library.toml")
    with library.step("keep"):
        with library.step("star"):
            library.set_starred(A, True)
        library.set_read(A, True)
    with library.step("nothing"):
        library.set_starred(A, True)  # already starred: no change
    assert library.undo().label == "keep"
    assert library.mark(A.key) == Mark() and library.undo_depth == 0


def test_undo_reaches_back_at_least_a_hundred_steps(tmp_path):
    library = Library(tmp_path / "library.toml")
    assert UNDO_STEPS >= 100
    papers = [make_paper(id=f"2606.{20000 + n}", title_en=f"Paper {n}") for n in range(150)]
    for paper in papers:
        with library.step("star"):
            library.toggle_starred(paper)
    undone = 0
    while library.undo() is not None:
        undone += 1
    assert undone == 150 and library.starred_keys() == []


def test_an_undo_after_a_save_is_saved_as_the_undone_state(tmp_path):
    path = tmp_path / "library.toml"
    library = Library(path)
    with library.step("star"):
        library.toggle_starred(A)
        library.add_tag(A, "moe")
    library.save()
    assert tomllib.loads(path.read_text())["papers"][A.key]["starred"] is True
    library.undo()
    assert library.changed
    library.save()
    again = Library.load(path)
    assert again.mark(A.key) == Mark() and A.key not in tomllib.loads(path.read_text()).get("papers", {})


def test_an_undo_does_not_take_back_another_instances_change(tmp_path):
    path = tmp_path / "library.toml"
    ours, theirs = Library(path), Library(path)
    with ours.step("star"):
        ours.set_starred(A, True)
    ours.save()
    theirs = Library.load(path)
    theirs.add_tag(A, "theirs")
    theirs.save()
    ours.undo()  # takes back our star only
    ours.save()
    final = Library.load(path)
    assert final.mark(A.key) == Mark(tags=("theirs",))
