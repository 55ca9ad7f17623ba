"""The torch-free tokenisers of the CTranslate2 engines against the transformers tokenisers."""

import json
import shutil

import pytest

from polybrief.engines import tokenize
from polybrief.engines.ct2 import CT2_FOLDER, convert

TEXTS = [
    "Ruski zunanji minister je danes izpostavil tesne vezi.",
    "Az orosz külügyminiszter „szoros kapcsolatokról” beszélt: 10.000 katona, 11-12 ezer.",
    "Przywódca Korei Północnej potwierdził poparcie — 30 listopada 2024 r.",
    "The Pentagon said 11,000 to 12,000 North Korean troops were sent.",
    "☃ 漢字 and an emoji 🙂 the tokenisers never saw",
    "  spaces   around  ",
    "",
]
MODELS = ["Helsinki-NLP--opus-mt-sla-en", "Helsinki-NLP--opus-mt-hu-en", "facebook--nllb-200-distilled-600M",
          "sshleifer--distilbart-cnn-12-6"]


def _reference(path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(path, local_files_only=True)


@pytest.mark.parametrize("model", MODELS)
def test_tokens_match_the_transformers_tokeniser(tiny_store, model):
    path = tiny_store / model
    ours, ref = tokenize.load_tokens(path, CT2_FOLDER), _reference(path)
    assert not isinstance(ours, tokenize.TransformersTokens)
    src = "slv_Latn" if model.startswith("facebook") else None
    if src:
        ref.src_lang = src
    expected = [ref.convert_ids_to_tokens(ids) for ids in ref(TEXTS, add_special_tokens=True)["input_ids"]]
    assert ours.encode(TEXTS, src) == expected


@pytest.mark.parametrize("model", MODELS)
def test_decoding_matches_the_transformers_tokeniser(tiny_store, model):
    path = tiny_store / model
    ours, ref = tokenize.load_tokens(path, CT2_FOLDER), _reference(path)
    # generated token sequences: every id of the vocabulary turns up in one of them
    ids = list(range(len(ref)))
    sequences = [ids[i:i + 7] for i in range(0, len(ids), 7)]
    for seq in sequences:
        tokens = ref.convert_ids_to_tokens(seq)
        assert ours.decode(tokens) == ref.decode(seq, skip_special_tokens=True), tokens


def test_nllb_language_codes_are_known_and_others_are_not(tiny_store):
    ours = tokenize.load_tokens(tiny_store / "facebook--nllb-200-distilled-600M", CT2_FOLDER)
    assert ours.knows("slv_Latn") and ours.knows("eng_Latn") and not ours.knows("xyz_Latn")


def test_a_checkpoint_without_tokenizer_json_gets_one_at_conversion(tiny_store, tmp_path):
    """An old BART checkpoint ships vocab.json + merges.txt only: before conversion the fallback
    (transformers) reads it; conversion writes a tokenizer.json that reads it the same way."""
    path = tmp_path / "old-bart"
    shutil.copytree(tiny_store / "sshleifer--distilbart-cnn-12-6", path)
    model = json.loads((path / "tokenizer.json").read_text())["model"]
    (path / "vocab.json").write_text(json.dumps(model["vocab"]))
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]
    (path / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n")
    (path / "tokenizer.json").unlink()
    before = tokenize.load_tokens(path, CT2_FOLDER)
    assert isinstance(before, tokenize.TransformersTokens)
    convert(path)
    after = tokenize.load_tokens(path, CT2_FOLDER)
    assert isinstance(after, tokenize.HFTokenizerTokens) and (path / CT2_FOLDER / "tokenizer.json").is_file()
    assert after.encode(TEXTS) == before.encode(TEXTS)
