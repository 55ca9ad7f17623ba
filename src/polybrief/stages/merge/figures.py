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
from collections.abc import Sequence

from polybrief.records import Article, Figure, FigureCheck, Translation
from polybrief.stages.merge.facts import anchor
from polybrief.text.numbers import english_values, figures_in_original

_SCALE_EN = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_WORDS_EN = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_WORDS_EN |= {"twenty": 20, "fifty": 50, "hundred": 100}
_SAME = {"troop": "soldier", "troops": "soldier", "soldiers": "soldier", "missiles": "missile", "rockets": "missile",
         "rocket": "missile", "people": "person", "persons": "person"}
_NOT_NOUN = {"have", "has", "had", "are", "is", "was", "were", "will", "would", "could", "can", "been", "and", "or",
             "in", "on", "at", "to", "from", "by", "for", "with", "per", "a", "an"}
_SKIP = {"north", "south", "korean", "russian", "ukrainian", "american", "new", "more", "than", "of", "the", "about",
         "around", "some", "other", "additional", "last", "first", "km", "years", "year", "percent", "per"}


def figures_in(sentence: str) -> list[tuple[float, float, str, str]]:
    """(low, high, counted noun, matched text) for each quantity of an English sentence."""
    found = []
    words = sentence.replace(", ", " , ").split()  # as written: the figure is shown in its words
    i = 0
    while i < len(words):
        value = _english_value(words, i)
        if value is None:
            i += 1
            continue
        low, high, used = value
        noun, span = _head_noun(words[i + used:i + used + 4])
        if noun and noun not in _NOT_COUNTS and not _a_year_or_a_code(words[i], low, high) \
                and not _an_identifier(words, i, used) and (high <= 1 or _plural(words[i + used + span - 1])):
            found.append((low, high, noun, " ".join(words[i:i + used + span]).strip(".,;:")))
        i += used
    return found


# time spans, frequencies, ages, pages, scores: no count of one thing that sources could dispute
_NOT_COUNTS = frozenset(
    "year month week day hour minute second decade century time ago old page percent percentage point "
    "am pm a.m p.m o'clock th st nd rd square section article paragraph chapter version".split())


def _a_year_or_a_code(word: str, low: float, high: float) -> bool:
    """1958 (a year), 390-7614 (a phone number), 6-3 (a score): numbers that count nothing."""
    year = re.fullmatch(r"\(?(1[89]|20)\d\d\W*", word) is not None and low == high
    return year or high < low or high > 10 * low


_PLURALS = frozenset("people children men women police staff personnel cattle troops".split())


def _plural(word: str) -> bool:
    w = word.lower().strip(".,;:()\"'")
    return w.endswith("s") or w in _PLURALS


def _an_identifier(words: list[str], i: int, used: int) -> bool:
    """A number that names rather than counts: "Boeing 767", "Section 823", "50 Kmart stores",
    "one of the largest" (a capitalised word before it or as its noun, or a superlative after it)."""
    before = words[i - 1] if i else ""
    after = words[i + used] if i + used < len(words) else ""
    capital_before = i > 0 and before[:1].isupper() and not before.endswith((".", ":", '"'))
    named_after = after[:1].isupper() and after.lower().strip(".,;:") not in _SKIP  # not "North Korean"
    return capital_before or named_after or after.lower() == "of" or after.lower().endswith("est")


def _english_value(words: list[str], i: int):
    word = words[i].lower().strip("(").rstrip(".,;:")
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:[-–](\d+(?:\.\d+)?))?", word)
    if m:
        low = float(m.group(1).replace(",", ""))
        high = float(m.group(2)) if m.group(2) else low
        used = 1
    elif (spelled := _spelled_number(words, i)) is not None:
        low = high = spelled[0]
        used = spelled[1]
    else:
        return None
    if (i + used + 1 < len(words) and words[i + used].lower() in ("to", "-", "–")
            and _english_value_start(words[i + used + 1])):
        nxt = words[i + used + 1].lower()
        high = float(nxt.replace(",", "")) if nxt.replace(",", "").replace(".", "").isdigit() else float(_WORDS_EN[nxt])
        used += 2
    if i + used < len(words) and words[i + used].lower() in _SCALE_EN:
        scale = _SCALE_EN[words[i + used].lower()]
        low, high, used = low * scale, high * scale, used + 1
    return low, high, used


_NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million "
    "billion".split())


def _spelled_number(words: list[str], i: int) -> tuple[float, int] | None:
    """A number in words from words[i] on ("Thirty", "forty-five thousand"), read by text2num."""
    run: list[str] = []
    for word in words[i:]:
        w = word.lower().strip(".,;:()\"'")
        if all(part in _NUMBER_WORDS for part in w.split("-")) or (w == "and" and run):
            run.append(w)
            if word[-1:] in ",.;:":
                break
        else:
            break
    while run and run[-1] == "and":
        run.pop()
    if not run:
        return None
    from text_to_num import text2num

    try:
        return float(text2num(" ".join(run), "en")), len(run)
    except ValueError:  # words that make no one number ("one two")
        return (float(_WORDS_EN[run[0]]), 1) if run[0] in _WORDS_EN else None


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


