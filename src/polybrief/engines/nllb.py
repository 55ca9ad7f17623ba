"""NLLB-200's language codes, and the check that a tokenizer knows them: both engines use it.

A code the tokenizer lacks silently becomes `<unk>`, and NLLB then translates into noise.
"""

from __future__ import annotations

from collections.abc import Callable

from polybrief.errors import ModelError

# lingua's ISO 639-1 codes → NLLB-200's FLORES codes, for the languages polybrief detects by default
NLLB_CODES = {
    "sl": "slv_Latn", "hu": "hun_Latn", "pl": "pol_Latn", "hr": "hrv_Latn", "sr": "srp_Cyrl",
    "bs": "bos_Latn", "cs": "ces_Latn", "sk": "slk_Latn", "de": "deu_Latn", "en": "eng_Latn",
    "fr": "fra_Latn", "it": "ita_Latn", "es": "spa_Latn", "pt": "por_Latn", "nl": "nld_Latn",
    "ro": "ron_Latn", "bg": "bul_Cyrl", "ru": "rus_Cyrl", "uk": "ukr_Cyrl", "el": "ell_Grek",
    "tr": "tur_Latn", "fi": "fin_Latn", "sv": "swe_Latn", "da": "dan_Latn", "lt": "lit_Latn",
    "lv": "lvs_Latn", "et": "est_Latn", "mk": "mkd_Cyrl", "sq": "als_Latn", "be": "bel_Cyrl",
}


def nllb_codes(knows: Callable[[str], bool], src_lang: str, key: str) -> tuple[str, str]:
    """NLLB's source and target (English) codes, checked to be known to the tokenizer."""
    src, tgt = NLLB_CODES.get(src_lang), NLLB_CODES["en"]
    if src is None:
        raise ModelError(f"no NLLB language code known for '{src_lang}'")
    for code in (src, tgt):
        # a tokenizer without the code maps it to <unk> and NLLB then translates into noise
        if not knows(code):
            raise ModelError(f"the tokenizer of {key} does not know the language code {code}")
    return src, tgt
