"""CTranslate2 engines: the same checkpoints, converted once, run by CTranslate2's C++ runtime
(int8 on CPU, float16 on GPU by default). The Hugging Face tokenizer of the checkpoint is kept,
so text is split and joined exactly as with the transformers engine.

`polybrief models pull` converts each checkpoint into `<store>/org--name/ctranslate2/`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Sequence

from polybrief.config import SummarySettings, TranslationSettings
from polybrief.errors import ModelError

CT2_FOLDER = "ctranslate2"


def available() -> bool:
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def converted(path: Path) -> bool:
    return (path / CT2_FOLDER / "model.bin").is_file()


def convert(path: Path) -> Path:
    """Convert a `save_pretrained` folder for CTranslate2 (float32 weights; quantised at load)."""
    from ctranslate2.converters import TransformersConverter

    out = path / CT2_FOLDER
    TransformersConverter(str(path), load_as_float16=False).convert(str(out), quantization=None, force=True)
    return out


def pick_engine(requested: str, path: Path, key: str) -> str:
    """`auto` is the fastest engine present: CTranslate2 when installed and converted."""
    if requested == "auto":
        return "ctranslate2" if available() and converted(path) else "transformers"
    if requested == "ctranslate2" and not converted(path):
        raise ModelError(f"{key.split('@')[0]} has no CTranslate2 conversion; make one with: "
                         f"polybrief models pull {key.split('@')[0]}")
    return requested


def compute_type(requested: str, device: str) -> str:
    if requested != "auto":
        return requested
    return "int8_float16" if device == "cuda" else "int8"


class _Ct2Seq2Seq:
    def __init__(self, path: Path, key: str, device: str, compute: str, threads: int | None) -> None:
        import ctranslate2
        from transformers import AutoTokenizer

        self.key = key
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=False)
        self.model = ctranslate2.Translator(
            str(path / CT2_FOLDER), device=device, compute_type=compute_type(compute, device),
            intra_threads=threads or 0, inter_threads=1,
        )
        self._lock = threading.Lock()  # the NLLB tokenizer's source language is state

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        from polybrief.engines._hf import count_tokens

        return count_tokens(self.tokenizer, texts)

    def _tokens(self, texts: Sequence[str]) -> list[list[str]]:
        ids = self.tokenizer(list(texts), add_special_tokens=True)["input_ids"]
        return [self.tokenizer.convert_ids_to_tokens(x) for x in ids]

    def _decode(self, results) -> list[str]:
        ids = [self.tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in results]
        return [" ".join(t.split()) for t in self.tokenizer.batch_decode(ids, skip_special_tokens=True)]


class CTranslate2Translator(_Ct2Seq2Seq):
    def __init__(self, path: Path, key: str, settings: TranslationSettings, device: str = "cpu",
                 threads: int | None = None) -> None:
        super().__init__(path, key, device, settings.compute_type, threads)
        self.settings = settings
        import json

        config = json.loads((path / "config.json").read_text())
        self.is_nllb = config.get("model_type") == "m2m_100"
        # transformers ends a sentence cut at the length limit with a forced </s>, which takes one
        # of the new tokens; CTranslate2 forces nothing, so it stops one token earlier to match
        forced_eos = config.get("forced_eos_token_id") is not None
        self.max_length = settings.max_new_tokens - (1 if forced_eos else 0)

    def translate(self, texts: Sequence[str], src_lang: str) -> list[str]:
        from polybrief.engines.translate import nllb_codes

        if not texts:
            return []
        with self._lock:
            prefix = None
            if self.is_nllb:
                src, tgt = nllb_codes(self.tokenizer, src_lang, self.key)
                self.tokenizer.src_lang = src
                prefix = [[tgt]] * len(texts)
            results = self.model.translate_batch(
                self._tokens(texts), target_prefix=prefix, beam_size=self.settings.beam_size,
                max_decoding_length=self.max_length, max_batch_size=len(texts),
            )
            return self._decode(results)


class CTranslate2Summariser(_Ct2Seq2Seq):
    def __init__(self, path: Path, key: str, settings: SummarySettings, device: str = "cpu",
                 threads: int | None = None) -> None:
        super().__init__(path, key, device, settings.compute_type, threads)
        self.settings = settings
        import json

        positions = json.loads((path / "config.json").read_text()).get("max_position_embeddings", 1024)
        self.window = min(settings.max_input_tokens or positions, positions)
        self.max_new_tokens = min(settings.max_new_tokens, positions - 2)

    def summarise(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        s = self.settings
        with self._lock:
            results = self.model.translate_batch(
                self._tokens(texts), beam_size=s.beam_size, max_decoding_length=self.max_new_tokens,
                min_decoding_length=min(s.min_new_tokens, self.max_new_tokens), max_input_length=self.window,
            )
            return self._decode(results)