def lost_figures(original: str, english: str, lang: str) -> list[float]:
    """Figures (10 and up) of the original that its English does not give; none where the
    original is English (nothing was translated, so nothing can be lost)."""
    if lang == "en" or original == english:
        return []
    given = set(english_values(english))
    return [v for v in figures_in_original(original, lang) if v >= 10 and not _close(v, given)]


def compare_figures(cited: Sequence[tuple[int, Article, Translation]],
                    ) -> tuple[tuple[Figure, ...], tuple[FigureCheck, ...]]:
    """(figures of the same thing that differ across sources, figures lost in translation)."""
    by_noun: dict[str, list[Figure]] = defaultdict(list)
    lost: list[FigureCheck] = []
    sentences: dict[tuple[int, str], str] = {}
    for number, _article, translation in cited:
        for p, para in enumerate(translation.paragraphs):
            for s, pair in enumerate(para):
                sentences[(number, anchor(p, s))] = pair.en
                english = figures_in(pair.en)
                for low, high, noun, text in english:
                    by_noun[noun].append(Figure(low, high, noun, text, who_said(pair.en, text), number, anchor(p, s)))
                missing = lost_figures(pair.src, pair.en, translation.lang)
                if missing:
                    lost.append(FigureCheck(number, anchor(p, s), pair.src, pair.en, missing[0]))
    differ = [f for noun, figs in sorted(by_noun.items()) for f in _one_thing(figs, sentences)]
    return tuple(differ), tuple(lost)


def _one_thing(figures: list[Figure], sentences: dict[tuple[int, str], str]) -> list[Figure]:
    """The figures of a noun that count one thing in one context, where two sources disagree:
    a pair from different sources, worded differently (one report copied is one figure), whose
    surroundings (four words each side) share a content word ("planted", "killed", "arrested")
    and whose sentences name the same names ("North Korean soldiers in Russia"; not "94,000 dead
    in Indonesia" beside "28,000 dead in Sri Lanka")."""
    context = {id(f): _context(sentences[(f.source, f.anchor)], f.text) for f in figures}
    shown: dict[int, Figure] = {}
    for k, f in enumerate(figures):
        for g in figures[k + 1:]:
            if g.source == f.source or (f.low, f.high) == (g.low, g.high):
                continue
            if sentences[(f.source, f.anchor)] == sentences[(g.source, g.anchor)]:
                continue
            (words_f, names_f), (words_g, names_g) = context[id(f)], context[id(g)]
            same_names = names_f & names_g if names_f or names_g else {"-"}
            if words_f & words_g and same_names:
                shown[id(f)], shown[id(g)] = f, g
    return sorted(shown.values(), key=lambda f: (f.source, f.low))


def _context(sentence: str, figure_text: str, reach: int = 4) -> tuple[set[str], frozenset[str]]:
    """(content words, names) of the words around a figure in its sentence."""
    from polybrief.text.names import names_in

    words = sentence.split()
    head = figure_text.split()[0] if figure_text else ""
    at = next((k for k, w in enumerate(words) if w.startswith(head)), 0)
    size = len(figure_text.split())
    # the figure's own qualifiers count ("North Korean" soldiers), its number and noun do not
    qualifiers = figure_text.split()[1:-1]
    window = " ".join(words[max(0, at - reach):at] + qualifiers + words[at + size:at + size + reach])
    return _content_words(window) - _content_words(" ".join(_SCALE_EN)), names_in(sentence)


def _content_words(sentence: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]{4,}", sentence.casefold())} - _FUNCTION_WORDS


_FUNCTION_WORDS = frozenset(w[:5] for w in (
    "that this these those there their they them then than with from have been were will would could "
    "should about after before into over under more most some such also said says according which what "
    "when where while other another only just very much many least total combined overall estimated nearly "
    "almost some more than over under").split())


def who_said(sentence: str, figure_text: str = "") -> str:
    """Who a sentence cites for a figure: "according to X", "X said", "said X"
    (`polybrief.text.speakers`); "" where it cites nobody (the first name in the sentence is often the
    place or the thing counted, not a source)."""
    from polybrief.text.names import names_in
    from polybrief.text.speakers import attributed

    names = frozenset(n for n in names_in(sentence) if n not in figure_text.casefold())
    return attributed(sentence, names)


def _close(value: float, candidates: set[float]) -> bool:
    return any(abs(value - c) <= 0.01 * max(1.0, abs(value)) for c in candidates)
