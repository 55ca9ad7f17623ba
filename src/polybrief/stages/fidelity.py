"""Translation check: does each sentence's English say what its original says?

The multilingual encoder reads the original and the English of every translated sentence; a pair
whose cosine falls below `multilingual.check_threshold` is doubted ("differs": hallucinated, or
another sentence's meaning). Three failures the cosine cannot see are caught by rule: English that
is the original copied, or no English at all ("untranslated": the cosine of a text with itself is
1, and source-language fragments keep much of it), a phrase the English
repeats and the original does not ("repeated": a decoder stuck in a loop), and English far shorter
than its original ("cut"). Measured on FLORES (bench/multilingual.py check): ROC AUC per
language and the false-alarm rate on human translations.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from polybrief.engines.multilingual import MultilingualEncoder
from polybrief.records import Doubt, Translation
from polybrief.stages.merge.facts import anchor


def check_translations(translations: Sequence[Translation], encoder: MultilingualEncoder,
                       threshold: float) -> tuple[Translation, ...]:
    """The translations with their doubted sentences named (`Translation.doubts`); English
    articles (nothing translated) pass as they are."""
    import dataclasses

    pairs = [(t.article_id, anchor(p, s), pair) for t in translations if t.model
             for p, para in enumerate(t.paragraphs) for s, pair in enumerate(para) if pair.src.strip()]
    if not pairs:
        return tuple(translations)
    scores = similarities([pair.src for _i, _a, pair in pairs], [pair.en for _i, _a, pair in pairs], encoder)
    doubts: dict[str, list[Doubt]] = {}
    for (article_id, where, pair), score in zip(pairs, scores, strict=False):
        reason = doubt_of(pair.src, pair.en, float(score), threshold)
        if reason:
            doubts.setdefault(article_id, []).append(Doubt(where, reason, round(float(score), 3)))
    return tuple(dataclasses.replace(t, doubts=tuple(doubts.get(t.article_id, ()))) for t in translations)


def similarities(originals: Sequence[str], english: Sequence[str], encoder: MultilingualEncoder):
    """Cosine of each original with its English (one encoder call for both sides)."""
    vectors = encoder.passages([*originals, *english])
    n = len(originals)
    return (vectors[:n] * vectors[n:]).sum(axis=1)


def doubt_of(original: str, english: str, score: float, threshold: float) -> str:
    """Why the English may not say what the original says, or "" when nothing is wrong."""
    words_src, words_en = original.split(), english.split()
    if len(words_src) >= 4 and (_same_text(original, english) or _not_english(words_en)):
        return "untranslated"
    if _loops(words_en) and not _loops(words_src):
        return "repeated"
    if len(original) >= 60 and len(english) < 0.4 * len(original):
        return "cut"
    return "differs" if score < threshold else ""


def _same_text(a: str, b: str) -> bool:
    tokens_a, tokens_b = set(re.findall(r"\w+", a.casefold())), set(re.findall(r"\w+", b.casefold()))
    return bool(tokens_a) and len(tokens_a & tokens_b) / len(tokens_a) >= 0.8


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


def _loops(words: list[str]) -> bool:
    """A decoder stuck in a loop: a phrase of up to four words three times in a row ("the the
    the", "in the city in the city in the city"), a piece of a word three times over inside it
    ("jevjevjev"), or a three-word phrase three times anywhere.
    A word a sentence uses three times ("dark matter ... other dark matter") is no loop."""
    folded = [w.casefold().strip(".,;:!?\"'") for w in words]
    if any(re.search(r"([^\W\d_]{2,})\1\1", w) for w in folded):  # "redstavnikredstavnikredstavnik"
        return True
    for n in (1, 2, 3, 4):
        for k in range(len(folded) - 3 * n + 1):
            if folded[k:k + n] == folded[k + n:k + 2 * n] == folded[k + 2 * n:k + 3 * n]:
                return True
    grams = Counter(tuple(folded[k:k + 3]) for k in range(len(folded) - 2))
    return any(count >= 3 for count in grams.values())


def check_counts(translations: Sequence[Translation]) -> dict[str, Any]:
    """What run.json says of the check: sentences checked, doubted, and why."""
    checked = sum(len(para) for t in translations if t.model for para in t.paragraphs)
    reasons = Counter(d.reason for t in translations for d in t.doubts)
    return {"sentences_checked": checked, "doubted": sum(reasons.values()), "reasons": dict(sorted(reasons.items()))}
