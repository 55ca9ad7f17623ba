"""CTranslate2 engines: the same checkpoints, converted once, run by CTranslate2's C++ runtime
(int8 on CPU, float16 on GPU by default). The Hugging Face tokenizer of the checkpoint is kept,
so text is split and joined exactly as with the transformers engine.

`polybrief models pull` converts each checkpoint into `<store>/org--name/ctranslate2/`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path

from polybrief.config import SummarySettings, TranslationSettings
from polybrief.errors import ModelError

CT2_FOLDER = "ctranslate2"


def available() -> bool:
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def mean_states(output, lengths: Sequence[int]):
    """The mean of each text's token states in an Encoder's padded `last_hidden_state` (numpy
    float32, one row a text), copied to the host first where it lives on a GPU."""
    import ctranslate2
    import numpy as np

    if output.device != "cpu":  # numpy reads host memory only
        output = output.to_device(ctranslate2.Device.cpu)
    states = np.array(output, dtype="float32")
    sizes = np.asarray(lengths)
    mask = (np.arange(states.shape[1])[None, :] < sizes[:, None])[:, :, None]
    return (states * mask).sum(axis=1) / sizes[:, None]


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
        self.checkpoint = path
        self.tokens = load_tokens(path, CT2_FOLDER)
        self.model = ctranslate2.Translator(
            str(path / CT2_FOLDER), device=device, compute_type=compute_type(compute, device),
            # CTranslate2's own default is 4 threads, whatever the machine: default to its cores
            intra_threads=threads or os.cpu_count() or 1, inter_threads=1,
        )

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t) for t in self.tokens.encode(texts)]

    def token_of(self, token_id: int) -> str:
        """A vocabulary id of the checkpoint (as its generation settings name it) as a token:
        from the checkpoint's own vocabulary, whose ids CTranslate2's files do not keep."""
        from polybrief.engines.tokenize import token_of

        return token_of(self.checkpoint, token_id)

    def _known(self, options: dict) -> dict:
        """Suppressed sequences CTranslate2's vocabulary cannot even produce are left out: its
        Marian conversion has no <pad>, which transformers' opus-mt settings forbid."""
        import json

        if "suppress_sequences" in options:
            files = sorted((self.checkpoint / CT2_FOLDER).glob("*vocabulary.json"))
            known = {t for f in files if "source" not in f.name for t in json.loads(f.read_text(encoding="utf-8"))}
            kept = [seq for seq in options["suppress_sequences"] if all(t in known for t in seq)]
            options = {**options, "suppress_sequences": kept} if kept else \
                {k: v for k, v in options.items() if k != "suppress_sequences"}
        return options

    def _decode(self, results) -> list[str]:
        return [" ".join(self.tokens.decode(r.hypotheses[0]).split()) for r in results]


class CTranslate2Translator(_Ct2Seq2Seq):
    def __init__(self, path: Path, key: str, settings: TranslationSettings, device: str = "cpu",
                 threads: int | None = None) -> None:
        super().__init__(path, key, device, settings.compute_type, threads)
        self.settings = settings
        import json

        from polybrief.engines.generation import ctranslate2_options, generation_settings

        config = json.loads((path / "config.json").read_text())
        self.is_nllb = config.get("model_type") == "m2m_100"
        self.generation = generation_settings(path, num_beams=settings.beam_size,
                                              max_new_tokens=settings.max_new_tokens)
        self.options = self._known(ctranslate2_options(self.generation, self.token_of))

    def translate(self, texts: Sequence[str], src_lang: str) -> list[str]:
        from polybrief.engines.nllb import nllb_codes

        if not texts:
            return []
        options = dict(self.options)
        src, prefix = None, options.pop("target_prefix", None)
        if self.is_nllb:  # the target language is the first token, as transformers forces it
            src, tgt = nllb_codes(self.tokens.knows, src_lang, self.key)
            prefix = [tgt]
        results = self.model.translate_batch(
            self.tokens.encode(texts, src), target_prefix=[prefix] * len(texts) if prefix else None,
            max_batch_size=len(texts), **options,
        )
        return self._decode(results)


class CTranslate2Summariser(_Ct2Seq2Seq):
    def __init__(self, path: Path, key: str, settings: SummarySettings, device: str = "cpu",
                 threads: int | None = None) -> None:
        super().__init__(path, key, device, settings.compute_type, threads)
        self.settings = settings
        import json

        from polybrief.engines.generation import ctranslate2_options, generation_settings

        positions = json.loads((path / "config.json").read_text()).get("max_position_embeddings", 1024)
        self.window = min(settings.max_input_tokens or positions, positions)
        self.generation = generation_settings(path, num_beams=settings.beam_size,
                                              max_new_tokens=settings.max_new_tokens,
                                              min_new_tokens=settings.min_new_tokens)
        self.options = self._known(ctranslate2_options(self.generation, self.token_of))

    def summarise(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        options = dict(self.options)
        prefix = options.pop("target_prefix", None)  # BART's forced <s>
        results = self.model.translate_batch(
            self.tokens.encode(texts), target_prefix=[prefix] * len(texts) if prefix else None,
            max_input_length=self.window, **options,
        )
        release_freed_memory()
        return self._decode(results)


def release_freed_memory() -> None:
    """Give the heap memory a batch freed back to the system. glibc keeps it for reuse, and a
    summary batch's beams over full windows free hundreds of MiB at a time: kept and fragmented by
    the threads beside it, a run's resident memory grew by 900 MiB over its summaries
    (bench/RESULTS.md). Only where the C library is glibc."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """glibc's malloc_trim among this process's own symbols, looked up once; None elsewhere."""
    import ctypes

    return getattr(ctypes.CDLL(None), "malloc_trim", None)
