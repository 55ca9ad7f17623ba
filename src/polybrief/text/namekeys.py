"""Name keys: one spelling for a name across scripts, languages and inflections.

The same man is "Kim Jong-un" (sl), "Kim Dzsongun" (hu) and "Kim Dzong Un" (pl); the same
minister "Лавров", "Lavrova" and "Ławrow". Compared as written they share nothing, and the names
signal of clustering is blind exactly where stories cross languages. A key is made for each name:

1. transliterated to ASCII (`anyascii`: Cyrillic, Greek and diacritics alike), case-folded, and
   joined where a name is written in one word or two ("Dzsongun", "Dzong Un", "Jong-un");
2. each word's inflection cut off: the longest Slavic case or surname ending that leaves a stem of
   three letters ("Lavrova" → lavr, "Mayové" → may, "Putinem" → putin), a measured rule: no
   lemmatiser knows foreign names (simplemma leaves "Lavrova", "Ławrowa" and "Putina" as they are);
3. written as a consonant skeleton after a few transliteration folds (dzs/dzh/dz → j, w → v,
   x → ks, z → s, th → t; vowels and h dropped after the first letter): "Tramp"/"Trump" → trmp,
   "Dzhonson"/"Johnson" → jnsn, "Brekzit"/"Brexit" → brkst.

A name of several words also gives the keys of its last word and its last two (a surname mentioned
alone; a name behind a title that no list knows). Measured with
`python bench/names.py --across` on name variants taken from bsnlp_dev and the seed articles.
"""

from __future__ import annotations

import re
from functools import lru_cache

from polybrief.text.names import names_in

# case endings of the Slavic languages (ASCII-folded) and the Czech/Slovene/Slovak surname forms;
# the longest that leaves a stem of MIN_STEM letters is cut
_ENDINGS = sorted(set(
    "ovoyu ovou ovej ovoi ovoy ovem ovym ovim ovou ove ova ovi ovo ovu ov owa owi ow "
    "jeva jeve jevi jevo eva eve evi evo ev "
    "iyu iya iye ego ega ogo emu omu owi ami ach ow "
    "ij iy yj yy om em ym im oyu oi oy ou yu ju ja ia ii ie ei ya ye yi "
    "a e i o u y".split()), key=len, reverse=True)
MIN_STEM = 3
# transliteration folds, in order: different romanisations of one sound become one letter
_FOLDS = (("dzs", "j"), ("dzh", "j"), ("dz", "j"), ("zs", "z"), ("sch", "s"), ("sz", "s"), ("sh", "s"), ("cz", "c"),
          ("kh", "h"), ("aj", "ay"), ("oj", "oy"), ("ej", "ey"), ("uj", "uy"), ("ij", "iy"),
          ("th", "t"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("x", "ks"), ("q", "k"), ("z", "s"),
          ("ts", "c"))
_VOWELS = re.compile(r"[aeiouyh]")
_DOUBLE = re.compile(r"(.)\1+")
MIN_KEY = 2


def name_keys(text: str) -> frozenset[str]:
    """The keys of the names a text gives (the text in any script and language)."""
    from anyascii import anyascii

    keys: set[str] = set()
    for name in names_in(anyascii(text)):
        keys.update(_keys_of(name))
    return frozenset(keys)


@lru_cache(maxsize=65536)
def _keys_of(name: str) -> tuple[str, ...]:
    stems = [s for s in (_stem(w) for w in name.split()) if s]
    whole = _skeleton("".join(stems))
    keys = [whole] if len(whole) >= MIN_KEY else []
    # the last word and the last two: a surname alone, a name behind a title no list knows
    # ("Премиерът Тереза Мей")
    for tail in ((stems[-1:], stems[-2:]) if len(stems) > 1 else ()):
        key = _skeleton("".join(tail))
        if len(key) > MIN_KEY and key != whole:
            keys.append(key)
    return tuple(keys)


def keys_of_name(name: str) -> frozenset[str]:
    """One name's keys (written in any script): two names meet when their keys do."""
    from anyascii import anyascii

    return frozenset(_keys_of(" ".join(anyascii(name).casefold().split())))


def _stem(word: str) -> str:
    """The word in ASCII letters, case-folded, without its inflection, doubled letters single."""
    letters = _DOUBLE.sub(r"\1", re.sub(r"[^a-z]", "", word.casefold()))
    for _ in range(2):  # a case ending on a surname form: "Lavrov-u", then "Lavr-ov"
        ending = next((e for e in _ENDINGS if letters.endswith(e) and len(letters) - len(e) >= MIN_STEM), "")
        letters = letters[: len(letters) - len(ending)]
    return letters


def _skeleton(stem: str) -> str:
    for written, sound in _FOLDS:
        stem = stem.replace(written, sound)
    return stem[:1] + _VOWELS.sub("", stem[1:])
