"""The CTranslate2 engines against the transformers reference, on the tiny real-architecture models."""

import pytest

from polybrief.config import load_config
from polybrief.engines import ct2, loading
from polybrief.engines.summarise import get_summariser
from polybrief.engines.translate import get_translator, pick_engine
from polybrief.errors import ModelError

SL = ["Ruski zunanji minister je danes izpostavil tesne vezi.", "Kratek stavek.",
      "Severna Koreja je v Rusijo poslala več tisoč vojakov za vojskovanje v Ukrajini."]
PL = ["Przywódca Korei Północnej potwierdził poparcie.", "Rosja twierdziła w kwietniu, że odzyskała obwód."]


def _config(store, engine, **extra):
    return load_config(None, models_dir=str(store),
                       translation={"engine": engine, "beam_size": 1, "max_new_tokens": 16, "compute_type": "float32",
                                    **extra},
                       summary={"engine": engine, "beam_size": 1, "max_new_tokens": 16, "min_new_tokens": 0,
                                "compute_type": "float32"})


@pytest.mark.parametrize("lang, texts", [("sl", SL), ("ro", PL)])  # ro → the NLLB fallback
def test_greedy_float32_output_agrees_token_for_token(converted_store, lang, texts):
    loading.forget_loaded()
    src = "pl" if lang == "ro" else lang
    slow_config, fast_config = _config(converted_store, "transformers"), _config(converted_store, "ctranslate2")
    reference = get_translator(slow_config.model_for(lang), slow_config)
    fast = get_translator(fast_config.model_for(lang), fast_config)
    assert type(fast).__name__ == "CTranslate2Translator"
    assert fast.translate(texts, src) == reference.translate(texts, src)


def test_summariser_greedy_output_agrees(converted_store):
    loading.forget_loaded()
    text = ["The Pentagon put the number at eleven to twelve thousand, and South Korea gave a similar estimate."]
    reference = get_summariser(_config(converted_store, "transformers"))
    fast = get_summariser(_config(converted_store, "ctranslate2"))
    assert type(fast).__name__ == "CTranslate2Summariser" and fast.window == reference.window == 128
    assert fast.summarise(text) == reference.summarise(text)


def test_int8_output_is_sane(converted_store):
    loading.forget_loaded()
    config = _config(converted_store, "ctranslate2", compute_type="int8", beam_size=4)
    out = get_translator(config.model_for("sl"), config).translate(SL, "sl")
    assert len(out) == len(SL) and all(isinstance(s, str) and len(s.split()) <= 16 for s in out)


def test_auto_picks_ctranslate2_only_where_a_conversion_exists(converted_store, tiny_store):
    folder = "Helsinki-NLP--opus-mt-sla-en"
    assert pick_engine("auto", converted_store / folder, "x@main") == "ctranslate2"
    assert pick_engine("auto", tiny_store / folder, "x@main") == "transformers"
    with pytest.raises(ModelError, match="no CTranslate2 conversion"):
        pick_engine("ctranslate2", tiny_store / folder, "Helsinki-NLP/opus-mt-sla-en@main")


def test_ctranslate2_engines_run_without_torch_or_transformers(converted_store, tmp_path):
    """A CTranslate2 process tokenises with sentencepiece/tokenizers and embeds with the converted
    MiniLM: torch, most of its memory otherwise, is never imported."""
    import subprocess
    import sys

    script = f"""
import sys
from polybrief.config import load_config
from polybrief.engines.summarise import get_summariser
from polybrief.engines.translate import get_translator
config = load_config(None, models_dir={str(converted_store)!r}, runtime={{"device": "auto"}},
                     translation={{"engine": "ctranslate2", "max_new_tokens": 8}},
                     summary={{"engine": "ctranslate2", "max_new_tokens": 8, "min_new_tokens": 0}})
for lang, src in (("sl", "sl"), ("ro", "pl")):
    assert len(get_translator(config.model_for(lang), config).translate({SL[:2]!r}, src)) == 2
assert len(get_summariser(config).summarise(["The Pentagon gave a number."])) == 1
from pathlib import Path
from polybrief.engines.embed import get_embedder
assert get_embedder(Path(config.models_dir)).embed(["The Pentagon gave a number."]).shape == (1, 384)
print(sorted(m for m in ("torch", "transformers") if m in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("threads, expected", [(None, "cores"), (3, 3)])
def test_threads_come_from_the_config_and_default_to_the_cores(converted_store, monkeypatch, threads, expected):
    import os

    import ctranslate2

    seen = {}

    class Recorder:
        def __init__(self, path, **kwargs):
            seen.update(kwargs)

    monkeypatch.setattr(ctranslate2, "Translator", Recorder)
    settings = _config(converted_store, "ctranslate2").translation
    ct2.CTranslate2Translator(converted_store / "Helsinki-NLP--opus-mt-sla-en", "k@1", settings, threads=threads)
    assert seen["intra_threads"] == (os.cpu_count() if expected == "cores" else expected) and seen["inter_threads"] == 1


@pytest.mark.parametrize("engine", ["transformers", "ctranslate2"])
def test_every_engine_counts_an_empty_batch_as_empty(converted_store, engine):
    """transformers' tokenizers raise IndexError on an empty batch; a summary whose chunks all came
    back empty once reached one that way and ended the run (#20)."""
    loading.forget_loaded()
    config = _config(converted_store, engine)
    for lang in ("sl", "ro"):  # opus-mt (SentencePiece) and NLLB (BPE)
        assert get_translator(config.model_for(lang), config).count_tokens([]) == []
    assert get_summariser(config).count_tokens([]) == []
