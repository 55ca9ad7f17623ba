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
from functools import lru_cache

_SPACES = re.compile(r"[\u00a0\u202f\u2009\u2007]")  # no-break, narrow and thin spaces group thousands
_SCALES = {  # stems: inflected endings follow ("milijonov", "tysięcy", "milliárdos")
    "tisoč": 1e3, "tisuć": 1e3, "tisíc": 1e3, "tysiąc": 1e3, "tysięc": 1e3, "tys": 1e3, "ezer": 1e3, "tausend": 1e3,
    "thousand": 1e3, "milijon": 1e6, "milijun": 1e6, "milion": 1e6, "millió": 1e6, "million": 1e6, "mln": 1e6,
    "mio": 1e6, "milijard": 1e9, "miliard": 1e9, "milliárd": 1e9, "milliard": 1e9, "mld": 1e9, "mrd": 1e9,
    "billion": 1e9, "bn": 1e9,
}
_WORDS = {  # number words that count on their own, by language family; small ones only with a scale
    "ena": 1, "en": 1, "eno": 1, "dva": 2, "dve": 2, "tri": 3, "štiri": 4, "pet": 5, "šest": 6, "sedem": 7, "osem": 8,
    "devet": 9, "deset": 10, "dvajset": 20, "trideset": 30, "štirideset": 40, "petdeset": 50, "šestdeset": 60,
    "sedemdeset": 70, "osemdeset": 80, "devetdeset": 90, "sto": 100, "dvesto": 200, "tristo": 300,
    "egy": 1, "két": 2, "kettő": 2, "három": 3, "négy": 4, "öt": 5, "hat": 6, "hét": 7, "nyolc": 8, "kilenc": 9,
    "tíz": 10, "húsz": 20, "harminc": 30, "negyven": 40, "ötven": 50, "hatvan": 60, "hetven": 70, "nyolcvan": 80,
    "kilencven": 90, "száz": 100, "kétszáz": 200, "háromszáz": 300,
    "jeden": 1, "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4, "pięć": 5, "sześć": 6, "siedem": 7, "osiem": 8,
    "dziewięć": 9, "dziesięć": 10, "dwadzieścia": 20, "trzydzieści": 30, "czterdzieści": 40, "pięćdziesiąt": 50,
    "dwieście": 200,
    "jedna": 1, "dvije": 2, "četiri": 4, "dvadeset": 20,
    "půl": 0.5, "pol": 0.5, "pola": 0.5, "pół": 0.5, "fél": 0.5, "półtora": 1.5, "poldrugi": 1.5, "másfél": 1.5,
}
_PAGE = {"str", "s", "p", "pp", "stran", "strani", "oldal", "old", "seite", "page", "art", "čl", "ust", "odst", "§"}
_YEAR_WORDS = {"leta", "letu", "leto", "roku", "rok", "godine", "godina", "roce", "jahr", "jahre", "year", "évben"}
_FRACTIONS = {"¼": 0.25, "½": 0.5, "¾": 0.75}
# a number token: grouped thousands ("10 000", "10.000"), a decimal, a plain integer; a range
_NUM = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_TOKEN = re.compile(rf"(?<![\w.,/:])({_NUM})(?:\s?[-–]\s?({_NUM}))?(\.?)(?![\d])")


def figures_in_original(sentence: str, lang: str = "") -> list[float]:
    """The figures of a sentence in a source language (decimal comma; thousands by space or dot)."""
    from polybrief.dates import month_number

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
        if (previous and previous[-1].casefold() in _PAGE) or (following and month_number(following, lang or "en")):
            continue  # "str. 12", "art. 5"; "30 listopada" (a date)
        if previous and month_number(previous[-1], lang or "en"):
            continue  # "november 30", "2024. november 30."
        if previous and previous[-1].casefold() in _YEAR_WORDS and not m.group(2):
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
        if word in _WORDS and i + 1 < len(words) and _scale(words[i + 1]) > 1:
            values.append(_WORDS[word] * _scale(words[i + 1]))
        elif word in _WORDS and _WORDS[word] >= 20:
            values.append(float(_WORDS[word]))
    return values


@lru_cache(maxsize=4096)
def _hungarian_compound(word: str) -> float:
    """"tízezer" → 10000, "nyolcezres" → 8000, "kétmillió" → 2000000; else 0."""
    for stem, scale in (("ezer", 1e3), ("millió", 1e6), ("milliárd", 1e9)):
        head, found, _rest = word.partition(stem)
        if found and head in _WORDS and head:
            return _WORDS[head] * scale
    return 0.0


def _scale(word: str) -> float:
    w = word.casefold().rstrip(".")
    if not w:
        return 1.0
    for stem, scale in _SCALES.items():
        if w == stem or (len(stem) >= 4 and w.startswith(stem)):
            return scale
    return 1.0


def _value(token: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?", token):
        token = token.replace(" ", "").replace(".", "")
    return float(token.replace(",", "."))


def _is_year(token: str) -> bool:
    return bool(re.fullmatch(r"(1[5-9]|20)\d{2}", token))
