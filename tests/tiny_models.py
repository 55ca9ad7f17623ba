"""Tiny random-weight models of the real architectures, with tokenizers trained here and now.

They are saved with `save_pretrained` (safetensors) into a model store laid out exactly as
`polybrief models pull` lays it out, so tests load them through the product's own code path.
Their output is noise; what the tests check is everything around it.
"""

from __future__ import annotations

import json
from pathlib import Path

import sentencepiece as spm

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).parent.parent / "examples" / "articles"
# the generation settings of the real checkpoints (their hub generation_config.json), with token
# ids of the tiny vocabularies: both engines must apply them, so the tests see them applied
def opus_mt_generation(pad: int) -> dict:
    return {"bad_words_ids": [[pad]], "bos_token_id": 0, "decoder_start_token_id": pad, "eos_token_id": 0,
            "forced_eos_token_id": 0, "max_length": 512, "num_beams": 4, "pad_token_id": pad}


NLLB_GENERATION = {"bos_token_id": 0, "decoder_start_token_id": 2, "eos_token_id": 2, "max_length": 200,
                   "pad_token_id": 1}
DISTILBART_GENERATION = {"bos_token_id": 0, "decoder_start_token_id": 2, "early_stopping": True, "eos_token_id": 2,
                         "forced_bos_token_id": 0, "forced_eos_token_id": 2, "length_penalty": 2.0, "max_length": 142,
                         "min_length": 56, "no_repeat_ngram_size": 3, "num_beams": 4, "pad_token_id": 1}


def write_generation(dest: Path, settings: dict) -> None:
    (dest / "generation_config.json").write_text(json.dumps(settings, indent=2), encoding="utf-8")


TINY = dict(d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
            encoder_ffn_dim=64, decoder_ffn_dim=64)


def source_corpus() -> list[str]:
    lines = [line.strip() for f in sorted(SEEDS.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def english_corpus() -> list[str]:
    return [line for line in (FIXTURES / "english.txt").read_text(encoding="utf-8").splitlines() if line.strip()]


def _train_spm(lines: list[str], prefix: Path, vocab_size: int) -> Path:
    corpus = prefix.with_suffix(".corpus.txt")
    corpus.write_text("\n".join(lines), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), vocab_size=vocab_size, model_type="unigram",
        character_coverage=1.0, bos_id=-1, eos_id=1, unk_id=0, pad_id=-1, hard_vocab_limit=False,
        minloglevel=2,
    )
    corpus.unlink()
    return prefix.with_suffix(".model")


def build_marian(dest: Path, work: Path, source_vocab: int = 400) -> Path:
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    work.mkdir(parents=True, exist_ok=True)
    src = _train_spm(source_corpus(), work / "source", source_vocab)
    tgt = _train_spm(english_corpus(), work / "target", 200)
    pieces: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for model in (src, tgt):
        proc = spm.SentencePieceProcessor(model_file=str(model))
        for i in range(proc.get_piece_size()):
            pieces.setdefault(proc.id_to_piece(i), len(pieces))
    pieces["<pad>"] = len(pieces)
    (work / "vocab.json").write_text(json.dumps(pieces), encoding="utf-8")
    tokenizer = MarianTokenizer(str(src), str(tgt), str(work / "vocab.json"))
    pad = pieces["<pad>"]
    config = MarianConfig(vocab_size=len(pieces), pad_token_id=pad, eos_token_id=0, decoder_start_token_id=pad,
                          forced_eos_token_id=0, max_position_embeddings=256, **TINY)
    torch.manual_seed(0)
    MarianMTModel(config).save_pretrained(dest)
    tokenizer.save_pretrained(dest)
    write_generation(dest, opus_mt_generation(pad))
    return dest


def _bpe(lines: list[str], vocab_size: int, byte_level: bool) -> tuple[dict[str, int], list[tuple[str, str]]]:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    tok = Tokenizer(models.BPE(unk_token=None if byte_level else "<unk>"))
    if byte_level:
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        alphabet = pre_tokenizers.ByteLevel.alphabet()
    else:
        tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
        alphabet = []
    tok.decoder = decoders.ByteLevel() if byte_level else decoders.Metaspace()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials, initial_alphabet=alphabet,
                                  show_progress=False)
    tok.train_from_iterator(lines, trainer)
    data = json.loads(tok.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in data["merges"]]
    return data["vocab"], merges


