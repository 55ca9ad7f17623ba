"""NLLB-200's language codes, and the check that a tokenizer knows them: both engines use it.

A code the tokenizer lacks silently becomes `<unk>`, and NLLB then translates into noise.
"""

from __future__ import annotations

from collections.abc import Callable

from polybrief.errors import ModelError


def nllb_code(lang: str) -> str | None:
    """NLLB-200's FLORES code for an ISO 639-1 code (text/languages/<lang>.yaml: nllb_code)."""
    from polybrief.text.languages import by_language

    code = by_language("nllb_code").get(lang)
    return str(code) if code else None


def nllb_codes(knows: Callable[[str], bool], src_lang: str, key: str) -> tuple[str, str]:
    """NLLB's source and target (English) codes, checked to be known to the tokenizer."""
    src, tgt = nllb_code(src_lang), nllb_code("en") or "eng_Latn"
    if src is None:
        raise ModelError(f"no NLLB language code known for '{src_lang}'")
    for code in (src, tgt):
        # a tokenizer without the code maps it to <unk> and NLLB then translates into noise
        if not knows(code):
            raise ModelError(f"the tokenizer of {key} does not know the language code {code}")
    return src, tgt
