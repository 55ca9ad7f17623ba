"""Dates named in news text, in the source languages and in English, as ISO strings as precise as
the text ("2024-11-30", "2024-11", "2024").

General date parsers know the nominative month ("november") but news writes it inflected:
Slovenian "30. novembra 2024", Polish "30 listopada 2024 r.", Croatian "15. kolovoza", Czech
"15. srpna", Hungarian "2024. november 30-án", "augusztusban". dateparser read 1 of 34 Slovenian
examples; here every inflected form is listed (Slavic) or matched as a prefix (Hungarian suffixes).
"""

from __future__ import annotations

import re
from functools import lru_cache

# month → the forms news uses (nominative, genitive, locative …), per language
_FORMS = {
    "sl": ["januar januarja januarju", "februar februarja februarju", "marec marca marcu", "april aprila aprilu",
           "maj maja maju", "junij junija juniju", "julij julija juliju", "avgust avgusta avgustu",
           "september septembra septembru", "oktober oktobra oktobru", "november novembra novembru",
           "december decembra decembru"],
    "hr": ["siječanj siječnja siječnju", "veljača veljače veljači", "ožujak ožujka ožujku", "travanj travnja travnju",
           "svibanj svibnja svibnju", "lipanj lipnja lipnju", "srpanj srpnja srpnju", "kolovoz kolovoza kolovozu",
           "rujan rujna rujnu", "listopad listopada listopadu", "studeni studenoga studenog studenom",
           "prosinac prosinca prosincu"],
    "cs": ["leden ledna lednu", "únor února únoru", "březen března březnu", "duben dubna dubnu", "květen května květnu",
           "červen června červnu", "červenec července červenci", "srpen srpna srpnu", "září", "říjen října říjnu",
           "listopad listopadu", "prosinec prosince prosinci"],
    "pl": ["styczeń stycznia styczniu", "luty lutego lutym", "marzec marca marcu", "kwiecień kwietnia kwietniu",
           "maj maja maju", "czerwiec czerwca czerwcu", "lipiec lipca lipcu", "sierpień sierpnia sierpniu",
           "wrzesień września wrześniu", "październik października październiku", "listopad listopada listopadzie",
           "grudzień grudnia grudniu"],
    "de": ["januar jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "dezember"],
    "en": ["january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
           "september sep sept", "october oct", "november nov", "december dec"],
}
# Hungarian months take suffixes ("augusztusban", "november 30-án"): matched as prefixes
_HU = ["január", "február", "március", "április", "május", "június", "július", "augusztus", "szeptember",
       "október", "november", "december"]
_ORDER = ("sl", "hu", "pl", "cs", "de", "en", "hr")  # "listopad" is November but in Croatian: hr last
_YEAR = r"(?:1[89]|20)\d{2}"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=None)
def _month_of(lang: str) -> dict[str, int]:
    return {form: n for n, forms in enumerate(_FORMS.get(lang, []), 1) for form in forms.split()}


def month_number(word: str, lang: str) -> int:
    """1-12 for a month name in `lang` (any inflection polybrief knows), else 0."""
    w = word.casefold().rstrip(".")
    if lang == "hu":
        return next((n for n, stem in enumerate(_HU, 1) if w.startswith(stem)), 0)
    return _month_of(lang).get(w, 0)


def dates_in_text(text: str, lang: str = "", default_year: str = "") -> list[str]:
    """ISO dates named in `text`; without `lang`, in the first language whose month names it uses.
    A month without a year takes `default_year` (the article's), or is left out."""
    for candidate in ([lang] if lang else _ORDER):
        found = _dates(text, candidate, default_year)
        if found or lang:
            return found
    return []


def _dates(text: str, lang: str, default_year: str) -> list[str]:
    found: list[tuple[int, str]] = []
    taken: list[range] = []
    for m in re.finditer(rf"\b({_YEAR})-(\d{{2}})-(\d{{2}})\b", text):  # ISO, in any language
        found.append((m.start(), f"{m.group(1)}-{m.group(2)}-{m.group(3)}"))
        taken.append(range(m.start(), m.end()))
    for word in _WORD.finditer(text):
        month = month_number(word.group(), lang)
        if not month or any(word.start() in r for r in taken):
            continue
        day, year, span = _around(text, word.start(), word.end(), lang)
        year = year or default_year
        if not year:
            continue
        found.append((span, f"{year}-{month:02d}-{day:02d}" if day else f"{year}-{month:02d}"))
    return [iso for _, iso in sorted(found)]


def _around(text: str, start: int, end: int, lang: str) -> tuple[int, str, int]:
    """(day, year, position) of the date whose month name is text[start:end]."""
    before, after = text[max(0, start - 12):start], text[end:end + 12]
    day = year = ""
    if lang == "hu":  # "2024. november 30-án", "november 30."
        y = re.search(rf"({_YEAR})\.\s*$", before)
        d = re.match(r"\s+(\d{1,2})\b", after)
        year, day = (y.group(1) if y else ""), (d.group(1) if d else "")
    elif lang == "en":  # "30 November 2024", "November 30, 2024", "November 2024"
        d = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+$", before) or re.match(r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)", after)
        y = re.match(rf"(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+({_YEAR})\b", after)
        day, year = (d.group(1) if d else ""), (y.group(1) if y else "")
    else:  # "30. novembra 2024", "30 listopada 2024 r.", "15. srpna"
        d = re.search(r"\b(\d{1,2})\.?\s+$", before)
        y = re.match(rf"\s+({_YEAR})\b", after)
        day, year = (d.group(1) if d else ""), (y.group(1) if y else "")
    number = int(day) if day and 1 <= int(day) <= 31 else 0
    return number, year, start
