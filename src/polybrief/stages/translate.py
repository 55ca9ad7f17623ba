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


def translate_articles(
    articles: Sequence[Article], translator_for: Callable[[str], Translator], max_sentence_tokens: int
) -> TranslateResult:
    translations: list[Translation] = []
    outcomes: list[Outcome] = []
    by_lang: dict[str, list[Article]] = {}
    for article in articles:
        if article.lang == "en":
            translations.append(_passthrough(article))
        else:
            by_lang.setdefault(article.lang, []).append(article)
    for lang, group in sorted(by_lang.items()):
        try:
            translator = translator_for(lang)
            translations.extend(_translate_group(group, lang, translator, max_sentence_tokens))
        except Exception as exc:  # one language failing must not lose the others
            reason = f"translation failed: {type(exc).__name__}: {exc}".splitlines()[0]
            outcomes.extend(Outcome(a.source, "failed", reason, a.id) for a in group)
    order = {a.id: i for i, a in enumerate(articles)}
    translations.sort(key=lambda t: order[t.article_id])
    return TranslateResult(tuple(translations), tuple(outcomes))


def segment_article(article: Article) -> tuple[list[str], list[list[str]]]:
    """(title sentences, sentences per paragraph)."""
    title = split_sentences(article.title, article.lang) if article.title else []
    return title, [split_sentences(p, article.lang) for p in article.paragraphs]


def _passthrough(article: Article) -> Translation:
    title, paragraphs = segment_article(article)
    pairs = tuple(tuple(SentencePair(s, s) for s in para) for para in paragraphs if para)
    return Translation(article.id, "en", "", " ".join(title), pairs)


def _translate_group(group: list[Article], lang: str, translator: Translator, max_tokens: int) -> list[Translation]:
    segmented = [segment_article(a) for a in group]
    sentences = sorted({s for title, paras in segmented for s in [*title, *(x for p in paras for x in p)]})
    pieces = _fit(sentences, translator, max_tokens)
    flat = sorted({p for ps in pieces.values() for p in ps})
    english = dict(zip(flat, translator.translate(flat, lang)))
    results = []
    for article, (title, paragraphs) in zip(group, segmented):
        pairs = tuple(
            tuple(SentencePair(piece, english[piece]) for s in para for piece in pieces[s])
            for para in paragraphs if para
        )
        title_en = " ".join(english[piece] for s in title for piece in pieces[s])
        results.append(Translation(article.id, lang, translator.key, title_en, pairs))
    return results


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
