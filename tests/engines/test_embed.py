"""The two all-MiniLM-L6-v2 engines compute the same vectors; the store decides which one runs."""

import numpy as np
import pytest

from polybrief.engines import loading
from polybrief.engines.embed import (
    MINILM_FOLDER,
    CTranslate2MiniLMEmbedder,
    MiniLMEmbedder,
    convert_embedder,
    get_embedder,
)
from tests.tiny_models import english_corpus

LONG = " ".join(["The ministry said the talks would continue next week in Brussels."] * 40)  # > 256 tokens


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = tmp_path_factory.mktemp("embed") / "models"
    convert_embedder(store)
    return store


def test_ctranslate2_vectors_match_sentence_transformers(store):
    loading.forget_loaded()
    texts = english_corpus()[:40] + [LONG, "Short.", "ÉLECTIONS à Ljubljana — 30 %"]
    fast, reference = get_embedder(store), get_embedder()
    assert isinstance(fast, CTranslate2MiniLMEmbedder) and isinstance(reference, MiniLMEmbedder)
    a, b = fast.embed(texts), reference.embed(texts)
    assert a.shape == b.shape == (len(texts), 384) and a.dtype == np.float32
    assert np.abs(a - b).max() < 1e-4
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert fast.embed([]).shape == (0, 384)


def test_without_a_conversion_in_the_store_sentence_transformers_runs(tmp_path, store):
    assert (store / MINILM_FOLDER / "ctranslate2" / "model.bin").is_file()
    assert isinstance(get_embedder(tmp_path), MiniLMEmbedder)
    assert get_embedder(store) is get_embedder(store)  # loaded once per process
