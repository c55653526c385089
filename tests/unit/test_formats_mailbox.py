"""Mailboxes of arXiv listing e-mails: an mbox file and a Maildir folder. Expected values were
written by reading tests/fixtures/fmt-arxiv-mailbox.mbox (its bodies decoded by hand)."""

from __future__ import annotations

import base64
import datetime as dt
import shutil

import pytest

from digest_tui.core.loading.session import load
from digest_tui.core.parsers import DigestError, detect, mailbox, parse_file, parse_text
from digest_tui.core.parsers.mailbox import messages

DAY = dt.date(2026, 7, 20)


@pytest.fixture
def mbox(fixtures):
    return fixtures / "fmt-arxiv-mailbox.mbox"


def test_mbox_reads_each_listing_with_its_own_day(mbox):
    result = parse_file(str(mbox))
    assert result.format == "mailbox" and result.warnings == []
    papers = {p.id: p for p in result.papers}
    # message 1 (quoted-printable, Date: Tue, 7 Jul 2026 00:41:02 +0000): 2607.05001 and 2607.05002;
    # message 2 is other mail; message 3 (multipart, base64, Wed 8 Jul): 2607.05103 and a replacement of 2607.05001
    assert list(papers) == ["2607.05001", "2607.05002", "2607.05103"]
    assert papers["2607.05002"].date == "2026-07-07" and papers["2607.05103"].date == "2026-07-08"
    assert papers["2607.05103"].announce_type == "cross-list"
    assert papers["2607.05103"].categories == ("eess.AS", "cs.CL")
    cafe = papers["2607.05001"]  # announced on the 7th, replaced on the 8th: one record
    assert cafe.date == "2026-07-07" and cafe.announce_type == "new"
    assert cafe.journal_ref == "Menu Studies 3 (2026) 1-9"  # given by the replacement only
    assert cafe.title_en == "Café Corpora: Tokenising Menus in Português"  # TeX accents
    assert cafe.authors == ("João Sardinha", "Renée Dubois")  # `Jo\~ao` and a quoted-printable `=C3=A9`
    assert cafe.abstract_en == "We tokenise café menus; 12% of items are ambiguous."
    assert {s.format for p in result.papers for s in p.sources} == {"arxiv-email"}


def test_mbox_is_detected_and_split(mbox):
    text = mbox.read_text(encoding="utf-8")
    assert detect(text).NAME == "mailbox"
    found = messages(text)
    assert len(found) == 3
    assert "Subject: Lunch?" in found[1] and ">From the canteen" in found[1]  # a quoted `From ` line starts nothing


def test_a_single_encoded_message_is_read(mbox):
    third = messages(mbox.read_text(encoding="utf-8"))[2]  # multipart/alternative, base64 text part
    assert "arXiv:" not in third  # nothing to see without decoding
    result = parse_text(third, "one.eml", DAY)
    assert result.format == "mailbox"
    assert [(p.id, p.announce_type, p.date) for p in result.papers] == [
        ("2607.05103", "cross-list", "2026-07-08"),
        ("2607.05001", "replacement", "2026-07-08"),
    ]


def test_a_plain_listing_with_headers_stays_an_email(fixtures):
    assert detect((fixtures / "fmt-arxiv-email.txt").read_text(encoding="utf-8")).NAME == "arxiv-email"


def test_a_box_of_other_mail_is_refused():
    text = "From a@example.org Tue Jul  7 12:00:00 2026\nFrom: a@example.org\nSubject: hi\n\nHello.\n\n" * 2
    assert mailbox.sniff(text)
    with pytest.raises(DigestError, match="a mailbox of 2 messages with no arXiv listing e-mail in it"):
        parse_text(text, "box.mbox", DAY)
    one = "From: a@example.org\nContent-Transfer-Encoding: base64\n\n" + base64.b64encode(b"Hello.").decode()
    with pytest.raises(DigestError, match="a mail message with no arXiv listing e-mail"):
        parse_text(one, "one.eml", DAY)


def test_maildir(tmp_path, mbox):
    """A Maildir folder: listings in cur/ and new/ read, other mail skipped silently, tmp/ not read."""
    first, lunch, third = messages(mbox.read_text(encoding="utf-8"))
    box = tmp_path / "Mail" / "arxiv"
    for name in ("cur", "new", "tmp"):
        (box / name).mkdir(parents=True)
    (box / "cur" / "1751848862.M1P1.host:2,S").write_text(first, encoding="utf-8")
    (box / "cur" / "1751882400.M2P1.host:2,S").write_text(lunch, encoding="utf-8")
    (box / "new" / "1751936523.M3P1.host").write_text(third, encoding="utf-8")
    (box / "tmp" / "1751999999.M4P1.host").write_text(first[:200], encoding="utf-8")  # still being delivered
    store, report = load([tmp_path / "Mail"])
    assert report.problems == []
    papers = {p.id: p for p in store.papers}
    assert sorted(papers) == ["2607.05001", "2607.05002", "2607.05103"]
    assert papers["2607.05002"].date == "2026-07-07" and papers["2607.05103"].date == "2026-07-08"
    assert papers["2607.05001"].journal_ref == "Menu Studies 3 (2026) 1-9"
    sources = {s.file for p in store.papers for s in p.sources}
    assert sources == {str(box / "cur" / "1751848862.M1P1.host:2,S"), str(box / "new" / "1751936523.M3P1.host")}
    assert report.files == 3  # the lunch mail is read (and gives nothing); tmp/ is not
    # the same message outside a Maildir is not silently skipped
    shutil.copy(box / "cur" / "1751882400.M2P1.host:2,S", tmp_path / "lunch.eml")
    with pytest.raises(DigestError):
        parse_file(str(tmp_path / "lunch.eml"))
