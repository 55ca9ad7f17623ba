"""Numbers as news writes them, in the source languages and in English, read as values.

Figures are what a reader compares: counts, amounts, shares. Years, dates, times, ordinals
("8. novembra", "19. stoletja", "1000. znamka") and page numbers are not figures, and reading them
as such made "Figures to check" cry wolf on human translations. Local forms are read right:
groups of thousands with a space, a no-break space or a dot ("10 000", "10.000"), the decimal
comma ("1,5 milijarde"), scale words and Hungarian compounds ("tízezer", "dvajset tisoč",
"półtora miliona"), ranges ("11-12 ezer": both ends scaled). English number words go through
text2num ("forty-five thousand" → 45000).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from polybrief.text.languages import merged, union

_SPACES = re.compile(r"[\u00a0\u202f\u2009\u2007]")  # no-break, narrow and thin spaces group thousands


@cache
def _scales() -> dict[str, float]:
    """Stems of scale words, every language's (text/languages): inflected endings follow."""
    return {stem: float(value) for stem, value in merged("scale_words").items()}


@cache
def _words() -> dict[str, float]:
    """Number words that count on their own; small ones only with a scale."""
    return {word: float(value) for word, value in merged("number_words").items()}


_FRACTIONS = {"¼": 0.25, "½": 0.5, "¾": 0.75}
# a number token: grouped thousands ("10 000", "10.000"), a decimal, a plain integer; a range
_NUM = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_TOKEN = re.compile(rf"(?<![\w.,/:])({_NUM})(?:\s?[-–]\s?({_NUM}))?(\.?)(?![\d])")


def figures_in_original(sentence: str, lang: str = "") -> list[float]:
    """The figures of a sentence in a source language (decimal comma; thousands by space or dot)."""
    from polybrief.text.dates import month_number

    text = _SPACES.sub(" ", sentence)
    if lang == "en":  # a comma groups thousands in English: "758,000"
        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    values: list[float] = []
    for m in _TOKEN.finditer(text):
        before, after = text[:m.start()], text[m.end():]
        previous = re.findall(r"[\w§]+", before[-12:])
        next_word = re.match(r"\s*([^\W\d_]+)", after)
        following = next_word.group(1) if next_word else ""
        if m.group(3) and (following[:1].islower() or re.match(r"\s*\d", after)):
            continue  # an ordinal or a date: "8. novembra", "19. stoletja", "15. 8. 2024"
        if after.startswith("-") and not m.group(2):  # "1960-as évek", "1998-ban": a year with a suffix
            if _is_year(m.group(1)):
                continue
        page = previous and previous[-1].casefold() in union("page_words")
        if page or (following and month_number(following, lang or "en")):
            continue  # "str. 12", "art. 5"; "30 listopada" (a date)
        if previous and month_number(previous[-1], lang or "en"):
            continue  # "november 30", "2024. november 30."
        if previous and previous[-1].casefold() in union("year_words") and not m.group(2):
            continue  # "leta 1000", "roku 400"
        if _is_year(m.group(1)) and (not m.group(2) or _is_year(m.group(2))) and _scale(following) == 1:
            continue  # "leta 1998", "1977–1981"
        if re.match(r"[:.]\d{2}\b", after) or re.match(r"\s*(?:h|uri|uro|óra|godz)\b", after):
            continue  # "12:30", "ob 12. uri"
        scale = _scale(following)
        low = _value(m.group(1)) * scale
        values.append(low)
        if m.group(2):
            values.append(_value(m.group(2)) * scale)
    values += _worded(text)
    return values


def english_values(sentence: str) -> list[float]:
    """Every value an English sentence gives: digits (with units, currencies and scale words
    attached or not), number words, decades ("the 1960s", "in his 20s")."""
    text = english_digits(sentence)
    values = []
    for m in re.finditer(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)([¼½¾])?\s?(?:-\s?)?([a-z]+)?", text):
        whole = float(m.group(1).replace(",", ""))
        value = whole + _FRACTIONS.get(m.group(2) or "", 0)  # "29¾"
        values += [value * _scale(m.group(3) or ""), value, whole]
    return values


_EN_SCALED = re.compile(r"(\d+(?:\.\d+)?)(?:(\s?[-–]\s?|\s+to\s+)(\d+(?:\.\d+)?))?\s?(thousand|million|billion|bn|m)\b")


def english_digits(sentence: str) -> str:
    """The sentence with its number words as digits ("forty-five thousand" → "45000")."""
    text = _SPACES.sub(" ", sentence)
    text = re.sub(r"(\d)\s(\d{3})\b", r"\1\2", text)  # "17 500" now and then in English too
    # "3.7 million", "4.2-3.9 million" before text2num, which reads "million" alone as 1000000
    text = _EN_SCALED.sub(_scaled, text)
    try:
        from text_to_num import alpha2digit

        return alpha2digit(text, "en")
    except Exception:  # a sentence text2num cannot take: the digits as written
        return text


def _scaled(m: re.Match[str]) -> str:
    """"4.2-3.9 million" → "4200000-3900000"; "11 to 12 thousand" → "11000 to 12000"."""
    low, between, high, scale = m.groups()
    digits = [f"{float(v) * _scale(scale):.0f}" for v in (low, high) if v]
    return (between or "").join(digits)


def _worded(text: str) -> list[float]:
    """Numbers written in words with a scale ("dvajset tisoč", "tízezer", "półtora miliona")."""
    words = re.findall(r"[^\W\d_]+", text.casefold())
    values = []
    for i, word in enumerate(words):
        compound = _hungarian_compound(word)
        if compound:
            values.append(compound)
            continue
        if word in _words() and i + 1 < len(words) and _scale(words[i + 1]) > 1:
            values.append(_words()[word] * _scale(words[i + 1]))
        elif word in _words() and _words()[word] >= 20:
            values.append(float(_words()[word]))
    return values


@lru_cache(maxsize=4096)
def _hungarian_compound(word: str) -> float:
    """"tízezer" → 10000, "nyolcezres" → 8000, "kétmillió" → 2000000; else 0."""
    for stem, scale in (("ezer", 1e3), ("millió", 1e6), ("milliárd", 1e9)):
        head, found, _rest = word.partition(stem)
        if found and head in _words() and head:
            return _words()[head] * scale
    return 0.0


def _scale(word: str) -> float:
    w = word.casefold().rstrip(".")
    if not w:
        return 1.0
    for stem, scale in _scales().items():
        if w == stem or (len(stem) >= 4 and w.startswith(stem)):
            return scale
    return 1.0


def _value(token: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?", token):
        token = token.replace(" ", "").replace(".", "")
    return float(token.replace(",", "."))


def _is_year(token: str) -> bool:
    return bool(re.fullmatch(r"(1[5-9]|20)\d{2}", token))
