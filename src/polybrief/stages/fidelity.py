"""Translation check: does each sentence's English say what its original says?

The multilingual encoder reads the original and the English of every translated sentence; a pair
is doubted ("differs": hallucinated, or another sentence's meaning) when its cosine falls below
`multilingual.check_threshold`, when the English is closer (by `SWAP_MARGIN`) to another original
sentence of the same article than to its own, or when a middling cosine (under the threshold + `MIDDLING`) comes
with English far longer or shorter than translations are (`LENGTHS`). Three failures the cosine
cannot see are caught by rule: English that is the original copied, or no English at all
("untranslated": the cosine of a text with itself is 1, and source-language fragments keep much
of it), a phrase the English repeats and the original does not ("repeated": a decoder stuck in a
loop), and English far shorter than its original ("cut"). Measured on WMT09 news (headlines
included) and FLORES (bench/multilingual.py check): false alarms on human translations, and the
share of broken English caught.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from polybrief.engines.multilingual import MultilingualEncoder
from polybrief.records import Doubt, Translation
from polybrief.stages.merge.facts import anchor
from polybrief.text.segment import SENTENCE_ENDS


def check_translations(translations: Sequence[Translation], encoder: MultilingualEncoder,
                       threshold: float) -> tuple[Translation, ...]:
    """The translations with their doubted sentences named (`Translation.doubts`); English
    articles (nothing translated) pass as they are."""
    import dataclasses

    pairs = [(t.article_id, anchor(p, s), pair) for t in translations if t.model
             for p, para in enumerate(t.paragraphs) for s, pair in enumerate(para) if pair.src.strip()]
    if not pairs:
        return tuple(translations)
    scores, closest_other = _scores([pair.src for _i, _a, pair in pairs], [pair.en for _i, _a, pair in pairs],
                                    [i for i, _a, _p in pairs], encoder)
    doubts: dict[str, list[Doubt]] = {}
    for (article_id, where, pair), score, other in zip(pairs, scores, closest_other, strict=False):
        reason = doubt_of(pair.src, pair.en, float(score), threshold, float(other))
        if reason:
            doubts.setdefault(article_id, []).append(Doubt(where, reason, round(float(score), 3)))
    return tuple(dataclasses.replace(t, doubts=tuple(doubts.get(t.article_id, ()))) for t in translations)


SHORT_LINE = 10  # words: a headline or a short line has no function words and may repeat itself


def _scores(originals: Sequence[str], english: Sequence[str], articles: Sequence[str], encoder: MultilingualEncoder):
    """Each pair's cosine, and the English's best cosine with another original of its article."""
    import numpy as np

    vectors = np.asarray(encoder.passages([*originals, *english]))
    n = len(originals)
    src, en = vectors[:n], vectors[n:]
    own = (src * en).sum(axis=1)
    other = np.full(n, -1.0)
    by_article: dict[str, list[int]] = {}
    for i, article in enumerate(articles):
        by_article.setdefault(article, []).append(i)
    for rows in by_article.values():
        if len(rows) > 1:
            cosines = en[rows] @ src[rows].T
            np.fill_diagonal(cosines, -1.0)
            other[rows] = cosines.max(axis=1)
    return own, other


SWAP_MARGIN = 0.03  # closer to another original than to its own by this much: a swapped sentence
CUT = 0.5  # English under half its original's length (of 60 characters or more) is cut
MIDDLING = 0.02  # a cosine this little above the threshold is middling ...
LENGTHS = (0.7, 1.5)  # ... and doubted with English/original lengths outside these
# (true pairs of WMT09 news and FLORES: 0.1 % under 0.52 of the length, 0.5 % over 1.74 / 1.38-1.44)


def doubt_of(original: str, english: str, score: float, threshold: float, closest_other: float = -1.0) -> str:
    """Why the English may not say what the original says, or "" when nothing is wrong.

    The rules for English without English words and for phrases repeated apart hold for sentences
    only: a headline ("Lockheed Martin F-35 fighters") or a short line has no function words, and
    rhetoric repeats itself ("fed up with …, fed up with …, fed up with …") where the original
    does too. Measured on WMT09 news and FLORES (bench/multilingual.py check)."""
    words_src, words_en = original.split(), english.split()
    sentence = _is_sentence(original)
    if len(words_src) >= 4 and (_same_text(original, english) or (sentence and _not_english(words_en))):
        return "untranslated"
    if _loops(words_en, anywhere=sentence and not _repeats_a_word(words_src)) and not _loops(words_src):
        return "repeated"
    if len(original) >= 60 and len(english) < CUT * len(original):
        return "cut"
    ratio = len(english) / max(1, len(original))
    middling = score < threshold + MIDDLING and not LENGTHS[0] <= ratio <= LENGTHS[1]
    return "differs" if score < threshold or closest_other > score + SWAP_MARGIN or middling else ""


def _is_sentence(text: str) -> bool:
    """A line of SHORT_LINE words or more that ends as a sentence does (not a headline)."""
    return len(text.split()) >= SHORT_LINE and text.rstrip("\"'”’»)]} ").endswith(SENTENCE_ENDS)


def _same_text(a: str, b: str) -> bool:
    """Most of the original's own words (not names, not numbers) are in the English as written."""
    words_a = {w.casefold() for w in re.findall(r"[^\W\d_]+", a) if not w[0].isupper()}
    words_b = {w.casefold() for w in re.findall(r"[^\W\d_]+", b)}
    return len(words_a) >= 3 and len(words_a & words_b) / len(words_a) >= 0.8


