"""Translators: the `Translator` interface, its engines (picked by name), and length batching.

An engine translates one batch; `token_batches` cuts sentences into batches by a token budget
(padding is what a batch wastes): the translate stage plans a run's batches with it, and
`BatchingTranslator` wraps an engine with it for a plain list. `get_translator` loads an engine
once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from polybrief.config import Config, ModelRef, TranslationSettings
from polybrief.engines import loading
from polybrief.engines.ct2 import pick_engine
from polybrief.engines.generation import generation_settings, transformers_options
from polybrief.engines.nllb import nllb_codes


class Translator(Protocol):
    key: str  # identifies model and revision in cache keys

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...

    def translate(self, texts: Sequence[str], src_lang: str) -> list[str]: ...


class TransformersTranslator:
    """MarianMT (opus-mt) and NLLB/M2M100 checkpoints through `model.generate`."""

    def __init__(self, path: Path, key: str, settings: TranslationSettings, device: str = "cpu",
                 threads: int | None = None) -> None:
        self.key = key
        self.settings = settings
        self.device = device
        self.tokenizer, self.model = loading.load_seq2seq(path, device)
        self.is_nllb = self.model.config.model_type == "m2m_100"
        self.generation = generation_settings(path, num_beams=settings.beam_size,
                                              max_new_tokens=settings.max_new_tokens)
        self._lock = threading.Lock()  # one generate at a time
        # a fast tokenizer's padding/truncation and NLLB's source language are state shared by
        # every thread: counting beside a batch's encoding once made that batch ragged (#20)
        self._tokens = threading.Lock()

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        with self._tokens:
            return loading.count_tokens(self.tokenizer, texts)

    def translate(self, texts: Sequence[str], src_lang: str) -> list[str]:
        import torch

        if not texts:
            return []
        with self._lock:
            with self._tokens:
                extra = self._language_codes(src_lang) if self.is_nllb else {}
                inputs = self.tokenizer(list(texts), return_tensors="pt", padding=True).to(self.device)
            with torch.inference_mode():
                out = self.model.generate(**inputs, **{**transformers_options(self.generation), **extra})
            with self._tokens:
                return [t.strip() for t in self.tokenizer.batch_decode(out, skip_special_tokens=True)]

    def _language_codes(self, src_lang: str) -> dict[str, int]:
        tokenizer = self.tokenizer
        src, tgt = nllb_codes(lambda t: tokenizer.convert_tokens_to_ids(t) != tokenizer.unk_token_id, src_lang,
                              self.key)
        self.tokenizer.src_lang = src
        return {"forced_bos_token_id": self.tokenizer.convert_tokens_to_ids(tgt)}


def _ct2_translator(*args, **kwargs) -> Translator:
    from polybrief.engines.ct2 import CTranslate2Translator

    return CTranslate2Translator(*args, **kwargs)


TRANSLATORS: dict[str, Callable[..., Translator]] = {
    "transformers": TransformersTranslator,
    "ctranslate2": _ct2_translator,
}


class BatchingTranslator:
    """Sort by length, batch by a token budget, translate, restore order (for callers with a
    plain list of sentences, such as `polybrief eval`; a run plans its batches itself)."""

    def __init__(self, inner: Translator, batch_tokens: int, max_batch_size: int) -> None:
        self.inner = inner
        self.key = inner.key
        self.batch_tokens = batch_tokens
        self.max_batch_size = max_batch_size

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def translate(self, texts: Sequence[str], src_lang: str) -> list[str]:
        lengths = self.inner.count_tokens(texts) if texts else []
        results: list[str] = [""] * len(texts)
        for batch in token_batches(lengths, self.batch_tokens, self.max_batch_size):
            for i, out in zip(batch, self.inner.translate([texts[i] for i in batch], src_lang), strict=False):
                results[i] = out
        return results


def token_batches(lengths: Sequence[int], budget: int, max_size: int) -> list[list[int]]:
    """Indices grouped so that (longest in batch × batch size) stays within `budget`."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = max(lengths[i], max((lengths[j] for j in current), default=0))
        if current and (longest * (len(current) + 1) > budget or len(current) >= max_size):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def get_translator(ref: ModelRef, config: Config) -> Translator:
    """The engine for `ref`, loaded once per process."""
    from polybrief.engines.store import model_key, resolve_model, store_path

    path = resolve_model(ref, store_path(config))
    engine = pick_engine(config.translation.engine, path, ref.key)
    device = loading.resolve_device(config.runtime.device, engine)

    def build() -> Translator:
        loading.set_threads(config.runtime.threads, engine)
        # keyed by the commit pulled: a cache entry of "main" would outlive a newer "main"
        return TRANSLATORS[engine](path, model_key(ref, path), config.translation, device,
                                   threads=config.runtime.threads)

    return loading.load_once(("translator", engine, str(path.resolve()), device, config.translation.model_dump_json()),
                         build)
