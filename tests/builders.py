"""Builders for records and fakes for engines, so stage tests read as what they check."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from polybrief.records import Article, RunData, SentencePair, Summary, Translation, content_id
from polybrief.report import ModelsUsed, RunReport


def article(text: str = "Prvi stavek je tu. Drugi stavek je tam.", *, lang: str = "sl", title: str = "",
            date: str = "", source: str = "", confidence: float = 1.0, url: str = "") -> Article:
    paragraphs = tuple(p for p in text.split("\n\n") if p)
    aid = content_id(title + "\n" + text)
    return Article(aid, source or f"{aid}.txt", paragraphs, title=title, date=date, lang=lang,
                   lang_confidence=confidence, url=url)


def translation(a: Article, english: Sequence[Sequence[str]] | None = None, title_en: str = "") -> Translation:
    """A translation whose English equals the source unless given."""
    paras = english or [[s for s in re.split(r"(?<=\.)\s+", p) if s] for p in a.paragraphs]
    pairs = tuple(tuple(SentencePair(s, s) for s in para) for para in paras)
    return Translation(a.id, a.lang, "fake/model@1", title_en or a.title, pairs)


def summary(a: Article, text: str) -> Summary:
    return Summary(a.id, "fake/summariser@1", text)


class FakeTranslator:
    """Upper-cases its input; counts calls and what it was asked."""

    key = "fake/translator@1"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def count_tokens(self, texts):
        return [len(t.split()) + 1 for t in texts]

    def translate(self, texts, src_lang):
        self.calls.append(list(texts))
        return [t.upper() for t in texts]

    @property
    def sentences_seen(self) -> list[str]:
        return [t for call in self.calls for t in call]


class FakeSummariser:
    """Keeps the first `keep` words; its window is measured in words (+1 for the end token)."""

    key = "fake/summariser@1"

    def __init__(self, window: int = 50, keep: int = 8, reply: str | None = None) -> None:
        self.window = window
        self.keep = keep
        self.reply = reply  # said for every text instead (a model's own wording)
        self.inputs: list[str] = []

    def count_tokens(self, texts):
        return [len(t.split()) + 1 for t in texts]

    def summarise(self, texts):
        self.inputs.extend(texts)
        return [self.reply if self.reply is not None else " ".join(t.split()[: self.keep]) for t in texts]


class FakeEmbedder:
    """Bag-of-words hashed into 64 dimensions: texts sharing words are similar."""

    def embed(self, texts):
        out = np.zeros((len(texts), 64), dtype="float32")
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def write_corpus(folder, seeds, n: int):
    """`n` distinct articles made from the seeds' paragraphs, rotated: realistic text, real
    languages, and no two alike."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sources = [p.read_text(encoding="utf-8").split("\n\n") for p in sorted(Path(seeds).glob("*.txt"))]
    sources = [[x for x in paras if x.strip()] for paras in sources if len(paras) > 3]
    for i in range(n):
        paras = sources[i % len(sources)]
        k = (i // len(sources)) % len(paras)  # each source rotated one step further each time
        (folder / f"article-{i:03d}.txt").write_text("\n\n".join(paras[k:] + paras[:k]), encoding="utf-8")
    return folder


class FakeEncoder(FakeEmbedder):
    """The multilingual encoder's interface over FakeEmbedder's vectors; `same` maps a text to
    another whose vector it takes (a translation says what its original says)."""

    key = "fake/encoder@1"

    def __init__(self, same: dict[str, str] | None = None) -> None:
        self.same = same or {}
        self.calls = 0

    def passages(self, texts):
        self.calls += 1
        return self.embed([self.same.get(t, t) for t in texts])


def run_report(run_id: str = "r1", counts: dict[str, int] | None = None, languages: dict[str, int] | None = None,
               **fields) -> RunReport:
    """A run report with nothing in it but what a test names."""
    counts = {"briefed": 0, "duplicate": 0, "skipped": 0, "failed": 0, **(counts or {})}
    return RunReport(run_id=run_id, seconds=0.0, inputs=fields.pop("inputs", sum(counts.values())), counts=counts,
                     seen_before=fields.pop("seen_before", 0), languages=languages or {}, stories=(),
                     models=ModelsUsed(), outcomes=(), **fields)


def run_data(articles, translations, groups=()) -> RunData:
    """The records a story is merged from, as the pipeline hands them over."""
    return RunData(tuple(articles), tuple(translations), tuple(groups))