def _repeats_a_word(words: list[str]) -> bool:
    folded = Counter(w.casefold().strip(".,;:!?\"'") for w in words if len(w.strip(".,;:!?\"'")) >= 2)
    return any(n >= 3 for n in folded.values())


# the words no English sentence of six words or more goes without
_ENGLISH = frozenset(
    "the a an of to in on at by for with from and or but not no is are was were be been has have had "
    "will would can could that this these those it its he she they we you i his her their our who which "
    "what as than also said says after before over into about up out more".split())


def _not_english(words: list[str]) -> bool:
    """English text of six words or more uses some of its commonest words; noise and text left in
    the source language do not."""
    folded = [w.casefold().strip(".,;:!?\"'()") for w in words]
    return len(folded) >= 6 and not _ENGLISH.intersection(folded)


def _loops(words: list[str], anywhere: bool = True) -> bool:
    """A decoder stuck in a loop: a phrase of up to four words three times in a row ("the the
    the", "in the city in the city in the city"), a piece of a word three times over inside it
    ("jevjevjev"), or (`anywhere`) a three-word phrase three times anywhere.
    A word a sentence uses three times ("dark matter ... other dark matter") is no loop."""
    folded = [w.casefold().strip(".,;:!?\"'") for w in words]
    if any(re.search(r"([^\W\d_]{2,})\1\1", w) for w in folded):  # "redstavnikredstavnikredstavnik"
        return True
    for n in (1, 2, 3, 4):
        for k in range(len(folded) - 3 * n + 1):
            if folded[k:k + n] == folded[k + n:k + 2 * n] == folded[k + 2 * n:k + 3 * n]:
                return True
    grams = Counter(tuple(folded[k:k + 3]) for k in range(len(folded) - 2))
    return anywhere and any(count >= 3 for count in grams.values())


def check_counts(translations: Sequence[Translation]) -> dict[str, Any]:
    """What run.json says of the check: sentences checked, doubted, and why."""
    checked = sum(len(para) for t in translations if t.model for para in t.paragraphs)
    reasons = Counter(d.reason for t in translations for d in t.doubts)
    return {"sentences_checked": checked, "doubted": sum(reasons.values()), "reasons": dict(sorted(reasons.items()))}
