"""The run report: every input with exactly one outcome, and what the run did."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from polybrief.records import Article, Briefing, DuplicateGroup, Outcome, Story

STATUSES = ("briefed", "duplicate", "skipped", "failed")
SEEN_BEFORE = "seen in an earlier run"  # how a skipped outcome of `input.only_new` begins


def final_outcomes(
    articles: Sequence[Article],
    early: Sequence[Outcome],
    groups: Sequence[DuplicateGroup],
    stories: Sequence[Story],
) -> list[Outcome]:
    """`early` holds what read, language and translate recorded; the rest is decided here."""
    decided = {o.article_id: o for o in early if o.article_id}
    story_of = {i: s.slug for s in stories for i in s.article_ids}
    source_of = {a.id: a.source for a in articles}
    near_duplicate_of = {m: g.primary for g in groups for m in g.members}
    outcomes = [o for o in early if not o.article_id or o.article_id not in source_of or o.status == "duplicate"]
    for a in articles:
        if a.id in decided:
            outcomes.append(decided[a.id])
        elif a.id in story_of:
            detail = story_of[a.id]
            if a.id in near_duplicate_of:
                detail += f" (near-duplicate of {source_of[near_duplicate_of[a.id]]})"
            outcomes.append(Outcome(a.source, "briefed", detail, a.id))
        else:
            outcomes.append(Outcome(a.source, "failed", "not placed in any story", a.id))
    return sorted(outcomes, key=lambda o: o.source)


@dataclass(frozen=True)
class StoryLine:
    """A story of the edition, as run.json lists it."""

    id: str
    slug: str
    headline: str
    articles: tuple[str, ...]


@dataclass(frozen=True)
class InputOutcome:
    """One input and what became of it (the article's language, title and date when it was read)."""

    source: str
    status: str
    detail: str = ""
    article_id: str = ""
    lang: str = ""
    confidence: float = 0.0
    title: str = ""
    date: str = ""


@dataclass(frozen=True)
class ModelsUsed:
    """Which checkpoint (at which commit) translated each language and summarised, and on which engine."""

    translation: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    engines: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FailedCounts:
    stories: int = 0
    articles: int = 0  # every input whose outcome is `failed`, the stories' included


@dataclass(frozen=True)
class RunReport:
    """What a run did: every input with exactly one outcome, the stories, the models. Written as
    the edition's run.json (`to_dict`), returned by the flow and `polybrief.brief`."""

    run_id: str
    seconds: float
    inputs: int
    counts: dict[str, int]
    seen_before: int
    languages: dict[str, int]
    stories: tuple[StoryLine, ...]
    models: ModelsUsed
    outcomes: tuple[InputOutcome, ...]
    translation: dict[str, Any] = field(default_factory=dict)  # sentences translated, from the cache, the check
    failed: FailedCounts = FailedCounts()
    latest: str = ""  # the edition `latest` points to after the run ("" none yet)
    edition: str = ""  # this run's edition folder (set once it is written)
    # wall seconds of each stage, in run order; "encoder" is the multilingual encoder's share of
    # near-duplicates, check and cluster (not added to the total twice)
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def run_report(
    run_id: str,
    outcomes: Sequence[Outcome],
    articles: Sequence[Article],
    briefings: Sequence[Briefing],
    models: ModelsUsed,
    seconds: float,
) -> RunReport:
    counts = Counter(o.status for o in outcomes)
    handled = {o.article_id for o in outcomes if o.status in ("briefed", "duplicate")}
    languages = Counter(a.lang for a in articles if a.id in handled)
    by_id = {a.id: a for a in articles}
    return RunReport(
        run_id=run_id,
        seconds=round(seconds, 2),
        inputs=len(outcomes),
        counts={s: counts.get(s, 0) for s in STATUSES},
        seen_before=sum(1 for o in outcomes if o.status == "skipped" and o.detail.startswith(SEEN_BEFORE)),
        languages=dict(sorted(languages.items())),
        stories=tuple(StoryLine(b.story_id, b.slug, b.headline, tuple(s.article_id for s in b.sources))
                      for b in briefings),
        models=models,
        outcomes=tuple(_input_outcome(o, by_id.get(o.article_id)) for o in outcomes),
        failed=FailedCounts(articles=counts.get("failed", 0)),
    )


def _input_outcome(o: Outcome, a: Article | None) -> InputOutcome:
    if a is None:
        return InputOutcome(o.source, o.status, o.detail, o.article_id)
    return InputOutcome(o.source, o.status, o.detail, o.article_id, a.lang, a.lang_confidence, a.title, a.date)
