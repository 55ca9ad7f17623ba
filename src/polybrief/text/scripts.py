"""Words written in two scripts: Cyrillic words with Latin look-alike letters ("пpoфил нa" with a
Latin p, o and a), a trick of copy-pasted or deliberately obfuscated pages, or the reverse.

lingua reads such text by its Latin letters and called a Bulgarian article that was 44 % Latin
homoglyphs Spanish at confidence 1.00, and a translation model reads the words as unknown. Each
mixed word is folded to the script its unambiguous letters are written in ("ф", "и" or "л" have no
Latin twin; "a", "o", "p" have a Cyrillic one). A lower-case word of look-alikes only ("a", "co")
is folded to the text's script when the text's unambiguous letters are (nearly) all in one: that
is the Bulgarian "а" and "с". Capitalised ones ("CEO", "Coca") and words whose unambiguous letters
are in both scripts are left as they are.

The table is the letters that look the same in print in both scripts (Unicode's confusables list
maps such letters to a shared skeleton, not to one script, so it cannot say what to fold to).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Latin letter → its Cyrillic twin
_TWINS = dict(zip("ABCEHKMOPTXYaceopxy", "АВСЕНКМОРТХУасеорху", strict=True))
_HAS_TWIN = frozenset(_TWINS) | frozenset(_TWINS.values())
_TO_CYRILLIC = str.maketrans(_TWINS)
_TO_LATIN = str.maketrans({cyrillic: latin for latin, cyrillic in _TWINS.items()})
_WORD = re.compile(r"\w+")


@cache
def _script(letter: str) -> str:
    name = unicodedata.name(letter, "")
    return "latin" if name.startswith("LATIN") else "cyrillic" if name.startswith("CYRILLIC") else ""


TEXT_SCRIPT_SHARE = 0.9  # of a text's unambiguous letters, for its look-alike-only words to follow it


def _fold_word(word: str, text_script: str) -> str:
    # the script of the letters that have no twin in the other one
    sure = {_script(c) for c in word if c not in _HAS_TWIN} - {""}
    if not sure and word.islower():
        sure = {text_script}
    if sure == {"cyrillic"}:
        return word.translate(_TO_CYRILLIC)
    if sure == {"latin"}:
        return word.translate(_TO_LATIN)
    return word


def _text_script(text: str) -> str:
    counts = {"latin": 0, "cyrillic": 0, "": 0}
    for c in text:
        if c.isalpha() and c not in _HAS_TWIN:
            counts[_script(c)] += 1
    total = counts["latin"] + counts["cyrillic"]
    return next((s for s in ("latin", "cyrillic") if total and counts[s] >= TEXT_SCRIPT_SHARE * total), "")


def fold_mixed_scripts(text: str) -> str:
    """`text` with each word written in two scripts folded to the one its sure letters say."""
    if text.isascii():
        return text
    text_script = _text_script(text)

    def fold(match: re.Match[str]) -> str:
        word = match.group(0)
        scripts = {_script(c) for c in word} - {""}
        if scripts == {"latin", "cyrillic"} or (scripts and text_script and scripts != {text_script}
                                                 and all(c in _HAS_TWIN for c in word if c.isalpha())):
            return _fold_word(word, text_script)
        return word

    return _WORD.sub(fold, text)


def mixed_script_words(text: str) -> int:
    """How many words mix Latin and Cyrillic letters."""
    return sum(1 for word in _WORD.findall(text) if {_script(c) for c in word} >= {"latin", "cyrillic"})
