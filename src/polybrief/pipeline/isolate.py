"""Work that fails where it happens: one story's summary or merge.

The flow (and any caller without Prefect) runs a run's per-article and per-story steps through
these, so that an exception inside one piece of work becomes that article's or that story's
outcome (`failed: summary: …`, `failed: merge: …`) and the rest of the edition is still written.
Only what stops all work (config, models, lock, story store) and a stop asked for (`RunStopped`)
go on up. No Prefect here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from polybrief.errors import ConfigError, ModelError, RunStopped, StepFailed, StoreError
from polybrief.records import Article, Briefing, Outcome, Story

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class StoryFailure:
    """A story whose briefing could not be made: its articles fail with `reason`."""

    story_id: str
    slug: str
    article_ids: tuple[str, ...]
    reason: str  # "merge: ValueError: …", one line


def one_line(exc: BaseException) -> str:
    """An exception as one line a reader of run.json can use: its type and first line."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _stops_the_run(exc: BaseException) -> bool:
    # a stop asked for, or a problem that makes every piece of work pointless (a model missing, a
    # bad setting, an output folder that cannot be written)
    return isinstance(exc, (RunStopped, ConfigError, ModelError, StoreError))


def each_apart(items: Sequence[T], work: Callable[[Sequence[T]], Sequence[R]],
               key: Callable[[T], str]) -> tuple[list[R], dict[str, str]]:
    """`work` over all `items` at once (one batch: fast); if that raises, over each item alone, so
    that only the items that fail are lost. Returns (results of the items that succeeded, {key:
    one-line reason} of those that failed)."""
    try:
        return list(work(items)), {}
    except Exception as exc:  # noqa: BLE001 - any error of one piece of work stays with it
        if _stops_the_run(exc):
            raise
        if len(items) == 1:
            return [], {key(items[0]): one_line(exc)}
    results: list[R] = []
    failures: dict[str, str] = {}
    for item in items:
        done, failed = each_apart([item], work, key)
        results.extend(done)
        failures.update(failed)
    return results, failures


def merge_apart(stories: Sequence[Story],
                merge: Callable[[Story], Briefing]) -> tuple[tuple[Briefing, ...], tuple[StoryFailure, ...]]:
    """One briefing per story; a story whose merge raises is a StoryFailure, the others go on."""
    briefings: list[Briefing] = []
    failures: list[StoryFailure] = []
    for story in stories:
        try:
            briefings.append(merge(story))
        except Exception as exc:  # noqa: BLE001 - one story's failure is that story's
            if _stops_the_run(exc):
                raise
            reason = str(exc) if isinstance(exc, StepFailed) else f"merge: {one_line(exc)}"
            failures.append(StoryFailure(story.id, story.slug, story.article_ids, reason))
    return tuple(briefings), tuple(failures)


def failed_outcomes(articles: Sequence[Article], reasons: dict[str, str]) -> tuple[Outcome, ...]:
    """`failed` outcomes for the articles named in `reasons` (article id → why)."""
    return tuple(Outcome(a.source, "failed", reasons[a.id], a.id) for a in articles if a.id in reasons)


def story_outcomes(articles: Sequence[Article], failures: Sequence[StoryFailure]) -> tuple[Outcome, ...]:
    """Each article of a failed story fails with the story's reason (and names the story)."""
    reasons = {i: f"{f.reason} (story {f.slug})" for f in failures for i in f.article_ids}
    return failed_outcomes(articles, reasons)
