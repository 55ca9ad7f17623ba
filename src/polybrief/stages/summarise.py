"""Summarise: a story's English sources → one summary, one summariser call, nothing truncated.

`summarise_stories` chooses, for each story, the most central and least redundant news sentences
across all its sources (leads weigh more: news puts its facts first), as many as fill one
summariser window, and makes one call of them: the summary is made for the story, not of the
sources' summaries. The extractive engine's window is its summary length, so it returns that same
selection. `summarise_texts` is the call itself: a text longer than the window (never the case
after a selection) is packed into window-sized chunks whose summaries are summarised again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from polybrief import stopping
from polybrief.engines.summarise import Summariser
from polybrief.text.boilerplate import news_text
from polybrief.text.segment import chunk_words, ends_as_sentence, split_sentences

if TYPE_CHECKING:
    from polybrief.engines.embed import Embedder

MAX_ROUNDS = 4
# relevance to the story's centre against redundancy with what is chosen (maximal marginal
# relevance), and a sentence's relevance gains LEAD / (1 + its place in its source): news puts its
# facts first. Chosen on the WikinewsSum dev clusters (extractive, 150 words, bench/RESULTS.md):
# ROUGE-1/2/L of the gold clusters' story summaries 0.311/0.071/0.153 before (summaries of the
# articles' summaries), 0.320/0.074/0.156 at lead 0.05 and diversity 0.3, 0.325/0.079/0.160 here;
# of the pipeline's own stories 0.303/0.069/0.149 before, 0.308/0.072/0.151 here
DIVERSITY = 0.2
LEAD = 0.1


@dataclass(frozen=True)
class Selection:
    """What one summariser call reads for a story."""

    text: str  # the chosen sentences: each source's in its own order, sources in the story's order
    ranked: tuple[tuple[str, int], ...]  # every news sentence (text, source index), best first


@dataclass(frozen=True)
class StorySummary:
    text: str
    selection: Selection


def summarise_stories(stories: Sequence[Sequence[str]], summariser: Summariser, embedder: Embedder,
                      batch_size: int) -> list[StorySummary]:
    """One summary per story (its sources' English texts, the most central source first): one
    summariser call each, made of the sentences `choose_sentences` picks."""
    selections = [choose_sentences(sources, summariser, embedder) for sources in stories]
    outputs = summarise_texts([s.text for s in selections], summariser, batch_size)
    return [StorySummary(out, selection) for out, selection in zip(outputs, selections, strict=True)]


def choose_sentences(sources: Sequence[str], summariser: Summariser, embedder: Embedder) -> Selection:
    """The news sentences of `sources` ranked by maximal marginal relevance (closeness to the
    story's centroid, plus a lead prior, minus closeness to those ranked before), and the best of
    them that fill one window, put back in reading order."""
    import numpy as np

    budget = max(1, summariser.window - 2)  # room for the special tokens
    pieces = [(k, p, text, n) for k, source in enumerate(sources)
              for p, (text, n) in enumerate(_pieces(_news_sentences(source), summariser, budget))]
    if not pieces:
        return Selection("", ())
    vectors = np.asarray(embedder.embed([text for _k, _p, text, _n in pieces]))
    centroid = vectors.mean(axis=0)
    relevance = vectors @ (centroid / (np.linalg.norm(centroid) or 1.0))
    relevance = relevance + np.asarray([LEAD / (1 + p) for _k, p, _t, _n in pieces])
    order = _mmr(vectors, relevance)
    chosen: list[int] = []
    used = 0
    for i in order:
        if used + pieces[i][3] <= budget:
            chosen.append(i)
            used += pieces[i][3]
    text = " ".join(pieces[i][2] for i in sorted(chosen))
    return Selection(text, tuple((pieces[i][2], pieces[i][0]) for i in order))


def _mmr(vectors, relevance) -> list[int]:
    import numpy as np

    left = list(range(len(relevance)))
    redundancy = np.full(len(relevance), -1.0, dtype="float32")
    order: list[int] = []
    while left:
        scores = (1 - DIVERSITY) * relevance[left] - DIVERSITY * np.maximum(redundancy[left], 0.0)
        best = left.pop(int(np.argmax(scores)))  # the first of equals: the same input, the same order
        order.append(best)
        redundancy = np.maximum(redundancy, vectors @ vectors[best])
    return order


def _news_sentences(text: str) -> list[str]:
    """Datelines, bylines, adverts, navigation and questions are no news: summaries leave them out;
    so are lines that do not end as a sentence ends (a site's "The Japan Times: Nov. 17, 2004", a
    fact box's list run together) and sentences of a quotation that runs on into the next one
    (he said: "I am not a medical officer. …"), unless the text has no other."""
    sentences = [s for para in news_text(text).split("\n\n") for s in split_sentences(para, "en")]
    ended = [s for s in sentences if ends_as_sentence(s) and quotes_close(s)]
    return ended or sentences


def quotes_close(sentence: str) -> bool:
    """Whether every quotation the sentence opens, it closes: straight double quotes in pairs,
    “ ” and « » matched, „ closed by “ or ”."""
    low = sentence.count("„")
    opened = low + sentence.count("«") + (0 if low else sentence.count("“"))
    closed = sentence.count("”") + sentence.count("»") + (sentence.count("“") if low else 0)
    return sentence.count('"') % 2 == 0 and opened == closed


def _pieces(sentences: list[str], summariser: Summariser, budget: int) -> list[tuple[str, int]]:
    """Each sentence with its token count; one longer than the window on its own in word pieces."""
    if not sentences:
        return []
    pieces: list[tuple[str, int]] = []
    for sentence, count in zip(sentences, summariser.count_tokens(sentences), strict=False):
        if count <= budget:
            pieces.append((sentence, count))
        else:
            words = chunk_words(sentence, max(1, int(len(sentence.split()) * budget / count * 0.9)))
            pieces.extend(zip(words, summariser.count_tokens(words), strict=False))
    return pieces


def summarise_texts(texts: Sequence[str], summariser: Summariser, batch_size: int) -> list[str]:
    """The summariser's summary of each text as given (a story's is its selection, news only)."""
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
    pieces = _pieces(sentences, summariser, budget)
    if not pieces:
        return []
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
