"""Language: identify each article's language with lingua and decide whether it can be handled.

English passes through untranslated; a language with no configured model (and no fallback) is
skipped with its reason, never dropped silently. Paragraphs of a mixed-language article get their
own language when lingua is sure of it and it is not a close relative of the article's language
(on FLORES-200 documents, paragraph-level detection confused only cs/sk and hr/bs/sr, 8 of 1,967).

Words that mix Latin and Cyrillic look-alike letters are folded to one script first
(`text.scripts`), and the article goes on with the folded text: lingua took a Bulgarian page
written 44 % in Latin homoglyphs for Spanish at 1.00. An article whose words stay mixed after
that is "language uncertain".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from polybrief.config import Config
from polybrief.errors import ConfigError
from polybrief.records import Article, Outcome
from polybrief.text.scripts import fold_mixed_scripts, mixed_script_words

MAX_MIXED_SHARE = 0.1  # words still in two scripts after folding: more than this, the language is uncertain


@dataclass(frozen=True)
class LanguageResult:
    articles: tuple[Article, ...]  # with lang and lang_confidence set; all can be handled
    outcomes: tuple[Outcome, ...]  # skipped ones, with the reason


def detect_languages(articles: Iterable[Article], config: Config) -> LanguageResult:
    detector = load_detector(config)
    kept: list[Article] = []
    outcomes: list[Outcome] = []
    for article in articles:
        article = _one_script(article)
        lang, confidence = _identify(detector, article)
        article = dataclasses.replace(article, lang=lang, lang_confidence=round(confidence, 4))
        article = dataclasses.replace(article, paragraph_langs=_paragraph_languages(detector, article, config))
        reason = _skip_reason(article, config)
        if reason:
            outcomes.append(Outcome(article.source, "skipped", reason, article.id))
        else:
            kept.append(article)
    return LanguageResult(tuple(kept), tuple(outcomes))


def _one_script(article: Article) -> Article:
    return dataclasses.replace(article, title=fold_mixed_scripts(article.title),
                               paragraphs=tuple(fold_mixed_scripts(p) for p in article.paragraphs),
                               captions=tuple(fold_mixed_scripts(c) for c in article.captions))


def _identify(detector, article: Article) -> tuple[str, float]:
    # the body decides; the title is short and often full of names
    values = detector.compute_language_confidence_values(article.text or article.title)
    if not values or values[0].value <= 0:
        return "", 0.0
    top = values[0]
    return top.language.iso_code_639_1.name.lower(), float(top.value)


# languages whose short texts lingua confuses with each other: never a reason to switch models
_RELATIVES = ({"hr", "bs", "sr"}, {"cs", "sk"}, {"da", "no", "nb", "sv"})
PARAGRAPH_MIN_CHARS = 60
PARAGRAPH_MIN_CONFIDENCE = 0.95


def _paragraph_languages(detector, article: Article, config: Config) -> tuple[str, ...]:
    if not article.lang or len(article.paragraphs) < 2:
        return ()
    langs = []
    for paragraph in article.paragraphs:
        lang = article.lang
        if len(paragraph) >= PARAGRAPH_MIN_CHARS:
            top = detector.compute_language_confidence_values(paragraph)[0]
            found = top.language.iso_code_639_1.name.lower()
            if (top.value >= PARAGRAPH_MIN_CONFIDENCE and not _related(found, article.lang)
                    and (found == "en" or config.model_for(found) is not None)):
                lang = found
        langs.append(lang)
    return tuple(langs) if set(langs) != {article.lang} else ()


def _related(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _RELATIVES)


def _skip_reason(article: Article, config: Config) -> str:
    if not article.lang:
        return "language not recognised"
    words, mixed = len(article.text.split()), mixed_script_words(article.text)
    if mixed > MAX_MIXED_SHARE * words:
        return f"language uncertain: {mixed} of {words} words mix Latin and Cyrillic letters"
    if article.lang_confidence < config.language.min_confidence:
        return (
            f"language uncertain: {article.lang} at {article.lang_confidence:.2f} "
            f"< language.min_confidence {config.language.min_confidence}"
        )
    if article.lang != "en" and config.model_for(article.lang) is None:
        return (f"no translation model for '{article.lang}' "
                f"(set translation.models.{article.lang} or translation.fallback)")
    return ""


def load_detector(config: Config):
    """lingua for the configured languages, built once per process."""
    return _detector(tuple(sorted(config.language.detect)), config.language.accuracy)


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...], accuracy: str = "high"):
    """Built once per process: preloading lingua's models takes about a second per 10 languages;
    low accuracy mode loads only the trigram models (a tenth of the memory, bench/language.py)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except AttributeError:
            known = ", ".join(sorted(c.name.lower() for c in IsoCode639_1))
            raise ConfigError(f"bad config value for 'language.detect': '{code}' is not a language lingua knows "
                              f"({known})") from None
    if len(languages) < 2:
        raise ConfigError("bad config value for 'language.detect': list at least two languages")
    builder = LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models()
    return (builder.with_low_accuracy_mode() if accuracy == "low" else builder).build()
