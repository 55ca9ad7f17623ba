"""CTranslate2 engines: the same checkpoints, converted once, run by CTranslate2's C++ runtime
(int8 on CPU, float16 on GPU by default). The Hugging Face tokenizer of the checkpoint is kept,
so text is split and joined exactly as with the transformers engine.

`polybrief models pull` converts each checkpoint into `<store>/org--name/ctranslate2/`.
"""

from __future__ import annotations

import os
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


def weights_for(compute: str) -> str | None:
    """The weight type to convert to for a compute type. int8 on disk (the default compute types,
    int8 on CPU and int8_float16 on GPU) is a quarter of float32, and a process loading it never
    holds the float32 weights: 116 MiB peak instead of 317 MiB for opus-mt (bench/RESULTS.md)."""
    if compute == "auto" or compute.startswith("int8"):
        return "int8"
    return None if compute == "float32" else compute


def convert(path: Path, quantization: str | None = None) -> Path:
    """Convert a `save_pretrained` folder for CTranslate2 (float32 weights unless quantised)."""
    from ctranslate2.converters import TransformersConverter

    from polybrief.engines.tokenize import write_tokenizer_file

    out = path / CT2_FOLDER
    TransformersConverter(str(path), load_as_float16=False).convert(str(out), quantization=quantization, force=True)
    write_tokenizer_file(path, CT2_FOLDER)
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

        from polybrief.engines.tokenize import load_tokens

        self.key = key
        self.tokens = load_tokens(path, CT2_FOLDER)
        self.model = ctranslate2.Translator(
            str(path / CT2_FOLDER), device=device, compute_type=compute_type(compute, device),
            # CTranslate2's own default is 4 threads, whatever the machine: default to its cores
            intra_threads=threads or os.cpu_count() or 1, inter_threads=1,
        )

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t) for t in self.tokens.encode(texts)]

    def _decode(self, results) -> list[str]:
        return [" ".join(self.tokens.decode(r.hypotheses[0]).split()) for r in results]


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
        from polybrief.engines.nllb import nllb_codes

        if not texts:
            return []
        src, prefix = None, None
        if self.is_nllb:
            src, tgt = nllb_codes(self.tokens.knows, src_lang, self.key)
            prefix = [[tgt]] * len(texts)
        results = self.model.translate_batch(
            self.tokens.encode(texts, src), target_prefix=prefix, beam_size=self.settings.beam_size,
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
        results = self.model.translate_batch(
            self.tokens.encode(texts), beam_size=s.beam_size, max_decoding_length=self.max_new_tokens,
            min_decoding_length=min(s.min_new_tokens, self.max_new_tokens), max_input_length=self.window,
        )
        return self._decode(results)
