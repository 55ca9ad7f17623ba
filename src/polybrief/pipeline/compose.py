"""The composition of a run, written once: read → language → near-duplicates → (model check, lock)
→ stories (from the originals) → translate → check → continue → merge (one summary per story) →
write. With English signals in the clustering mix (`multilingual.engine: none`), stories are found
after the check instead. The Prefect flow runs it with each step as a task
(`polybrief.flows.briefing`), `polybrief.brief` runs it in this process, and the benches and
`polybrief eval` measure what it composes.

A `Runner` says how a step runs: `call` one step, `map` a step over items (in order), `done`
to move a progress display, `finished` once the edition is written. No Prefect here.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from polybrief import progress, stopping
from polybrief.config import Config
from polybrief.pipeline import steps
from polybrief.pipeline.housekeeping import (
    briefing_date,
    check_models,
    drop_seen,
    lock_output,
    new_run_id,
    seen_articles,
)
from polybrief.pipeline.isolate import StoryFailure, story_outcomes
from polybrief.records import Article, Briefing, DuplicateGroup, Outcome, RunData, Story, Translation
from polybrief.report import RunReport, final_outcomes, run_report
from polybrief.stages.fidelity import check_counts
from polybrief.stages.merge import titles_across_stories
from polybrief.stages.translate import assemble_translations
from polybrief.stages.write import latest_edition

T = TypeVar("T")


class Runner(Protocol):
    def call(self, step: Callable[..., T], *args: Any) -> T: ...

    def map(self, step: Callable[..., T], items: Sequence[Any], *shared: Any) -> Iterator[T]:
        """`step(item, *shared)` for each item, the results in the items' order."""

    def done(self, stage: str, part: float = 1.0) -> None: ...

    def finished(self, report: RunReport, briefings: tuple[Briefing, ...]) -> None: ...


class InProcess:
    """Every step in this process, one after another: `polybrief.brief`, the benches, eval."""

    def call(self, step: Callable[..., T], *args: Any) -> T:
        return step(*args)

    def map(self, step: Callable[..., T], items: Sequence[Any], *shared: Any) -> Iterator[T]:
        return (step(item, *shared) for item in items)

    def done(self, stage: str, part: float = 1.0) -> None:
        pass

    def finished(self, report: RunReport, briefings: tuple[Briefing, ...]) -> None:
        pass


class StageClock:
    """Wall seconds of each stage: the time since the previous stage ended. Stages run one after
    another here (a mapped stage's parts run side by side inside it), so the parts add up to the run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.monotonic()

    def mark(self, stage: str) -> None:
        now = time.monotonic()
        self.seconds[stage] = round(self.seconds.get(stage, 0.0) + now - self._last, 2)
        self._last = now


@dataclasses.dataclass(frozen=True)
class Work:
    """What translate → cluster → merge made of a run's articles."""

    stories: tuple[Story, ...] = ()
    briefings: tuple[Briefing, ...] = ()
    cited: tuple[Article, ...] = ()  # this run's articles and the earlier ones continued stories cite
    translations: tuple[Translation, ...] = ()
    failed: tuple[Outcome, ...] = ()
    stats: dict[str, Any] = dataclasses.field(default_factory=dict)
    stories_failed: int = 0


NOTHING = Work(stats={"tasks": 0, "batches": 0, "sentences_from_cache": 0, "sentences_translated": 0})


def run(inputs: list[str], config: Config, runner: Runner) -> RunReport:
    """Brief `inputs`; a problem that stops all work (config, models, lock, story store) raises
    before any work, one article's or story's failure is its outcome in the report."""
    from polybrief.preflight import check_summariser

    started, clock = time.monotonic(), StageClock()
    check_summariser(config)  # at once; translation models once the languages are known
    clock.mark("start-up")
    read = _stage("read", runner, steps.read, inputs, config)
    clock.mark("read")
    detected = _stage("detect languages", runner, steps.detect, read.articles, config)
    articles = detected.articles
    clock.mark("language")
    stopping.check()
    encoded = _encoder_seconds(config)
    groups = runner.call(steps.dedup, articles, config)
    runner.done("near-duplicates")
    clock.mark("near-duplicates")
    stopping.check()
    models = check_models(sorted({lang for a in articles for lang in a.languages}), config)
    lock = lock_output(config)  # only now: a run that cannot start writes nothing at all
    clock.mark("models and lock")
    try:
        seen = seen_articles(config)  # opening the store also stops a run on a damaged one, before any work
        if config.input.only_new:
            articles, earlier = drop_seen(articles, seen)
            detected = dataclasses.replace(detected, outcomes=(*detected.outcomes, *earlier))
        run_id = new_run_id(Path(config.output_dir))
        work = brief_articles(articles, groups, config, runner, clock) if articles else NOTHING
        outcomes = final_outcomes(read.articles, [*read.outcomes, *detected.outcomes, *work.failed], groups,
                                  work.stories)
        report = run_report(run_id, outcomes, detected.articles, work.briefings, models, time.monotonic() - started)
        report = dataclasses.replace(
            report, translation=work.stats, failed=dataclasses.replace(report.failed, stories=work.stories_failed),
            latest=run_id if work.briefings else latest_edition(Path(config.output_dir)) or "",
            stage_seconds=_stages(clock, config, encoded))  # run.json's: every stage but its own writing
        stopping.check()
        with stopping.committing():  # the edition and the story store move together, or neither
            edition = runner.call(steps.write, run_id, work.briefings, work.cited, work.translations, report, config)
            if work.stories:
                runner.call(steps.save_stories, work.stories, work.cited, work.translations,
                            briefing_date(run_id), config)
        runner.done("write")
        clock.mark("write")
    finally:
        lock.release()
    report = dataclasses.replace(report, edition=edition, stage_seconds=_stages(clock, config, encoded))
    runner.finished(report, work.briefings)
    return report


