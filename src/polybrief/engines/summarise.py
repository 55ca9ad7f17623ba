"""Summarisers: the `Summariser` interface and its engines, picked by name."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from polybrief.config import Config, SummarySettings
from polybrief.engines import loading
from polybrief.engines.generation import generation_settings, transformers_options

if TYPE_CHECKING:
    from polybrief.engines.embed import Embedder


class Summariser(Protocol):
    key: str
    window: int  # the most input tokens one call may take

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...

    def summarise(self, texts: Sequence[str]) -> list[str]: ...


class TransformersSummariser:
    """BART / PEGASUS style checkpoints (e.g. distilbart-cnn-12-6) through `model.generate`."""

    def __init__(self, path: Path, key: str, settings: SummarySettings, device: str = "cpu",
                 threads: int | None = None) -> None:
        self.key = key
        self.settings = settings
        self.device = device
        self.tokenizer, self.model = loading.load_seq2seq(path, device)
        positions = getattr(self.model.config, "max_position_embeddings", 1024)
        self.window = min(settings.max_input_tokens or positions, positions)
        self.generation = generation_settings(path, num_beams=settings.beam_size,
                                              max_new_tokens=settings.max_new_tokens,
                                              min_new_tokens=settings.min_new_tokens)
        self._lock = threading.Lock()  # one generate at a time
        # the fast tokenizer's padding/truncation is state shared by every thread: counting beside
        # a batch's encoding once made that batch ragged ("Unable to create tensor", #20)
        self._tokens = threading.Lock()

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        with self._tokens:
            return loading.count_tokens(self.tokenizer, texts)

    def summarise(self, texts: Sequence[str]) -> list[str]:
        import torch

        if not texts:
            return []
        with self._lock:
            with self._tokens:
                inputs = self.tokenizer(list(texts), return_tensors="pt", padding=True, truncation=True,
                                        max_length=self.window).to(self.device)
            with torch.inference_mode():
                out = self.model.generate(**inputs, **transformers_options(self.generation))
            with self._tokens:
                return [" ".join(t.split()) for t in self.tokenizer.batch_decode(out, skip_special_tokens=True)]


class ExtractiveSummariser:
    """Centroid + maximal marginal relevance over all-MiniLM-L6-v2 sentence embeddings.

    Picks the sentences closest to the text's centroid, each penalised by its similarity to those
    already picked, until the word budget is spent; returns them in their original order. It
    needs no downloaded model (the embedder ships with polybrief). Its window, counted in words, is
    its summary's length: a story's chosen sentences (`stages.summarise.choose_sentences`) fill it,
    and a text that short is its own summary, so a run's extractive summary is that choice.
    """

    def __init__(self, settings: SummarySettings, embedder: Embedder | None = None) -> None:
        from polybrief.engines.embed import get_embedder

        self.settings = settings
        self.window = settings.max_words + 2  # the selection leaves two for special tokens
        self.embedder = embedder or get_embedder()
        self.key = f"extractive-minilm@{settings.max_words}-{settings.diversity}"

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t.split()) for t in texts]

    def summarise(self, texts: Sequence[str]) -> list[str]:
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> str:
        from polybrief.text.segment import split_sentences

        sentences = [s for para in text.split("\n\n") for s in split_sentences(para, "en")]
        if len(" ".join(sentences).split()) <= self.settings.max_words:
            return " ".join(sentences)
        chosen = select_sentences(sentences, self.embedder.embed(sentences), self.settings.max_words,
                                  self.settings.diversity)
        return " ".join(sentences[i] for i in sorted(chosen))


def select_sentences(sentences: Sequence[str], vectors, max_words: int, diversity: float) -> list[int]:
    """MMR: relevance to the centroid minus `diversity` × redundancy with what is chosen."""
    import numpy as np

    centroid = vectors.mean(axis=0)
    centroid = centroid / (np.linalg.norm(centroid) or 1.0)
    relevance = vectors @ centroid
    chosen: list[int] = []
    words = 0
    candidates = set(range(len(sentences)))
    while candidates:
        def score(i: int) -> float:
            redundancy = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            return (1 - diversity) * float(relevance[i]) - diversity * redundancy

        best = max(sorted(candidates), key=score)
        candidates.discard(best)
        length = len(sentences[best].split())
        if chosen and words + length > max_words:
            continue  # too long for what is left; a shorter one may still fit
        chosen.append(best)
        words += length
    return chosen


def _ct2_summariser(*args, **kwargs) -> Summariser:
    from polybrief.engines.ct2 import CTranslate2Summariser

    return CTranslate2Summariser(*args, **kwargs)


SUMMARISERS: dict[str, Callable[..., Summariser]] = {
    "transformers": TransformersSummariser,
    "ctranslate2": _ct2_summariser,
    "extractive": lambda path, key, settings, device, threads=None: ExtractiveSummariser(settings),
}


def needs_checkpoint(config: Config) -> bool:
    return config.summary.engine != "extractive"


def get_summariser(config: Config) -> Summariser:
    from polybrief.engines.store import model_key, resolve_model, store_path

    if not needs_checkpoint(config):
        from polybrief.engines.embed import converted_embedder, get_embedder

        store = store_path(config)
        key = ("summariser", "extractive", config.summary.model_dump_json(), str(converted_embedder(store)))
        return loading.load_once(key,
                             lambda: ExtractiveSummariser(config.summary, get_embedder(store)))
    ref = config.summary.model
    from polybrief.engines.ct2 import pick_engine

    path = resolve_model(ref, store_path(config))
    engine = pick_engine(config.summary.engine, path, ref.key)
    device = loading.resolve_device(config.runtime.device, engine)

    def build() -> Summariser:
        loading.set_threads(config.runtime.threads, engine)
        return SUMMARISERS[engine](path, model_key(ref, path), config.summary, device, threads=config.runtime.threads)

    return loading.load_once(("summariser", engine, str(path.resolve()), device, config.summary.model_dump_json()),
                             build)
