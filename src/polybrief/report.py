"""The run report: every input with exactly one outcome, and what the run did."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
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


def run_report(
    run_id: str,
    outcomes: Sequence[Outcome],
    articles: Sequence[Article],
    briefings: Sequence[Briefing],
    models: dict[str, Any],
    seconds: float,
) -> dict[str, Any]:
    counts = Counter(o.status for o in outcomes)
    handled = {o.article_id for o in outcomes if o.status in ("briefed", "duplicate")}
    languages = Counter(a.lang for a in articles if a.id in handled)
    by_id = {a.id: a for a in articles}
    return {
        "run_id": run_id,
        "seconds": round(seconds, 2),
        "inputs": len(outcomes),
        "counts": {s: counts.get(s, 0) for s in STATUSES},
        "seen_before": sum(1 for o in outcomes if o.status == "skipped" and o.detail.startswith(SEEN_BEFORE)),
        "languages": dict(sorted(languages.items())),
        "stories": [
            {"id": b.story_id, "slug": b.slug, "headline": b.headline, "articles": [s.article_id for s in b.sources]}
            for b in briefings
        ],
        "models": models,
        "outcomes": [
            {"source": o.source, "status": o.status, "detail": o.detail, "article_id": o.article_id,
             **_article_fields(by_id.get(o.article_id))}
            for o in outcomes
        ],
    }


def _article_fields(a: Article | None) -> dict[str, Any]:
    if a is None:
        return {}
    return {"lang": a.lang, "confidence": a.lang_confidence, "title": a.title, "date": a.date}
