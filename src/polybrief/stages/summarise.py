"""Summarise: English text → an abstractive summary, without ever truncating the input.

Text longer than the summariser's window is packed into window-sized chunks at sentence
boundaries; the chunk summaries are joined and summarised again, until one window holds it.
"""

from __future__ import annotations

from collections.abc import Sequence

from polybrief import stopping
from polybrief.engines.summarise import Summariser
from polybrief.records import Summary, Translation
from polybrief.text.boilerplate import news_text
from polybrief.text.segment import chunk_words, split_sentences

MAX_ROUNDS = 4


def summarise_articles(translations: Sequence[Translation], summariser: Summariser,
                       batch_size: int) -> tuple[Summary, ...]:
    texts = [t.text_en for t in translations]
    outputs = summarise_texts(texts, summariser, batch_size)
    return tuple(Summary(t.article_id, summariser.key, out) for t, out in zip(translations, outputs, strict=False))


def summarise_texts(texts: Sequence[str], summariser: Summariser, batch_size: int) -> list[str]:
    # datelines, bylines, adverts, navigation and questions are no news: summaries leave them out
    texts = [news_text(t) for t in texts]
    results: list[str | None] = [None] * len(texts)
    pending = {i: t for i, t in enumerate(texts) if t.strip()}
    for i, text in enumerate(texts):
        if not text.strip():
            results[i] = ""
    for _ in range(MAX_ROUNDS):
        if not pending:
            break
        chunks = {i: pack(text, summariser) for i, text in pending.items()}
        flat = [c for i in sorted(chunks) for c in chunks[i]]
        outputs = iter(_in_batches(flat, summariser, batch_size))
        still: dict[int, str] = {}
        for i in sorted(chunks):
            parts = [next(outputs) for _ in chunks[i]]
            joined = " ".join(p for p in parts if p)
            if not joined:  # the model said nothing for any chunk: no summary, never a crash
                results[i] = ""
            elif len(chunks[i]) == 1 or len(joined) >= len(pending[i]):
                results[i] = joined  # fits, or stopped shrinking: keep all of it, cut nothing
            else:
                still[i] = joined
        pending = still
    for i, text in pending.items():
        results[i] = text
    return [r or "" for r in results]


def pack(text: str, summariser: Summariser) -> list[str]:
    """Sentences of `text` packed greedily into chunks that fit the summariser's window."""
    budget = summariser.window - 2  # room for the special tokens
    sentences = [s for para in text.split("\n\n") for s in split_sentences(para, "en")]
    if not sentences:
        return []
    counts = summariser.count_tokens(sentences)
    pieces: list[tuple[str, int]] = []
    for sentence, count in zip(sentences, counts, strict=False):
        if count <= budget:
            pieces.append((sentence, count))
        else:
            words = chunk_words(sentence, max(1, int(len(sentence.split()) * budget / count * 0.9)))
            pieces.extend(zip(words, summariser.count_tokens(words), strict=False))
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for sentence, count in pieces:
        if current and used + count > budget:
            chunks.append(" ".join(current))
            current, used = [], 0
        current.append(sentence)
        used += count
    if current:
        chunks.append(" ".join(current))
    return _fitted(chunks, summariser)


def _fitted(chunks: list[str], summariser: Summariser) -> list[str]:
    """Every chunk re-counted as the model will see it, and halved until it fits: an estimate
    (words per token, pieces counted apart) must never let a chunk reach the model too long."""
    return [piece for chunk, count in zip(chunks, summariser.count_tokens(chunks), strict=False)
            for piece in _fit(chunk, count, summariser)]


def _fit(chunk: str, count: int, summariser: Summariser) -> list[str]:
    if count <= summariser.window:
        return [chunk]
    halves = _halves(chunk)
    if not halves:  # one character: nothing left to cut
        return [chunk]
    return [piece for half, n in zip(halves, summariser.count_tokens(halves), strict=True)
            for piece in _fit(half, n, summariser)]


def _halves(chunk: str) -> list[str]:
    """Two halves at a word boundary; a single over-long word (a URL, a table cell) by characters."""
    words = chunk.split()
    if len(words) > 1:
        return [" ".join(words[:len(words) // 2]), " ".join(words[len(words) // 2:])]
    return [chunk[:len(chunk) // 2], chunk[len(chunk) // 2:]] if len(chunk) > 1 else []


def _in_batches(texts: list[str], summariser: Summariser, batch_size: int) -> list[str]:
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    results = [""] * len(texts)
    for start in range(0, len(order), batch_size):
        stopping.check()  # a stop asked for ends the run here: earlier batches are cached
        batch = order[start:start + batch_size]
        for i, out in zip(batch, summariser.summarise([texts[i] for i in batch]), strict=False):
            results[i] = out
    return results