def build_nllb(dest: Path, language_codes: bool = True) -> Path:
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    vocab, merges = _bpe(source_corpus() + english_corpus(), 600, byte_level=False)
    # by default the tokenizer adds NLLB's 200 language codes as special tokens
    tokenizer = NllbTokenizer(vocab=vocab, merges=merges, **({} if language_codes else {"extra_special_tokens": []}))
    config = M2M100Config(vocab_size=len(tokenizer), pad_token_id=1, bos_token_id=0, eos_token_id=2,
                          decoder_start_token_id=2, max_position_embeddings=256, scale_embedding=True, **TINY)
    torch.manual_seed(0)
    M2M100ForConditionalGeneration(config).save_pretrained(dest)
    tokenizer.save_pretrained(dest)
    write_generation(dest, NLLB_GENERATION)
    return dest


def build_bart(dest: Path, window: int = 128, silent: bool = False) -> Path:
    """A BART summariser whose window is small, so that chunking is exercised. `silent`: its
    output logits favour the special tokens, so every summary decodes to "" (a checkpoint whose
    outputs come back empty, whatever the minimum length and the n-gram rule ask)."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    vocab, merges = _bpe(english_corpus(), 400, byte_level=True)
    vocab["<mask>"] = len(vocab)
    tokenizer = BartTokenizer(vocab=vocab, merges=merges)
    # hub BART configs carry the two normalize_* keys; CTranslate2's converter needs them
    config = BartConfig(vocab_size=len(tokenizer), pad_token_id=1, bos_token_id=0, eos_token_id=2,
                        decoder_start_token_id=2, forced_bos_token_id=0, max_position_embeddings=window,
                        normalize_before=False, normalize_embedding=True, **TINY)
    torch.manual_seed(0)
    model = BartForConditionalGeneration(config)
    if silent:
        with torch.no_grad():
            model.final_logits_bias[0, tokenizer.all_special_ids] = 1e4
    model.save_pretrained(dest)
    tokenizer.save_pretrained(dest)
    write_generation(dest, DISTILBART_GENERATION)
    return dest


def build_store(store: Path, work: Path) -> Path:
    """The default config's models (by name) as tiny checkpoints: opus-mt for sl and hu, NLLB as
    fallback (the tests route Polish through it), distilbart for summaries."""
    marian = build_marian(store / "Helsinki-NLP--opus-mt-sla-en", work / "marian")
    import shutil

    shutil.copytree(marian, store / "Helsinki-NLP--opus-mt-hu-en")
    build_nllb(store / "facebook--nllb-200-distilled-600M")
    build_bart(store / "sshleifer--distilbart-cnn-12-6")
    return store


if __name__ == "__main__":
    import sys
    import tempfile

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "models-tiny")
    with tempfile.TemporaryDirectory() as tmp:
        build_store(target, Path(tmp))
    print(f"tiny model store in {target}")


def build_e5(dest: Path, work: Path) -> Path:
    """multilingual-e5-small's architecture (XLM-RoBERTa encoder) with random weights, 2 layers of
    32, and a SentencePiece tokenizer trained here on the seeds and English (as e5's is: one
    vocabulary for every language)."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel, XLMRobertaTokenizer

    model_file = _train_spm(source_corpus() + english_corpus(), work / "e5", 300)
    tokenizer = XLMRobertaTokenizer(vocab_file=str(model_file))
    config = XLMRobertaConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                              intermediate_size=64, max_position_embeddings=600, pad_token_id=tokenizer.pad_token_id)
    torch.manual_seed(5)
    XLMRobertaModel(config).save_pretrained(dest, safe_serialization=True)
    tokenizer.save_pretrained(dest)
    return dest
