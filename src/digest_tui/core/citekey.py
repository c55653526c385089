"""Citation keys: `surname` + `year` + first significant title word, in ASCII, made once per paper.

A key is made from the paper alone (`base`), and `assign` adds a suffix (`a`, `b`, ...) only
when the base is already taken by another paper's key, so a paper's key never depends on what
else is exported with it. The keys are pinned in the library (library/citekeys.py) and reused
by every later export; this module only makes them.

Parts: the first author's surname, transliterated (TeX accents and diacritics folded, Chinese
names in pinyin through pypinyin, with the usual readings of polyphonic surnames); the year the
paper appeared (from its arXiv id, else its listing date); the first title word that is not a
stop word, not TeX (`$^3$`, `\\textsc`) and at least two letters long. A paper without a known
author uses its first title word in the author's place and its second after the year.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from .model import Paper

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_EXTRA_LETTERS = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                                "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ı": "i"})  # fmt: skip
_TEX_LETTERS = {"ss": "ss", "o": "o", "O": "O", "l": "l", "L": "L", "ae": "ae", "AE": "AE", "oe": "oe", "OE": "OE",
                "aa": "a", "AA": "A", "i": "i", "j": "j"}  # fmt: skip
# `\"u`, `\'{e}`, `{\"u}`, `\c c`, `\ss{}`: the letter stays, the accent goes
_TEX_ACCENT = re.compile(r"\\[\"'`^~=.uvHckrdbt](?:\{(\w)\}|\s*(\w))")
_TEX_SYMBOL = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)\b(?:\{\})?")
_TEX_MATH = re.compile(r"\$[^$]*\$|\\\(.*?\\\)")
_TEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?")
_NAME_SUFFIXES = frozenset(("jr", "jr.", "sr", "sr.", "ii", "iii", "iv"))
STOP_WORDS = frozenset(
    ["a", "an", "the", "on", "of", "in", "for", "to", "and", "or", "with", "via", "by", "from", "at", "as", "is", "are", "be", "do", "does", "can", "what", "when", "how", "why", "which", "we", "our", "your", "its", "not", "into", "about", "over", "under", "through", "toward", "towards", "beyond"]
)
# pypinyin reads a character as in common words; as a surname these read otherwise
_SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "区": "ou", "仇": "qiu", "朴": "piao", "查": "zha", "盖": "ge",
    "乐": "yue", "覃": "qin", "秘": "bi", "种": "chong", "翟": "zhai", "缪": "miao", "员": "yun", "召": "shao",
    "折": "she", "尉": "yu", "纪": "ji", "繁": "po", "句": "gou", "长": "chang", "沈": "shen", "柏": "bai",
    "薄": "bo", "卜": "bu", "贾": "jia", "重": "chong", "宁": "ning", "洗": "xian", "冼": "xian",
}  # fmt: skip
_COMPOUND_SURNAMES = frozenset(
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "尉迟", "长孙", "宇文", "公孙", "轩辕", "端木", "南宫", "西门", "独孤", "百里", "呼延", "澹台", "万俟", "闻人", "钟离", "申屠", "赫连", "拓跋", "太史", "司空", "濮阳", "淳于", "单于", "公冶", "宗政", "东郭", "南门", "羊舌", "微生", "梁丘", "左丘", "东门", "第五"]
)


def fold(text: str) -> str:
    """Lowercase ASCII letters and digits only: `Müller` -> `muller`, `G\\"uneysu` -> `guneysu`,
    `赵凯岩` -> `zhaokaiyan`; what no rule transliterates is dropped."""
    if text.isascii() and "\\" not in text:  # most words: no TeX, nothing to transliterate
        return text.lower() if text.isalnum() else _NOT_ALNUM.sub("", text.lower())
    text = _TEX_ACCENT.sub(lambda m: m[1] or m[2], text)
    text = _TEX_SYMBOL.sub(lambda m: _TEX_LETTERS[m[1]], text)
    if _HAN.search(text):
        text = _pinyin(text)
    text = unicodedata.normalize("NFKD", text.translate(_EXTRA_LETTERS))
    return _NOT_ALNUM.sub("", text.encode("ascii", "ignore").decode("ascii").lower())


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin  # 0.3 s to load its dictionaries: only when a name needs it

    return "".join(lazy_pinyin(text, errors="default"))


def surname(author: str) -> str:
    """The family name of one author as written: `Kaiyan Zhao` -> `Zhao`, `Li, Wei` -> `Li`,
    `赵凯岩` -> `赵`, `欧阳修` -> `欧阳`."""
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0].strip()
    if _HAN.match(author) and " " not in author:  # Chinese order: the family name comes first
        return author[:2] if author[:2] in _COMPOUND_SURNAMES else author[:1]
    parts = author.split()
    while len(parts) > 1 and parts[-1].casefold() in _NAME_SUFFIXES:
        parts.pop()
    return parts[-1] if parts else ""


def _surname_ascii(author: str) -> str:
    name = surname(author)
    if _HAN.fullmatch(name[:1] or "x") and len(name) == 1 and name in _SURNAME_READINGS:
        return _SURNAME_READINGS[name]
    return fold(name)


def year(paper: Paper) -> str:
    """The year the paper appeared: from its arXiv id (`2510.13272` -> 2025, `hep-th/9901001` ->
    1999), else from its listing date; empty when neither is known."""
    found = id_year_month(paper.id)
    if found:
        return found[0]
    if paper.date and re.match(r"\d{4}", paper.date):
        return paper.date[:4]
    return ""


def id_year_month(arxiv_id: str | None) -> tuple[str, int] | None:
    """(year, month) an arXiv id was given out: new ids start YYMM, old ones end /YYMMNNN."""
    if not arxiv_id:
        return None
    digits = re.match(r"(\d\d)(\d\d)\.\d{4,5}$", arxiv_id) or re.search(r"/(\d\d)(\d\d)\d{3}$", arxiv_id)
    if not digits or not 1 <= int(digits[2]) <= 12:
        return None
    yy = int(digits[1])
    return str(1900 + yy if yy >= 91 else 2000 + yy), int(digits[2])


def title_words(title: str, limit: int | None = None) -> list[str]:
    """The significant words of a title, folded to ASCII, TeX maths and command names left out;
    the first `limit` of them (a key needs one or two: the rest are not folded)."""
    if "$" in title or "\\(" in title:
        title = _TEX_MATH.sub(" ", title)
    if "\\" in title:
        title = _TEX_COMMAND.sub(lambda m: m[0] if _TEX_SYMBOL.fullmatch(m[0]) else " ", title)
    if not title.isascii() and _HAN.search(title):
        title = " ".join(_han_words(title))
    words = []
    for word in _WORD_BREAK.split(title):
        folded = fold(word)
        if len(folded) >= 2 and folded not in STOP_WORDS and not folded.isdigit():
            words.append(folded)
            if len(words) == limit:
                break
    return words


_WORD_BREAK = re.compile(r"[^\w\\\"'`^~{}]+")


def _han_words(text: str) -> list[str]:
    """Chinese text cut into words (pypinyin's own segmenter), each then read as one pinyin word."""
    from pypinyin.seg.mmseg import seg

    return list(seg.cut(text))


def base(paper: Paper) -> str:
    """The key a paper gets when no other paper has it: `zhao2026regmix`."""
    words = title_words(paper.title_en or "", 2) or title_words(paper.title_zh or "", 2)
    author = next((name for name in map(_surname_ascii, paper.authors) if name), "")
    if not author:
        author, words = (words[0], words[1:]) if words else ("paper", words)
    return author + year(paper) + (words[0] if words else "")


def suffix(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: suffixes that never run out."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(97 + r) + out
    return out


def assign(papers: Iterable[Paper], keys: dict[str, str], bases: Mapping[str, str] | None = None) -> list[str]:
    """Give each paper that `keys` (paper key -> citation key) lacks a new key, and add it there;
    a base already taken gets the first free suffix. Returns the papers' keys, in order. `bases`
    may give papers' base() already made (by paper key: in a worker thread, for the reader,
    whose library this runs on: base() is nearly all of the time)."""
    bases = bases or {}
    taken: set[str] | None = None  # made once a paper needs a key (a set of every key pinned)
    tried: dict[str, int] = {}  # stem -> suffixes known taken: a thousand "li2026scaling"s stay linear
    out = []
    for paper in papers:
        key = keys.get(paper.key)
        if key is None:
            if taken is None:
                taken = set(keys.values())
            stem = bases.get(paper.key) or base(paper)
            key, n = stem, tried.get(stem, 0)
            if n or key in taken:
                while (key := stem + suffix(n)) in taken:
                    n += 1
                tried[stem] = n + 1
            keys[paper.key] = key
            taken.add(key)
        out.append(key)
    return out


VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")
"""What a person may write as a key in library.toml: every BibTeX reader, \\cite and Obsidian take it (and a note file name)."""
