"""Summarisers: the `Summariser` interface and its engines, picked by name."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Protocol, Sequence

from polybrief.config import Config, SummarySettings
from polybrief.engines import _hf


class Summariser(Protocol):
    key: str
    window: int  # the most input tokens one call may take

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...

    def summarise(self, texts: Sequence[str]) -> list[str]: ...


class TransformersSummariser:
    """BART / PEGASUS style checkpoints (e.g. distilbart-cnn-12-6) through `model.generate`."""

    def __init__(self, path: Path, key: str, settings: SummarySettings, device: str = "cpu") -> None:
        self.key = key
        self.settings = settings
        self.device = device
        self.tokenizer, self.model = _hf.load_seq2seq(path, device)
        positions = getattr(self.model.config, "max_position_embeddings", 1024)
        self.window = min(settings.max_input_tokens or positions, positions)
        # the decoder cannot go past its position table: generating longer crashes, not truncates
        self.max_new_tokens = min(settings.max_new_tokens, positions - 2)
        self.min_new_tokens = min(settings.min_new_tokens, self.max_new_tokens)
        self._lock = threading.Lock()

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in self.tokenizer(list(texts), add_special_tokens=True)["input_ids"]]

    def summarise(self, texts: Sequence[str]) -> list[str]:
        import torch

        if not texts:
            return []
        s = self.settings
        with self._lock:
            inputs = self.tokenizer(list(texts), return_tensors="pt", padding=True, truncation=True,
                                    max_length=self.window).to(self.device)
            with torch.inference_mode():
                out = self.model.generate(**inputs, num_beams=s.beam_size, min_new_tokens=self.min_new_tokens,
                                          max_new_tokens=self.max_new_tokens)
            return [" ".join(t.split()) for t in self.tokenizer.batch_decode(out, skip_special_tokens=True)]


SUMMARISERS: dict[str, Callable[..., Summariser]] = {"transformers": TransformersSummariser}


def get_summariser(config: Config) -> Summariser:
    from polybrief.engines.store import resolve_model, store_path

    ref = config.summary.model
    path = resolve_model(ref, store_path(config))
    engine = config.summary.engine
    device = _hf.resolve_device(config.runtime.device)

    def build() -> Summariser:
        _hf.set_threads(config.runtime.threads)
        return SUMMARISERS[engine](path, ref.key, config.summary, device)

    return _hf.load_once(("summariser", engine, str(path.resolve()), device, config.summary.model_dump_json()), build)
