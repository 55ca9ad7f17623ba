"""Dates named in news text, in the source languages and in English, as ISO strings as precise as
the text ("2024-11-30", "2024-11", "2024").

General date parsers know the nominative month ("november") but news writes it inflected:
Slovenian "30. novembra 2024", Polish "30 listopada 2024 r.", Croatian "15. kolovoza", Czech
"15. srpna", Hungarian "2024. november 30-án", "augusztusban". dateparser read 1 of 34 Slovenian
examples; here every inflected form is listed (Slavic) or matched as a prefix (Hungarian suffixes).
"""

from __future__ import annotations

import re
from functools import cache

from polybrief.text.languages import by_language

_YEAR = r"(?:1[89]|20)\d{2}"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@cache
def _month_of(lang: str) -> dict[str, int]:
    """Every form of every month news writes in `lang` (text/languages/<lang>.yaml: months)."""
    return {form: n for n, forms in enumerate(by_language("months").get(lang, []), 1) for form in forms}


@cache
def _order() -> tuple[str, ...]:
    """Languages with month names, in the order a text of unknown language is tried (`date_order`:
    "listopad" is November in Polish and Czech but October in Croatian, which goes last)."""
    priority = by_language("date_order")
    codes = set(by_language("months")) | set(by_language("month_prefixes"))
    return tuple(sorted(codes, key=lambda code: (priority.get(code, 70), code)))


def month_number(word: str, lang: str) -> int:
    """1-12 for a month name in `lang` (any inflection polybrief knows), else 0."""
    w = word.casefold().rstrip(".")
    prefixes = by_language("month_prefixes").get(lang)
    if prefixes:  # the language adds suffixes to month names: "augusztusban"
        return next((n for n, stem in enumerate(prefixes, 1) if w.startswith(stem)), 0)
    return _month_of(lang).get(w, 0)


def dates_in_text(text: str, lang: str = "", default_year: str = "") -> list[str]:
    """ISO dates named in `text`; without `lang`, in the first language whose month names it uses.
    A month without a year takes `default_year` (the article's), or is left out."""
    return [iso for _start, _end, iso in date_spans(text, lang, default_year)]


def date_spans(text: str, lang: str = "", default_year: str = "") -> list[tuple[int, int, str]]:
    """(start, end, ISO date) of each date named in `text`, in text order (as `dates_in_text`)."""
    for candidate in ([lang] if lang else _order()):
        found = _dates(text, candidate, default_year)
        if found or lang:
            return found
    return []


# English month names are also words ("May we go", "march"): alone, a month counts only after a
# preposition of time; a bare year counts after one too ("signed in 2022")
_EN_BEFORE_MONTH = re.compile(r"\b(?:in|since|until|by|from|of|early|late|mid|last|next)\s+$", re.IGNORECASE)
_EN_YEAR = re.compile(rf"\b(?:in|since|until|by|from)\s+({_YEAR})\b(?!\s*[-–]\d)", re.IGNORECASE)


def _dates(text: str, lang: str, default_year: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    taken: list[range] = []
    for m in re.finditer(rf"\b({_YEAR})-(\d{{2}})-(\d{{2}})\b", text):  # ISO, in any language
        found.append((m.start(), m.end(), f"{m.group(1)}-{m.group(2)}-{m.group(3)}"))
        taken.append(range(m.start(), m.end()))
    for word in _WORD.finditer(text):
        month = month_number(word.group(), lang)
        if not month or any(word.start() in r for r in taken):
            continue
        day, year, end = _around(text, word.start(), word.end(), lang)
        if lang == "en" and not (day or year) and not _EN_BEFORE_MONTH.search(text[:word.start()]):
            continue
        year = year or default_year
        if not year:
            continue
        found.append((word.start(), end, f"{year}-{month:02d}-{day:02d}" if day else f"{year}-{month:02d}"))
        taken.append(range(word.start(), end))
    if lang == "en":
        for m in _EN_YEAR.finditer(text):
            if not any(m.start(1) in r for r in taken):
                found.append((m.start(1), m.end(1), m.group(1)))
    return sorted(found)


def _around(text: str, start: int, end: int, lang: str) -> tuple[int, str, int]:
    """(day, year, end of the date) of the date whose month name is text[start:end]."""
    before, after = text[max(0, start - 12):start], text[end:end + 12]
    day = year = ""
    if lang == "hu":  # "2024. november 30-án", "november 30."
        y = re.search(rf"({_YEAR})\.\s*$", before)
        d = re.match(r"\s+(\d{1,2})\b", after)
        year, day = (y.group(1) if y else ""), (d.group(1) if d else "")
    elif lang == "en":  # "30 November 2024", "November 30, 2024", "November 2024"
        d = (re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+$", before)
             or re.match(r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)", after))
        y = re.match(rf"(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+({_YEAR})\b", after)
        day, year = (d.group(1) if d else ""), (y.group(1) if y else "")
    else:  # "30. novembra 2024", "30 listopada 2024 r.", "15. srpna"
        d = re.search(r"\b(\d{1,2})\.?\s+$", before)
        y = re.match(rf"\s+({_YEAR})\b", after)
        day, year = (d.group(1) if d else ""), (y.group(1) if y else "")
    number = int(day) if day and 1 <= int(day) <= 31 else 0
    # the date ends after the day or year written after the month (a match on `after`)
    after_ends = [m.end() for m in (d, y) if m is not None and m.string is after]
    return number, year, end + max(after_ends, default=0)
