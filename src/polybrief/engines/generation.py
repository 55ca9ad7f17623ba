"""Generation settings: the checkpoint's own, with only what config.yaml sets on top, and the one
mapping of them onto each engine.

A checkpoint says how it should generate: distilbart-cnn blocks repeated trigrams, favours longer
summaries (length_penalty 2.0) and writes at least 56 tokens; tc-big opus-mt forbids its pad
token. Those settings live in `generation_config.json`, or in the generation keys of an old
`config.json`. Both engines read them here, so CTranslate2 (the default engine) generates what
transformers would, and a config key that is `null` means "the model's own".

Lengths: transformers counts the decoder's start token in `max_length`/`min_length`; both engines
here take the tokens generated after it (`max_new_tokens = max_length - 1`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_KEYS = ("num_beams", "max_length", "max_new_tokens", "min_length", "min_new_tokens", "no_repeat_ngram_size",
         "length_penalty", "early_stopping", "repetition_penalty", "forced_bos_token_id", "forced_eos_token_id",
         "bad_words_ids")
DEFAULT_MAX_NEW_TOKENS = 256  # a checkpoint that says nothing: a long sentence, and a summary


@dataclass(frozen=True)
class Generation:
    """How one model generates, as both engines apply it."""

    num_beams: int = 1
    max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS
    min_new_tokens: int = 0
    no_repeat_ngram_size: int = 0
    length_penalty: float = 1.0
    early_stopping: bool = False
    repetition_penalty: float = 1.0
    forced_bos_token_id: int | None = None  # BART summarisers start with <s>
    forced_eos: bool = False  # a sentence cut at the limit still ends with </s>
    bad_words_ids: tuple[tuple[int, ...], ...] = ()


def checkpoint_settings(path: Path) -> dict[str, Any]:
    """The generation keys the checkpoint sets: generation_config.json, else config.json."""
    for name in ("generation_config.json", "config.json"):
        file = path / name
        if file.is_file():
            data = json.loads(file.read_text(encoding="utf-8"))
            found = {k: data[k] for k in _KEYS if data.get(k) is not None}
            if found or name == "config.json":
                return found
    return {}


def generation_settings(path: Path, *, num_beams: int | None = None, max_new_tokens: int | None = None,
                        min_new_tokens: int | None = None) -> Generation:
    """The checkpoint's settings; a keyword that is not None (config.yaml's value) wins."""
    own = checkpoint_settings(path)
    positions = json.loads((path / "config.json").read_text()).get("max_position_embeddings") or 10**6
    longest = (max_new_tokens or own.get("max_new_tokens") or _after_start(own.get("max_length"))
               or DEFAULT_MAX_NEW_TOKENS)
    # the decoder cannot go past its position table: generating longer crashes, not truncates
    longest = max(1, min(longest, positions - 2))
    shortest = min_new_tokens if min_new_tokens is not None else (
        own.get("min_new_tokens") or _after_start(own.get("min_length")) or 0)
    return Generation(
        num_beams=num_beams or int(own.get("num_beams", 1)),
        max_new_tokens=longest,
        min_new_tokens=min(shortest, longest),
        no_repeat_ngram_size=int(own.get("no_repeat_ngram_size", 0)),
        length_penalty=float(own.get("length_penalty", 1.0)),
        early_stopping=bool(own.get("early_stopping", False)),
        repetition_penalty=float(own.get("repetition_penalty", 1.0)),
        forced_bos_token_id=own.get("forced_bos_token_id"),
        forced_eos=own.get("forced_eos_token_id") is not None,
        bad_words_ids=tuple(tuple(ids) for ids in own.get("bad_words_ids") or ()),
    )


def _after_start(length: int | None) -> int | None:
    return max(0, int(length) - 1) if length else None


def transformers_options(g: Generation) -> dict[str, Any]:
    """Keyword arguments for `model.generate`."""
    options: dict[str, Any] = {
        "num_beams": g.num_beams, "max_new_tokens": g.max_new_tokens, "min_new_tokens": g.min_new_tokens,
        "no_repeat_ngram_size": g.no_repeat_ngram_size, "length_penalty": g.length_penalty,
        "early_stopping": g.early_stopping, "repetition_penalty": g.repetition_penalty,
    }
    if g.forced_bos_token_id is not None:
        options["forced_bos_token_id"] = g.forced_bos_token_id
    if g.bad_words_ids:
        options["bad_words_ids"] = [list(ids) for ids in g.bad_words_ids]
    return options


def ctranslate2_options(g: Generation, token_of: Callable[[int], str]) -> dict[str, Any]:
    """Keyword arguments for `Translator.translate_batch`, and `target_prefix` for a forced first
    token. CTranslate2 has no early_stopping: its beam search ends when the best beam ends, which
    is what early_stopping=True does."""
    # transformers ends a sentence cut at the length limit with a forced </s>, which takes one of
    # the new tokens; CTranslate2 forces nothing, so it stops one token earlier to match
    longest = g.max_new_tokens - (1 if g.forced_eos else 0)
    options: dict[str, Any] = {
        "beam_size": g.num_beams, "max_decoding_length": longest, "min_decoding_length": min(g.min_new_tokens, longest),
        "no_repeat_ngram_size": g.no_repeat_ngram_size, "length_penalty": g.length_penalty,
        "repetition_penalty": g.repetition_penalty,
    }
    if g.bad_words_ids:
        options["suppress_sequences"] = [[token_of(i) for i in ids] for ids in g.bad_words_ids]
    if g.forced_bos_token_id is not None:
        options["target_prefix"] = [token_of(g.forced_bos_token_id)]
    return options
