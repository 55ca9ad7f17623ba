"""Sentence splitting for news text in the languages polybrief translates from.

General splitters cut Central European news in the wrong places: ordinals and dates are written
with a period (`8. november`, `2024. november 30.`, `30 listopada 2024 r. w`), thousands use one
(`10.000`), and titles abbreviate (`dr.`, `prof.`, `ifj.`). We measured sentencex on such text
and it split every ordinal date, which makes the translator see fragments. The rule here: a
period ends a sentence only when the next word starts with a capital letter or an opening quote,
the word before it is not a known abbreviation or an initial, and an ordinal number is not
followed by a month name (German capitalises months). Too few splits is the safe side: long
sentences are cut into model-sized pieces later, at clause boundaries.
"""

from __future__ import annotations

import re
from functools import cache

from polybrief.text.languages import by_language, common

_CANDIDATE = re.compile(r"[.!?…]+[\"'»«”’)\]]*\s+")
_OPENERS = "\"'»«„“‘(["
_DASHES = "-–—"  # quoted speech opens with a dash in Polish, Hungarian, Slovenian news
_ROMAN = re.compile(r"[IVXLC]+")
# what a line ends with when it ends as a sentence (or a clause leading into the next line) does
SENTENCE_ENDS = (".", "!", "?", "…", ":", ";")
# how a sentence ends, closing quotes and brackets aside
_ENDED = re.compile(r"[.!?…][\"'”’»)\]]*$")


def ends_as_sentence(text: str) -> bool:
    """Whether `text` ends as a sentence does (not a line cut short, a title, a list run together)."""
    return bool(_ENDED.search(text.rstrip()))


@cache
def _abbreviations(lang: str) -> frozenset[str]:
    """Every language's (common.yaml) and this language's: a dot after one does not end a sentence."""
    return frozenset(common("abbreviations")).union(by_language("abbreviations").get(lang, ()))


@cache
def _month_names() -> frozenset[str]:
    return frozenset(common("month_abbreviations"))


@cache
def _final_abbreviations(lang: str) -> frozenset[str]:
    """Abbreviations that close an enumeration, and so often a sentence: a capital after them starts one."""
    return frozenset(common("final_abbreviations")).union(by_language("final_abbreviations").get(lang, ()))


def split_sentences(text: str, lang: str = "") -> list[str]:
    """Split one paragraph into sentences; the pieces joined with spaces give back the text."""
    text = " ".join(text.split())
    if not text:
        return []
    abbreviations = _abbreviations(lang)
    sentences, start = [], 0
    for match in _CANDIDATE.finditer(text):
        end = match.end()
        if end >= len(text) or not _ends_sentence(text, match, abbreviations, lang):
            continue
        sentences.append(text[start:end].strip())
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _ends_sentence(text: str, match: re.Match[str], abbreviations: frozenset[str], lang: str = "") -> bool:
    after = text[match.end():]
    opens = _opens_sentence(after)
    if not opens:
        return False
    if match.group()[0] != ".":
        return True
    before = text[: match.start()].rsplit(None, 1)
    word = before[-1].lstrip(_OPENERS) if before else ""
    if word.isdigit():
        # an ordinal before a month ("8. November"), a date ("15. 8. 2024"), or a list item's
        # number ("… ended. 3. The next point"): none of them ends a sentence
        next_word = after.split(None, 1)[0].strip(".,").casefold()
        return opens != "digit" and next_word not in _month_names() \
            and not _list_number(text, match.start() - len(word), abbreviations)
    if opens == "digit" and not word.rstrip("\"'»«”’)]")[-1:].isalpha():
        return False  # "5 %. 20" or "(2). 3": numbers and symbols on both sides
    folded = word.casefold()
    if folded in _final_abbreviations(lang):
        return True
    if len(word) == 1 and word.isalpha() or _ROMAN.fullmatch(word):
        return False  # an initial ("A. Blinken") or a Roman numeral ("II. Rákóczi Ferenc")
    return folded not in abbreviations


# a page's advert marker scraped into the text between two sentences ("… lifestyles. advertisement
# Mr Reid, who …"): the sentence after it starts there (its cleaning takes the word off)
_ADVERT = re.compile(r"advertisement\s+[A-Z]")


def _opens_sentence(after: str) -> str:
    """"letter", "digit" or "" for how the text after a candidate break begins."""
    first = after[:1]
    if first.isupper() or (first in _OPENERS and first) or _ADVERT.match(after):
        return "letter"
    if first.isdigit():
        return "digit"
    if first and first in _DASHES and after[1:2] == " " and (after[2:3].isupper() or after[2:3] in _OPENERS):
        return "letter"  # "- Nie zauważyłem nic takiego."
    return ""


def _list_number(text: str, start: int, abbreviations: frozenset[str]) -> bool:
    """A number that stands where a sentence starts ("… done. 3. Then"): a list item's mark;
    not one that follows an abbreviation ("art. 13 ust. 3. The")."""
    before = text[:start].rstrip()
    if len(text[start:].split(".", 1)[0]) > 2:
        return False
    if not before:
        return True
    previous = before.rsplit(None, 1)[-1]
    return before[-1] in ".!?:;" and previous.rstrip(".").casefold() not in abbreviations


def chunk_words(sentence: str, max_words: int) -> list[str]:
    """Cut an over-long sentence into pieces of at most `max_words`, preferring clause breaks."""
    words = sentence.split()
    if len(words) <= max_words:
        return [sentence]
    pieces, current = [], []
    for word in words:
        current.append(word)
        at_clause = word.endswith((",", ";", ":", "–", "—"))
        if len(current) >= max_words or (at_clause and len(current) >= max_words // 2):
            pieces.append(" ".join(current))
            current = []
    if current:
        pieces.append(" ".join(current))
    return pieces
