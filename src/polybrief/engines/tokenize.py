"""Subword tokenisers for the CTranslate2 engines, without transformers (and so without torch).

CTranslate2 takes and returns token strings; transformers would only be needed to split and join
them, and importing it pulls in torch — most of a CTranslate2 process's memory. So the files of
the checkpoint are read directly: Marian's `source.spm`/`target.spm` with `sentencepiece`, and
everything with a `tokenizer.json` (NLLB, BART) with `tokenizers`. Both reproduce the transformers
tokenisers token for token (tested on the tiny models). A checkpoint with neither (an old BART
with only `vocab.json`/`merges.txt`) gets a `tokenizer.json` written at conversion
(`ct2.convert`); one converted before that falls back to the transformers tokeniser.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

SPIECE_UNDERLINE = "▁"


class Tokens(Protocol):
    def encode(self, texts: Sequence[str], src_code: str | None = None) -> list[list[str]]:
        """Token strings of each text as the model reads it, special tokens included."""

    def decode(self, tokens: Sequence[str]) -> str:
        """Text of generated tokens, special tokens dropped."""

    def knows(self, token: str) -> bool: ...


def _tokenizer_config(path: Path) -> dict:
    file = path / "tokenizer_config.json"
    return json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}


class SentencePieceTokens:
    """Marian (opus-mt): SentencePiece pieces, a `</s>` at the end, looked up in `vocab.json`."""

    def __init__(self, path: Path) -> None:
        import sentencepiece as spm

        settings = _tokenizer_config(path)
        self.source = spm.SentencePieceProcessor(model_file=str(path / "source.spm"))
        # transformers decodes with the source model unless the vocabularies are separate
        target = path / "target.spm" if settings.get("separate_vocabs") else path / "source.spm"
        self.target = spm.SentencePieceProcessor(model_file=str(target))
        self.eos = settings.get("eos_token", "</s>")
        self.vocab = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
        self.unk = settings.get("unk_token", "<unk>")
        self.specials = {self.eos, self.unk, settings.get("pad_token", "<pad>")}

    def encode(self, texts: Sequence[str], src_code: str | None = None) -> list[list[str]]:
        return [[*code, *self._known(self.source.encode(text, out_type=str)), self.eos]
                for code, text in map(_language_code, texts)]

    def _known(self, pieces: list[str]) -> list[str]:
        # `vocab.json` is not the SentencePiece model's own list: a piece missing from it is <unk>
        return [p if p in self.vocab else self.unk for p in pieces]

    def decode(self, tokens: Sequence[str]) -> str:
        pieces = [t for t in tokens if t not in self.specials]
        return self.target.decode_pieces(pieces).replace(SPIECE_UNDERLINE, " ").strip()

    def knows(self, token: str) -> bool:
        return token in self.vocab


def _language_code(text: str) -> tuple[list[str], str]:
    """A multilingual Marian target code (`>>fra<<`) is one token, not text."""
    if text.startswith(">>") and (end := text.find("<<")) != -1:
        return [text[:end + 2]], text[end + 2:]
    return [], text


class HFTokenizerTokens:
    """NLLB and BART: the checkpoint's `tokenizer.json`, run by the `tokenizers` library."""

    def __init__(self, file: Path, settings: dict) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(file))
        self.eos = settings.get("eos_token", "</s>")
        self.legacy = bool(settings.get("legacy_behaviour", False))  # NLLB's old code-last layout

    def encode(self, texts: Sequence[str], src_code: str | None = None) -> list[list[str]]:
        if src_code is None:  # the file's own post-processor adds BART's <s> … </s>
            return [e.tokens for e in self.tokenizer.encode_batch(list(texts), add_special_tokens=True)]
        # NLLB's saved post-processor holds whichever language was set when it was saved
        encoded = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        if self.legacy:
            return [[*e.tokens, self.eos, src_code] for e in encoded]
        return [[src_code, *e.tokens, self.eos] for e in encoded]

    def decode(self, tokens: Sequence[str]) -> str:
        ids = [i for i in map(self.tokenizer.token_to_id, tokens) if i is not None]
        return self.tokenizer.decode(ids, skip_special_tokens=True)

    def knows(self, token: str) -> bool:
        return self.tokenizer.token_to_id(token) is not None


class TransformersTokens:
    """The fallback: the transformers tokeniser (imports torch)."""

    def __init__(self, path: Path) -> None:
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=False)
        self._lock = threading.Lock()  # NLLB's source language is tokeniser state

    def encode(self, texts: Sequence[str], src_code: str | None = None) -> list[list[str]]:
        if not texts:  # transformers' tokenizers raise IndexError on an empty batch
            return []
        with self._lock:
            if src_code is not None:
                self.tokenizer.src_lang = src_code
            ids = self.tokenizer(list(texts), add_special_tokens=True)["input_ids"]
        return [list(self.tokenizer.convert_ids_to_tokens(x)) for x in ids]

    def decode(self, tokens: Sequence[str]) -> str:
        return str(self.tokenizer.decode(self.tokenizer.convert_tokens_to_ids(list(tokens)), skip_special_tokens=True))

    def knows(self, token: str) -> bool:
        return self.tokenizer.convert_tokens_to_ids(token) != self.tokenizer.unk_token_id


def tokenizer_file(path: Path, ct2_folder: str) -> Path | None:
    for file in (path / ct2_folder / "tokenizer.json", path / "tokenizer.json"):
        if file.is_file():
            return file
    return None


def load_tokens(path: Path, ct2_folder: str) -> Tokens:
    """The lightest tokeniser that reads this checkpoint exactly as transformers does."""
    if (path / "source.spm").is_file() and (path / "vocab.json").is_file():
        return SentencePieceTokens(path)
    file = tokenizer_file(path, ct2_folder)
    if file is not None:
        return HFTokenizerTokens(file, _tokenizer_config(path))
    return TransformersTokens(path)


def write_tokenizer_file(path: Path, ct2_folder: str) -> None:
    """At conversion: give a checkpoint without `tokenizer.json` one (from transformers' own
    conversion of its vocabulary files), so that runs need neither transformers nor torch."""
    if (path / "source.spm").is_file() or tokenizer_file(path, ct2_folder) is not None:
        return
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=False)
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is not None:
        backend.save(str(path / ct2_folder / "tokenizer.json"))


def token_of(path: Path, token_id: int) -> str:
    """The token with this id in a checkpoint's vocabulary (Marian `vocab.json`, else the
    `tokenizer.json` of BART and NLLB, added tokens included)."""
    found = _id_to_token(path)(token_id)
    if found is None:
        raise ValueError(f"{path.name}: no token with id {token_id} in its vocabulary")
    return found


@lru_cache(maxsize=8)
def _id_to_token(path: Path) -> Callable[[int], str | None]:
    """A checkpoint's id table, read once (an engine asks for its forced and forbidden tokens)."""
    vocab = path / "vocab.json"
    if (path / "source.spm").is_file() and vocab.is_file():  # Marian: one id table for both sides
        table = {i: token for token, i in json.loads(vocab.read_text(encoding="utf-8")).items()}
        return table.get
    from tokenizers import Tokenizer

    file = tokenizer_file(path, "ctranslate2") or path / "tokenizer.json"
    return Tokenizer.from_file(str(file)).id_to_token