def _stage(name: str, runner: Runner, step: Callable[..., T], *args: Any) -> T:
    progress.start(name, 1)
    result = runner.call(step, *args)
    progress.advance(name)
    runner.done(name)
    return result


def _stages(clock: StageClock, config: Config, encoded: float) -> dict[str, float]:
    return {**clock.seconds, "encoder": round(_encoder_seconds(config) - encoded, 2)}


def _summariser_seconds() -> float:
    from polybrief.engines.cache import CachedSummariser

    return CachedSummariser.clock.seconds


def _encoder_seconds(config: Config) -> float:
    from polybrief.engines.multilingual import get_encoder

    return float(getattr(get_encoder(config), "seconds", 0.0))


def brief_articles(articles: tuple[Article, ...], groups: tuple[DuplicateGroup, ...], config: Config,
                   runner: Runner, clock: StageClock | None = None) -> Work:
    clock = clock or StageClock()
    # stories first: from the originals, before anything is translated (the multilingual encoder
    # and names read them); with English signals in the mix, after translation
    found = runner.call(steps.group, articles, groups, config) if steps.stories_first(config) else None
    if found is not None:
        runner.done("cluster")
        clock.mark("cluster")
    translations, failed, stats = _translate(articles, config, runner)
    clock.mark("translate")
    stopping.check()
    translations = runner.call(steps.check, translations, config)
    stats["translation_check"] = check_counts(translations)
    clock.mark("check")
    translated = tuple(a for a in articles if a.id in {t.article_id for t in translations})
    stopping.check()
    if found is not None:  # an article whose translation failed leaves its story
        stories = runner.call(steps.name, found, translations, config)
    else:
        stories = runner.call(steps.cluster, translated, translations, groups, config)
    continued = runner.call(steps.continue_earlier, stories, config)
    runner.done("cluster")
    clock.mark("cluster")
    cited = translated + continued.articles
    all_translations = (*translations, *continued.translations)
    data = RunData(cited, all_translations, groups)
    summarised = _summariser_seconds()
    briefings, story_failures = _merge(continued.stories, data, config, runner)
    clock.mark("merge")
    # one summary per story, made inside its story's merge: the summariser's own seconds
    clock.seconds["summarise"] = round(_summariser_seconds() - summarised, 2)
    failed_ids = {i for f in story_failures for i in f.article_ids}
    failed_stories = {f.story_id for f in story_failures}
    # a failed story is not saved: the next run tries it again as new
    return Work(tuple(s for s in continued.stories if s.id not in failed_stories), briefings,
                tuple(a for a in cited if a.id not in failed_ids), all_translations,
                (*failed, *story_outcomes(articles, story_failures)), stats, len(story_failures))


def batches(items: Sequence[T], size: int) -> list[tuple[T, ...]]:
    return [tuple(items[i:i + size]) for i in range(0, len(items), size)]


def _translate(articles: tuple[Article, ...], config: Config,
               runner: Runner) -> tuple[tuple[Translation, ...], tuple[Outcome, ...], dict[str, Any]]:
    plan = runner.call(steps.plan, articles, config)
    progress.start("translate sentences", plan.to_translate)
    english: dict[str, dict[str, str]] = {}
    failures: dict[str, str] = {}
    if not plan.jobs:
        runner.done("translate")
    for job, result in zip(plan.jobs, runner.map(steps.translate, plan.jobs, config), strict=True):
        if isinstance(result, str):
            failures.setdefault(job.lang, result)
        else:
            english.setdefault(job.lang, {}).update(zip(job.texts, result, strict=True))
        progress.advance("translate sentences", job.size)
        runner.done("translate", job.size / max(1, plan.to_translate))
    assembled = assemble_translations(articles, plan, english, failures)
    stats: dict[str, Any] = {
        "tasks": len(plan.jobs), "batches": plan.batch_count, "sentences_from_cache": plan.from_cache,
        "sentences_translated": plan.to_translate - sum(j.size for j in plan.jobs if j.lang in failures)}
    return assembled.translations, assembled.outcomes, stats


def _merge(stories: tuple[Story, ...], data: RunData, config: Config,
           runner: Runner) -> tuple[tuple[Briefing, ...], tuple[StoryFailure, ...]]:
    """One merge per batch of stories (the runner spreads them), in the stories' order."""
    progress.start("brief stories", len(stories))
    shared = titles_across_stories(stories, data.articles)  # a site's tagline heads no story
    parts = batches(stories, max(1, config.runtime.batch_articles // 2))
    briefings: list[Briefing] = []
    failures: list[StoryFailure] = []
    for part, (made, failed) in zip(parts, runner.map(steps.merge, parts, data, shared, config), strict=True):
        briefings.extend(made)
        failures.extend(failed)
        runner.done("merge", len(part) / len(stories))
    if not parts:
        runner.done("merge")
    return tuple(briefings), tuple(failures)
