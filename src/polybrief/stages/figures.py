"""Figures: quantities with what they count and who is cited for them, compared across sources.

A reader's first question about a multi-source story is which numbers the sources disagree on.
Quantities are read from the English (one grammar for every source language) and checked against
the original sentence, where numbers are written the local way (`10.000`, `11-12 ezer`,
`osem tisoč`): a figure of the original that is missing from the translation is flagged, since a
mistranslated number is the worst error a briefing can carry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Sequence

from polybrief.records import Article, Figure, FigureCheck, Translation
from polybrief.stages.facts import anchor

_SCALE_EN = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_WORDS_EN = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())} | {"twenty": 20, "fifty": 50, "hundred": 100}
# scale words and small number words of the source languages polybrief ships models for
_SCALE_SRC = {
    "tisoč": 1e3, "tisoče": 1e3, "tisočev": 1e3, "milijon": 1e6, "milijona": 1e6, "milijone": 1e6,
    "milijoni": 1e6, "milijonov": 1e6, "milijard": 1e9,
    "ezer": 1e3, "ezren": 1e3, "millió": 1e6, "milliárd": 1e9,
    "tysiąc": 1e3, "tysiące": 1e3, "tysięcy": 1e3, "tys": 1e3, "milion": 1e6, "miliony": 1e6, "milionów": 1e6, "mld": 1e9,
    "tausend": 1e3, "millionen": 1e6, "million": 1e6, "milliarden": 1e9,
}
_WORDS_SRC = {
    "ena": 1, "en": 1, "dva": 2, "dve": 2, "tri": 3, "štiri": 4, "pet": 5, "šest": 6, "sedem": 7, "osem": 8, "devet": 9, "deset": 10,
    "egy": 1, "két": 2, "kettő": 2, "három": 3, "négy": 4, "öt": 5, "hat": 6, "hét": 7, "nyolc": 8, "kilenc": 9, "tíz": 10,
    "jeden": 1, "dwa": 2, "trzy": 3, "cztery": 4, "pięć": 5, "sześć": 6, "siedem": 7, "osiem": 8, "dziewięć": 9, "dziesięć": 10,
}
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,\s]\d{3})+|\d+(?:[.,]\d+)?)(?:\s*[-–]\s*(\d+(?:[.,]\d+)?))?(?![\w])")
_SAME = {"troop": "soldier", "troops": "soldier", "soldiers": "soldier", "missiles": "missile", "rockets": "missile",
         "rocket": "missile", "people": "person", "persons": "person"}
_NOT_NOUN = {"have", "has", "had", "are", "is", "was", "were", "will", "would", "could", "can", "been", "and", "or",
             "in", "on", "at", "to", "from", "by", "for", "with", "per", "a", "an"}
_SKIP = {"north", "south", "korean", "russian", "ukrainian", "american", "new", "more", "than", "of", "the", "about",
         "around", "some", "other", "additional", "last", "first", "km", "years", "year", "percent", "per"}


def figures_in(sentence: str) -> list[tuple[float, float, str, str]]:
    """(low, high, counted noun, matched text) for each quantity of an English sentence."""
    found = []
    words = sentence.replace(", ", " , ").split()
    i = 0
    while i < len(words):
        value = _english_value(words, i)
        if value is None:
            i += 1
            continue
        low, high, used = value
        noun, span = _head_noun(words[i + used:i + used + 4])
        if noun:
            found.append((low, high, noun, " ".join(words[i:i + used + span]).strip(".,;:")))
        i += used
    return found


def _english_value(words: list[str], i: int):
    word = words[i].lower().strip("(").rstrip(".,;:")
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:[-–](\d+(?:\.\d+)?))?", word)
    if m:
        low = float(m.group(1).replace(",", ""))
        high = float(m.group(2)) if m.group(2) else low
        used = 1
    elif word in _WORDS_EN:
        low = high = float(_WORDS_EN[word])
        used = 1
    else:
        return None
    if i + used + 1 < len(words) and words[i + used].lower() in ("to", "-", "–") and _english_value_start(words[i + used + 1]):
        nxt = words[i + used + 1].lower()
        high = float(nxt.replace(",", "")) if nxt.replace(",", "").replace(".", "").isdigit() else float(_WORDS_EN[nxt])
        used += 2
    if i + used < len(words) and words[i + used].lower() in _SCALE_EN:
        scale = _SCALE_EN[words[i + used].lower()]
        low, high, used = low * scale, high * scale, used + 1
    return low, high, used


def _english_value_start(word: str) -> bool:
    w = word.lower()
    return bool(re.fullmatch(r"\d[\d,.]*", w)) or w in _WORDS_EN


def _head_noun(following: list[str]) -> tuple[str, int]:
    """The counted noun after a number (skipping adjectives of nationality and the like), and
    how many words it took."""
    for k, word in enumerate(following, 1):
        w = word.lower().strip(".,;:()\"'")
        if not w.isalpha() or w in _NOT_NOUN:
            return "", 0
        if w in _SKIP:
            continue
        return _SAME.get(w, w[:-1] if w.endswith("s") and len(w) > 3 else w), k
    return "", 0


def source_values(sentence: str) -> list[float]:
    """Every number of an original-language sentence, with local separators and scale words."""
    values = []
    tokens = [t.strip(".,;:()»«\"„“”") for t in sentence.lower().replace("-", " - ").replace("–", " - ").split()]
    for i, t in enumerate(tokens):
        scale = _SCALE_SRC.get(tokens[i + 1], 1) if i + 1 < len(tokens) else 1
        if scale == 1 and i + 3 < len(tokens) and tokens[i + 1] == "-":  # "11-12 ezer": both scaled
            scale = _SCALE_SRC.get(tokens[i + 3], 1)
        if re.fullmatch(r"\d{1,3}(?:[.\s]\d{3})+", t):
            values.append(float(t.replace(".", "").replace(" ", "")) * scale)
        elif re.fullmatch(r"\d+(?:,\d+)?", t):
            values.append(float(t.replace(",", ".")) * scale)
        elif t in _WORDS_SRC and scale > 1:
            values.append(_WORDS_SRC[t] * scale)
    return values


def compare_figures(cited: Sequence[tuple[int, Article, Translation]]) -> tuple[tuple[Figure, ...], tuple[FigureCheck, ...]]:
    """(figures of the same thing that differ across sources, figures lost in translation)."""
    by_noun: dict[str, list[Figure]] = defaultdict(list)
    lost: list[FigureCheck] = []
    for number, _article, translation in cited:
        for p, para in enumerate(translation.paragraphs):
            for s, pair in enumerate(para):
                english = figures_in(pair.en)
                for low, high, noun, text in english:
                    by_noun[noun].append(Figure(low, high, noun, text, who_said(pair.en, text), number, anchor(p, s)))
                english_values = {v for low, high, _n, _t in english for v in (low, high)} | set(_plain_numbers(pair.en))
                missing = [v for v in source_values(pair.src) if v >= 10 and not _close(v, english_values)]
                if missing:
                    lost.append(FigureCheck(number, anchor(p, s), pair.src, pair.en, missing[0]))
    differ = [f for noun, figs in sorted(by_noun.items()) if len({f.source for f in figs}) > 1 and _disagree(figs)
              for f in sorted(figs, key=lambda f: (f.source, f.low))]
    return tuple(differ), tuple(lost)


_NAME = r"([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)"
_VERBS = r"(?:said|says|warned|estimated|estimates|told|claimed|claims|stated|reported|reports|added|believes)"
_ATTRIBUTION = [
    re.compile(rf"\b[Aa]ccording to (?:the )?{_NAME}"),
    re.compile(rf"{_NAME},?\s+{_VERBS}\b"),
    re.compile(rf"\b{_VERBS}\s+(?:the )?{_NAME}"),
]


def who_said(sentence: str, figure_text: str = "") -> str:
    """Who a sentence cites: "according to X", "X said", "said X"; else its first other name."""
    from polybrief.names import names_in

    for pattern in _ATTRIBUTION:
        for match in pattern.finditer(sentence):
            name = match.group(1)
            if name not in figure_text and name.split()[0] not in ("The", "It", "He", "She", "They", "We"):
                return name
    names = [n for n in sorted(names_in(sentence), key=sentence.casefold().find) if n not in figure_text.casefold()]
    if not names:
        return ""
    start = sentence.casefold().find(names[0])
    return sentence[start:start + len(names[0])]


def _plain_numbers(text: str) -> list[float]:
    """Numbers written with digits, counting nothing in particular (years, ages, shares)."""
    return [float(m.group(1).replace(",", "").replace(" ", "")) for m in _NUMBER.finditer(text)]


def _close(value: float, candidates: set[float]) -> bool:
    return any(abs(value - c) <= 0.01 * max(1.0, abs(value)) for c in candidates)


def _disagree(figures: list[Figure]) -> bool:
    ranges = {(f.low, f.high) for f in figures}
    return len(ranges) > 1
