"""The real engines on tiny random-weight checkpoints of the real architectures."""

import dataclasses

import pytest

from polybrief.config import load_config
from polybrief.engines import loading
from polybrief.engines.nllb import nllb_code
from polybrief.engines.summarise import get_summariser
from polybrief.engines.translate import get_translator
from polybrief.errors import ModelError
from tests.tiny_models import build_nllb

SENTENCES = ["Ruski zunanji minister je danes izpostavil tesne vezi.", "Kratek stavek.",
             "Tretji stavek je daljši od drugega."]


@pytest.fixture()
def config(tiny_store):
    return load_config(None, models_dir=str(tiny_store),
                       translation={"beam_size": 2, "max_new_tokens": 12},
                       summary={"beam_size": 2, "max_new_tokens": 12, "min_new_tokens": 2})


def test_marian_translates_a_batch_and_is_loaded_once(config):
    t = get_translator(config.model_for("sl"), config)
    out = t.translate(SENTENCES, "sl")
    assert len(out) == 3 and all(isinstance(s, str) for s in out)
    assert get_translator(config.model_for("sl"), config) is t
    assert t.key == "Helsinki-NLP/opus-mt-sla-en@main"


def test_batched_output_equals_one_by_one_output(config):
    t = get_translator(config.model_for("sl"), config)
    assert t.translate(SENTENCES, "sl") == [t.translate([s], "sl")[0] for s in SENTENCES]


def test_nllb_is_told_the_source_and_forced_to_english(config, monkeypatch):
    t = get_translator(config.model_for("ro"), config)  # no opus-mt for Romanian: the NLLB fallback
    assert t.is_nllb
    seen = {}
    original = t.model.generate

    def spy(**kwargs):
        seen.update(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(t.model, "generate", spy)
    t.translate(["Przywódca Korei Północnej potwierdził poparcie."], "pl")
    tok = t.tokenizer
    assert seen["forced_bos_token_id"] == tok.convert_tokens_to_ids("eng_Latn") != tok.unk_token_id
    assert seen["input_ids"][0, 0].item() == tok.convert_tokens_to_ids(nllb_code("pl"))


def test_nllb_refuses_a_tokenizer_that_lacks_the_language_codes(tmp_path, config):
    # without the codes the tokenizer silently maps them to <unk> and NLLB translates into noise
    build_nllb(tmp_path / "facebook--nllb-200-distilled-600M", language_codes=False)
    t = get_translator(config.model_for("ro"), config.model_copy(update={"models_dir": str(tmp_path)}))
    with pytest.raises(ModelError, match="does not know the language code"):
        t.translate(["Zdanie."], "pl")


def test_summariser_window_and_output(config):
    s = get_summariser(config)
    assert s.window == 128  # the tiny BART's position table
    (out,) = s.summarise(["The Pentagon put the number at eleven to twelve thousand soldiers."])
    assert isinstance(out, str)


def test_summariser_never_generates_past_its_position_table(tiny_store):
    config = load_config(None, models_dir=str(tiny_store), summary={"beam_size": 1, "max_new_tokens": 500})
    loading.forget_loaded()
    s = get_summariser(config)
    assert s.generation.max_new_tokens == 126
    s.summarise(["A sentence."])  # generating 500 tokens would index past the table and crash


def test_pooled_length_batched_translation_equals_sentence_by_sentence(config, seeds):
    """The whole stage on the real tiny Marian: pooling, sorting and token-budget batching change
    the work, never the output."""
    from polybrief.stages.read import read_articles
    from polybrief.stages.translate import segment_article, translate_articles

    slovenian = read_articles([str(seeds)], config.input).articles[:3]  # 000-002 are Slovenian
    articles = [dataclasses.replace(a, lang="sl") for a in slovenian]
    t = get_translator(config.model_for("sl"), config)
    batch_sizes = []

    class Spy:
        key = t.key
        count_tokens = staticmethod(t.count_tokens)

        @staticmethod
        def translate(texts, src_lang):
            batch_sizes.append(len(texts))
            return t.translate(texts, src_lang)

    pooled = translate_articles(articles, lambda lang: Spy(), 200, batch_tokens=256, max_batch_size=8)
    assert len(batch_sizes) > 1 and max(batch_sizes) > 1
    for a, tr in zip(articles, pooled.translations, strict=False):
        sentences = [s for para in segment_article(a)[1] for s in para]
        assert [p.en for para in tr.paragraphs for p in para] == [t.translate([s], "sl")[0] for s in sentences]
