"""Language: identify each article's language with lingua and decide whether it can be handled.

English passes through untranslated; a language with no configured model (and no fallback) is
skipped with its reason, never dropped silently.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from polybrief.config import Config
from polybrief.errors import ConfigError
from polybrief.records import Article, Outcome


@dataclass(frozen=True)
class LanguageResult:
    articles: tuple[Article, ...]  # with lang and lang_confidence set; all can be handled
    outcomes: tuple[Outcome, ...]  # skipped ones, with the reason


def detect_languages(articles: Iterable[Article], config: Config) -> LanguageResult:
    detector = _detector(tuple(sorted(config.language.detect)))
    kept: list[Article] = []
    outcomes: list[Outcome] = []
    for article in articles:
        lang, confidence = _identify(detector, article)
        article = dataclasses.replace(article, lang=lang, lang_confidence=round(confidence, 4))
        reason = _skip_reason(article, config)
        if reason:
            outcomes.append(Outcome(article.source, "skipped", reason, article.id))
        else:
            kept.append(article)
    return LanguageResult(tuple(kept), tuple(outcomes))


def _identify(detector, article: Article) -> tuple[str, float]:
    # the body decides; the title is short and often full of names
    values = detector.compute_language_confidence_values(article.text or article.title)
    if not values or values[0].value <= 0:
        return "", 0.0
    top = values[0]
    return top.language.iso_code_639_1.name.lower(), float(top.value)


def _skip_reason(article: Article, config: Config) -> str:
    if not article.lang:
        return "language not recognised"
    if article.lang_confidence < config.language.min_confidence:
        return (
            f"language uncertain: {article.lang} at {article.lang_confidence:.2f} "
            f"< language.min_confidence {config.language.min_confidence}"
        )
    if article.lang != "en" and config.model_for(article.lang) is None:
        return f"no translation model for '{article.lang}' (set translation.models.{article.lang} or translation.fallback)"
    return ""


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]):
    """Built once per process: preloading lingua's models takes about a second per 10 languages."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except AttributeError:
            known = ", ".join(sorted(c.name.lower() for c in IsoCode639_1))
            raise ConfigError(f"bad config value for 'language.detect': '{code}' is not a language lingua knows ({known})") from None
    if len(languages) < 2:
        raise ConfigError("bad config value for 'language.detect': list at least two languages")
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
