"""Translate: articles → English, sentence by sentence, paragraphs kept.

Titles and paragraphs are split into sentences, over-long sentences are cut at clause breaks into
model-sized pieces (nothing is truncated), and all sentences of one language go to the translator
in one call, so the translator's length batching and cache see the whole batch of articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from polybrief.engines.translate import Translator
from polybrief.records import Article, Outcome, SentencePair, Translation
from polybrief.segment import chunk_words, split_sentences


@dataclass(frozen=True)
class TranslateResult:
    translations: tuple[Translation, ...]
    outcomes: tuple[Outcome, ...]  # articles whose translation failed, with the reason
    sentences_from_cache: int = 0  # filled in by whoever owns the cache (the flow's task)
    sentences_translated: int = 0


def translate_articles(
    articles: Sequence[Article], translator_for: Callable[[str], Translator], max_sentence_tokens: int
) -> TranslateResult:
    segmented = {a.id: segment_article(a) for a in articles}
    units: dict[str, set[str]] = {}  # language → sentences in it, across all articles
    for a in articles:
        title, paragraphs = segmented[a.id]
        units.setdefault(a.lang, set()).update(title)
        for i, sentences in enumerate(paragraphs):
            units.setdefault(a.language_of(i), set()).update(sentences)
    english: dict[str, dict[str, str]] = {}  # language → sentence → its English pieces joined
    keys: dict[str, str] = {}
    failures: dict[str, str] = {}
    for lang, sentences in sorted(units.items()):
        if lang == "en":
            english[lang] = {s: s for s in sentences}
            continue
        try:  # one language failing must not lose the others
            translator = translator_for(lang)
            english[lang], keys[lang] = _translate(sorted(sentences), lang, translator, max_sentence_tokens), translator.key
        except Exception as exc:
            failures[lang] = f"translation failed: {type(exc).__name__}: {exc}".splitlines()[0]
    translations, outcomes = [], []
    for a in articles:
        failed = [failures[lang] for lang in a.languages if lang in failures]
        if failed:
            outcomes.append(Outcome(a.source, "failed", failed[0], a.id))
        else:
            translations.append(_assemble(a, segmented[a.id], english, keys.get(a.lang, "")))
    return TranslateResult(tuple(translations), tuple(outcomes))


def segment_article(article: Article) -> tuple[list[str], list[list[str]]]:
    """(title sentences, sentences per paragraph), each paragraph split by its own language."""
    title = split_sentences(article.title, article.lang) if article.title else []
    return title, [split_sentences(p, article.language_of(i)) for i, p in enumerate(article.paragraphs)]


def _assemble(article: Article, segmented, english, model: str) -> Translation:
    title, paragraphs = segmented
    pairs = tuple(
        tuple(SentencePair(s, english[article.language_of(i)][s]) for s in para)
        for i, para in enumerate(paragraphs) if para
    )
    title_en = " ".join(english[article.lang][s] for s in title)
    return Translation(article.id, article.lang, model, title_en, pairs)


def _translate(sentences: list[str], lang: str, translator: Translator, max_tokens: int) -> dict[str, str]:
    """Each sentence → its English; an over-long sentence is translated piece by piece."""
    pieces = _fit(sentences, translator, max_tokens)
    flat = sorted({p for ps in pieces.values() for p in ps})
    done = dict(zip(flat, translator.translate(flat, lang)))
    return {s: " ".join(done[p] for p in pieces[s]) for s in sentences}


def _fit(sentences: list[str], translator: Translator, max_tokens: int) -> dict[str, list[str]]:
    """Each sentence → the pieces it is translated as (itself, unless it is too long)."""
    counts = translator.count_tokens(sentences) if sentences else []
    pieces: dict[str, list[str]] = {}
    for sentence, count in zip(sentences, counts):
        if count <= max_tokens:
            pieces[sentence] = [sentence]
            continue
        words = len(sentence.split())
        max_words = max(1, int(words * max_tokens / count * 0.9))
        pieces[sentence] = chunk_words(sentence, max_words)
    return pieces
