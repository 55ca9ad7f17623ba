"""The small frozen records that travel between stages.

They hold plain data only (str, int, float, tuples of those or of other records), so Prefect can
hash and persist them cheaply and `to_dict`/`from_dict` round-trip them through JSON.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar, get_type_hints

T = TypeVar("T")


def content_id(text: str) -> str:
    """A stable id for a text: case, runs of whitespace and Unicode forms do not change it."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    normal = re.sub(r"\s+", " ", normal).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    """One input article. `paragraphs` is the text to translate; captions are kept apart."""

    id: str
    source: str  # the file (or file#line) it came from
    paragraphs: tuple[str, ...]
    title: str = ""
    date: str = ""  # ISO 8601, as precise as the input says (2024-11 or 2024-11-30)
    url: str = ""
    outlet: str = ""
    captions: tuple[str, ...] = ()
    lang: str = ""  # ISO 639-1, set by the language stage
    lang_confidence: float = 0.0
    # one code per paragraph when some paragraphs are in another language (an English statement
    # quoted in a Slovenian article); empty when every paragraph is in `lang`
    paragraph_langs: tuple[str, ...] = ()

    def language_of(self, paragraph: int) -> str:
        return self.paragraph_langs[paragraph] if self.paragraph_langs else self.lang

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({self.lang, *self.paragraph_langs}))

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Outcome:
    """What happened to one input; every input ends with exactly one."""

    source: str
    status: str  # briefed | duplicate | skipped | failed
    detail: str = ""
    article_id: str = ""


@dataclass(frozen=True)
class DuplicateGroup:
    """Articles that are the same story copied or re-edited; `primary` is the fullest one."""

    primary: str
    members: tuple[str, ...]  # excluding the primary
    # per member: share of the smaller text found in the other, or across languages the cosine of
    # their multilingual vectors
    containment: tuple[float, ...]


@dataclass(frozen=True)
class SentencePair:
    src: str
    en: str


@dataclass(frozen=True)
class Doubt:
    """A translated sentence whose English may not say what its original says."""

    anchor: str  # the sentence ("s3-2")
    reason: str  # differs | untranslated | repeated | cut
    score: float  # cosine of original and English (multilingual encoder)


@dataclass(frozen=True)
class Translation:
    article_id: str
    lang: str
    model: str  # "name@revision", or "" when the article was English already
    title_en: str
    paragraphs: tuple[tuple[SentencePair, ...], ...]
    doubts: tuple[Doubt, ...] = ()  # set by the translation check

    @property
    def text_en(self) -> str:
        return "\n\n".join(" ".join(p.en for p in para) for para in self.paragraphs)


@dataclass(frozen=True)
class Summary:
    article_id: str
    model: str
    text: str


@dataclass(frozen=True)
class Story:
    id: str
    slug: str
    article_ids: tuple[str, ...]  # most central first
    centroid: tuple[float, ...] = ()  # mean English embedding, to recognise the story next run
    new_since: str = ""  # date of the story's previous briefing, when it continues one
    new_articles: tuple[str, ...] = ()  # articles added since then


@dataclass(frozen=True)
class SourceRef:
    number: int  # the [n] used in key points
    article_id: str
    lang: str
    confidence: float
    date: str
    title: str
    title_en: str
    source: str
    url: str = ""
    duplicate_of: str = ""
    outlet: str = ""  # who published it: the record's outlet, the URL's host, or the file's name
    opening: str = ""  # the first words of the English, for an article without a title


@dataclass(frozen=True)
class KeyPoint:
    text: str
    sources: tuple[int, ...]  # SourceRef numbers
    anchors: tuple[str, ...] = ()  # per source: the supporting sentence on its article page ("s3-2")


@dataclass(frozen=True)
class Quote:
    """A direct quote, in English and as the source wrote it, with who said it (when named)."""

    text: str
    original: str
    speaker: str
    source: int  # SourceRef number
    anchor: str


@dataclass(frozen=True)
class Figure:
    """A quantity a source gives, with what it counts and who it cites for it."""

    low: float
    high: float
    counts: str  # the counted noun, normalised ("soldier")
    text: str  # as the English writes it ("11 to 12 thousand North Korean troops")
    who: str
    source: int
    anchor: str


@dataclass(frozen=True)
class FigureCheck:
    """A number of the original sentence that its English translation does not carry."""

    source: int
    anchor: str
    original: str
    english: str
    value: float


@dataclass(frozen=True)
class Event:
    """A dated event of the story: a publication, or a date named in an article."""

    date: str  # ISO, as precise as known (2024, 2024-08, 2024-08-06)
    text: str
    source: int
    anchor: str = ""


@dataclass(frozen=True)
class Briefing:
    story_id: str
    slug: str
    headline: str
    summary: str
    key_points: tuple[KeyPoint, ...]
    sources: tuple[SourceRef, ...]
    languages: tuple[str, ...]
    date: str = ""  # newest source date
    summary_model: str = ""
    quotes: tuple[Quote, ...] = ()
    timeline: tuple[Event, ...] = ()
    figures: tuple[Figure, ...] = ()  # figures of the same thing that differ between sources
    figure_checks: tuple[FigureCheck, ...] = ()
    names: tuple[tuple[str, int], ...] = ()  # (name, number of sources naming it)
    new_since: str = ""
    new_sources: tuple[int, ...] = ()
    doubted: tuple[tuple[int, int], ...] = ()  # (source number, sentences the translation check doubts)


def to_dict(record: Any) -> dict[str, Any]:
    return dataclasses.asdict(record)


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a record (and the records nested in it) from `to_dict` output."""
    hints = get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _revive(hints[f.name], data[f.name])
    return cls(**kwargs)


def _revive(hint: Any, value: Any) -> Any:
    origin = getattr(hint, "__origin__", None)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return from_dict(hint, value)
    if origin is tuple:
        (inner, *_rest) = hint.__args__
        return tuple(_revive(inner, v) for v in value)
    return value


__all__ = [
    "Article",
    "Briefing",
    "DuplicateGroup",
    "Event",
    "Figure",
    "FigureCheck",
    "KeyPoint",
    "Outcome",
    "Quote",
    "SentencePair",
    "SourceRef",
    "Story",
    "Summary",
    "Translation",
    "content_id",
    "from_dict",
    "to_dict",
]


@dataclass(frozen=True)
class RunData:
    """What a run's stories are briefed from: its articles (and the earlier ones continued stories
    cite), their translations and the near-duplicate groups, each indexed by article
    id once (a story's merge looks every source up several times)."""

    articles: tuple[Article, ...] = ()
    translations: tuple[Translation, ...] = ()
    groups: tuple[DuplicateGroup, ...] = ()

    @cached_property
    def article(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    @cached_property
    def translation(self) -> dict[str, Translation]:
        return {t.article_id: t for t in self.translations}

