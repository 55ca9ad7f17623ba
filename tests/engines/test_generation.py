"""Generation settings come from the checkpoint, for both engines; config.yaml overrides only what it
sets. Each engine's model is wrapped in a recorder, so the tests see the options really passed."""

import json
import shutil

import pytest

from polybrief.config import load_config
from polybrief.engines import loading
from polybrief.engines.generation import Generation, generation_settings
from polybrief.engines.summarise import get_summariser
from polybrief.engines.translate import get_translator

# distilbart-cnn-12-6's hub settings: max_length 142 and min_length 56 count the start token
DISTILBART = Generation(num_beams=4, max_new_tokens=126, min_new_tokens=55, no_repeat_ngram_size=3, length_penalty=2.0,
                        early_stopping=True, forced_bos_token_id=0, forced_eos=True)  # 126: the tiny position table


class Recorder:
    """Stands in for a model object: records the keyword arguments of each call, then delegates."""

    def __init__(self, model, method):
        self.model, self.method, self.calls = model, method, []

    def __getattr__(self, name):
        attr = getattr(self.model, name)
        if name != self.method:
            return attr

        def record(*args, **kwargs):
            self.calls.append(kwargs)
            return attr(*args, **kwargs)

        return record


def _engine(store, engine, **summary):
    loading.forget_loaded()
    config = load_config(None, models_dir=str(store), translation={"engine": engine, "compute_type": "float32"},
                         summary={"engine": engine, "compute_type": "float32", **summary})
    return config


def _summarise_with(summariser, method):
    summariser.model = Recorder(summariser.model, method)
    summariser.summarise(["The Pentagon put the number at eleven to twelve thousand soldiers in the region."])
    return summariser.model.calls[0]


def test_the_summariser_uses_the_checkpoints_settings_on_both_engines(converted_store):
    summariser = get_summariser(_engine(converted_store, "transformers"))
    assert summariser.generation == DISTILBART
    used = _summarise_with(summariser, "generate")
    assert {k: used[k] for k in ("num_beams", "max_new_tokens", "min_new_tokens", "no_repeat_ngram_size",
                                 "length_penalty", "early_stopping", "forced_bos_token_id")} == {
        "num_beams": 4, "max_new_tokens": 126, "min_new_tokens": 55, "no_repeat_ngram_size": 3,
        "length_penalty": 2.0, "early_stopping": True, "forced_bos_token_id": 0}

    summariser = get_summariser(_engine(converted_store, "ctranslate2"))
    assert summariser.generation == DISTILBART
    used = _summarise_with(summariser, "translate_batch")
    assert {k: used[k] for k in ("beam_size", "max_decoding_length", "min_decoding_length", "no_repeat_ngram_size",
                                 "length_penalty")} == {
        "beam_size": 4, "max_decoding_length": 125, "min_decoding_length": 55, "no_repeat_ngram_size": 3,
        "length_penalty": 2.0}  # 125: transformers' forced </s> takes the last of the 126
    assert used["target_prefix"] == [["<s>"]]  # BART's forced first token


@pytest.mark.parametrize("engine, method", [("transformers", "generate"), ("ctranslate2", "translate_batch")])
def test_translators_use_the_checkpoints_settings(converted_store, engine, method):
    config = _engine(converted_store, engine)
    marian = get_translator(config.model_for("sl"), config)
    assert marian.generation.num_beams == 4 and marian.generation.max_new_tokens == 254  # 512, capped by positions
    pad = json.loads((converted_store / "Helsinki-NLP--opus-mt-sla-en" / "vocab.json").read_text())["<pad>"]
    assert marian.generation.bad_words_ids == ((pad,),)
    marian.model = Recorder(marian.model, method)
    marian.translate(["Ruski predsednik je obiskal Peking."], "sl")
    used = marian.model.calls[0]
    assert used.get("num_beams", used.get("beam_size")) == 4
    if engine == "transformers":
        assert used["bad_words_ids"] == [[pad]]
    nllb = get_translator(config.translation.fallback, config)
    assert nllb.generation.max_new_tokens == 199 and nllb.generation.num_beams == 1  # NLLB's max_length 200


def test_a_config_key_overrides_only_what_it_sets(converted_store):
    summariser = get_summariser(_engine(converted_store, "transformers", beam_size=2, min_new_tokens=5))
    assert (summariser.generation.num_beams, summariser.generation.min_new_tokens) == (2, 5)
    assert summariser.generation.no_repeat_ngram_size == 3 and summariser.generation.length_penalty == 2.0


def test_an_old_checkpoint_keeps_its_settings_in_config_json(tiny_store, tmp_path):
    """2020-era opus-mt repos have no generation_config.json: the keys are in config.json."""
    folder = tmp_path / "old"
    shutil.copytree(tiny_store / "sshleifer--distilbart-cnn-12-6", folder)
    settings = json.loads((folder / "generation_config.json").read_text())
    (folder / "generation_config.json").unlink()
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, **settings}))
    assert generation_settings(folder) == DISTILBART


def test_the_transformers_engine_runs_in_float32_on_a_cpu_whatever_dtype_the_checkpoint_names(tiny_store, tmp_path):
    """tc-big opus-mt checkpoints say `torch_dtype: float16`; transformers 5 would load that."""
    import torch

    folder = tmp_path / "tc-big"
    shutil.copytree(tiny_store / "Helsinki-NLP--opus-mt-sla-en", folder)
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "torch_dtype": "float16", "dtype": "float16"}))
    _tokenizer, model = loading.load_seq2seq(folder, "cpu")
    assert model.dtype == torch.float32
