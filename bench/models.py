"""Random-weight checkpoints with the real sizes of the models polybrief uses (bench only).

Speed does not depend on the weights, so these stand in for the real checkpoints, which cannot be
downloaded here. Tokenizers are trained on the example articles (tests/tiny_models.py), or on the
text a bench passes, and their vocabularies padded to the real sizes (distilbart can take the real
tokenizer's files); each folder gets its CTranslate2 conversion with the
weights `polybrief models pull` stores for the default compute type (int8).
"""

from __future__ import annotations

import json
from pathlib import Path

OPUS = dict(d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8, decoder_attention_heads=8,
            encoder_ffn_dim=2048, decoder_ffn_dim=2048, vocab_size=58101, max_position_embeddings=512)
NLLB_600M = dict(d_model=1024, encoder_layers=12, decoder_layers=12, encoder_attention_heads=16,
                 decoder_attention_heads=16, encoder_ffn_dim=4096, decoder_ffn_dim=4096, vocab_size=256206,
                 max_position_embeddings=1024)
DISTILBART = dict(d_model=1024, encoder_layers=12, decoder_layers=6, encoder_attention_heads=16,
                  decoder_attention_heads=16, encoder_ffn_dim=4096, decoder_ffn_dim=4096, vocab_size=50265,
                  max_position_embeddings=1024)


def _pad(vocab: dict[str, int], size: int) -> dict[str, int]:
    while len(vocab) < size:
        vocab[f"<filler{len(vocab)}>"] = len(vocab)
    return vocab


def _finish(model, tokenizer, dest: Path) -> Path:
    from polybrief.engines import ct2

    model.save_pretrained(dest)
    tokenizer.save_pretrained(dest)
    ct2.convert(dest, ct2.weights_for("auto"))
    return dest


def opus_mt(folder: Path, source_vocab: int = 400, source_lines: list[str] | None = None) -> Path:
    """opus-mt (MarianMT): 512-d, 6+6 layers, 8 heads, FFN 2048, vocabulary 58,101. The source
    SentencePiece is trained on `source_lines` (the example articles by default) with
    `source_vocab` pieces: what decides how many tokens a sentence costs."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    from tests import tiny_models

    work = folder / "work"
    work.mkdir(parents=True, exist_ok=True)
    src = tiny_models._train_spm(source_lines or tiny_models.source_corpus(), work / "source", source_vocab)
    tgt = tiny_models._train_spm(tiny_models.english_corpus(), work / "target", 200)
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for model in (src, tgt):  # one vocabulary for both sides, as opus-mt's vocab.json
        proc = spm.SentencePieceProcessor(model_file=str(model))
        for i in range(proc.get_piece_size()):
            vocab.setdefault(proc.id_to_piece(i), len(vocab))
    vocab = _pad(vocab, OPUS["vocab_size"] - 1)
    vocab["<pad>"] = len(vocab)
    (work / "vocab.json").write_text(json.dumps(vocab))
    tok = MarianTokenizer(str(src), str(tgt), str(work / "vocab.json"))
    config = MarianConfig(pad_token_id=vocab["<pad>"], eos_token_id=0, decoder_start_token_id=vocab["<pad>"], **OPUS)
    torch.manual_seed(0)
    return _finish(MarianMTModel(config), tok, folder / "opus-mt-real-size")


def nllb_600m(folder: Path) -> Path:
    """NLLB-200-distilled-600M (M2M100): 1024-d, 12+12 layers, 16 heads, FFN 4096, vocabulary
    256,206 (CTranslate2's converter pads the vocabulary to the embedding size, as for the real one)."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    from tests import tiny_models

    vocab, merges = tiny_models._bpe(tiny_models.source_corpus() + tiny_models.english_corpus(), 8000, byte_level=False)
    tok = NllbTokenizer(vocab=vocab, merges=merges)
    config = M2M100Config(pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
                          scale_embedding=True, **NLLB_600M)
    torch.manual_seed(0)
    return _finish(M2M100ForConditionalGeneration(config), tok, folder / "nllb-600m-real-size")


def distilbart(folder: Path, real_tokenizer: Path | None = None) -> Path:
    """distilbart-cnn-12-6 (BART): 1024-d, 12+6 layers, 16 heads, FFN 4096, vocabulary 50,265.
    `real_tokenizer`: a folder with the real checkpoint's vocab.json and merges.txt (GPT-2's byte
    BPE), used instead of one trained on the examples."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    from tests import tiny_models

    if real_tokenizer is not None:
        vocab = json.loads((real_tokenizer / "vocab.json").read_text(encoding="utf-8"))
        lines = (real_tokenizer / "merges.txt").read_text(encoding="utf-8").splitlines()
        merges = [tuple(line.split(" ")) for line in lines if line and not line.startswith("#version")]
        tok = BartTokenizer(vocab=vocab, merges=merges)
    else:
        vocab, merges = tiny_models._bpe(tiny_models.source_corpus() + tiny_models.english_corpus(), 12000,
                                         byte_level=True)
        vocab = _pad(vocab, DISTILBART["vocab_size"] - 1)
        vocab["<mask>"] = len(vocab)
        tok = BartTokenizer(vocab=vocab, merges=merges)
    config = BartConfig(pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2, forced_bos_token_id=0,
                        normalize_before=False, normalize_embedding=True, **DISTILBART)
    torch.manual_seed(0)
    return _finish(BartForConditionalGeneration(config), tok, folder / "distilbart-real-size")


BUILDERS = {"opus-mt": opus_mt, "nllb-600m": nllb_600m, "distilbart": distilbart}
