"""Facts of a story that a reader checks first: who said what (direct quotes) and when things
happened (a timeline), each tied to the sentence it came from.

Quotes are found in the original text, where the quotation marks are the writer's (», «, „ ", " ",
« », ' '), and shown with the English of the same sentence; dates are read from the English, where
one set of month names serves every source language.
"""

from __future__ import annotations

import re
from typing import Sequence

from polybrief.dates import dates_in_text
from polybrief.records import Article, Event, Quote, Translation

_QUOTE = re.compile(r"»([^«»]{12,})«|«([^«»]{12,})»|„([^„“”\"]{12,})[“”\"]|“([^“”]{12,})”|\"([^\"]{12,})\"")
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
# month names only: "[A-Z][a-z]+" took "On" of "On 6 August" for a month and lost the date
_MONTH = "(?:" + "|".join(m.capitalize() for m in _MONTHS) + ")"
_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})(?:\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,\s*(?P<y2>\d{{4}}))?"
    rf"|(?P<m3>{_MONTH})\s+(?P<y3>\d{{4}})"
    r"|(?:in|since|until|by)\s+(?P<y4>(?:19|20)\d{2})"
    rf"|(?:in|since|until|by|from)\s+(?P<m4>{_MONTH})(?!\s+\d))\b"
)


def anchor(paragraph: int, sentence: int) -> str:
    """The id of a sentence on its article page: paragraph and sentence, counted from 1."""
    return f"s{paragraph + 1}-{sentence + 1}"


def find_quotes(article: Article, translation: Translation, number: int) -> list[Quote]:
    from polybrief.names import names_in

    quotes = []
    for p, para in enumerate(translation.paragraphs):
        for s, pair in enumerate(para):
            match = _QUOTE.search(pair.src)
            if not match:
                continue
            original = next(g for g in match.groups() if g).strip(" ,.")
            english = _quoted(pair.en) or pair.en
            outside = _QUOTE.sub(" ", pair.en)
            folded = outside.casefold()
            names = sorted(names_in(outside), key=folded.find)
            # names_in folds case; take the name as written from the sentence
            speaker = outside[folded.find(names[0]):folded.find(names[0]) + len(names[0])] if names else ""
            quotes.append(Quote(english, original, speaker, number, anchor(p, s)))
    return quotes


def _quoted(text: str) -> str:
    match = _QUOTE.search(text)
    return next(g for g in match.groups() if g).strip(" ,.") if match else ""


def build_timeline(sources: Sequence[tuple[int, Article, Translation]], limit: int = 12) -> tuple[Event, ...]:
    """Publication dates and dated sentences, oldest first; one event per date and source."""
    events: dict[tuple[str, int], Event] = {}
    for number, article, translation in sources:
        if article.date:
            title = translation.title_en or article.title or article.id
            events[(article.date, number)] = Event(article.date, f"Published: {title}", number)
        year = article.date[:4] if article.date[:4].isdigit() else ""
        for p, para in enumerate(translation.paragraphs):
            for s, pair in enumerate(para):
                # the English, else the original: a date the translation garbled is still a date
                for when in dates_in(pair.en, year) or dates_in_text(pair.src, article.lang, year):
                    events.setdefault((when, number), Event(when, pair.en, number, anchor(p, s)))
    ordered = sorted(events.values(), key=lambda e: (e.date, e.source))
    return tuple(ordered[:limit])


def dates_in(text: str, default_year: str = "") -> list[str]:
    """ISO dates (as precise as the text) named in English text; a missing year is the article's."""
    found = []
    for m in _DATE.finditer(text):
        g = m.groupdict()
        month_name = (g["m1"] or g["m2"] or g["m3"] or g["m4"] or "").lower()
        if month_name and month_name not in _MONTHS:
            continue
        year = g["y1"] or g["y2"] or g["y3"] or g["y4"] or default_year
        if not year:
            continue
        if not month_name:
            found.append(year)
            continue
        day = g["d1"] or g["d2"]
        month = f"{year}-{_MONTHS[month_name]:02d}"
        found.append(f"{month}-{int(day):02d}" if day and 1 <= int(day) <= 31 else month)
    return found
