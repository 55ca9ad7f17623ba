"""The briefing flow: read → language → near-duplicates → translate → check translations →
summarise → cluster → merge → write, one Prefect task per stage; translation is planned over the
whole run (sentences pooled and length-sorted) and its batches mapped as tasks; summaries are
mapped over article batches, merges over story batches.

Tasks take and return plain records and the config, never model objects: each worker process
loads a model the first time a task needs it and keeps it (`polybrief.engines`). Every translated
sentence and every summary is cached by (model, revision, language, text) in SQLite — the plan
leaves cached ones out, so a re-run after a crash translates only what was not finished.

One article's failure (its summary) or one story's (its merge) is that article's or story's
outcome in run.json (`polybrief.pipeline`); the rest of the edition is written.

Deployed and run as a script from `flows/briefing.py`: python flows/briefing.py examples/articles
"""

from __future__ import annotations

import dataclasses
import signal
import time
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, runtime, task, unmapped
from prefect.client.schemas.objects import State
from prefect.states import Cancelled, Failed

from polybrief import progress, stopping
from polybrief.config import Config, load_config
from polybrief.engines.cache import CachedSummariser, CachedTranslator, TextCache
from polybrief.engines.embed import get_embedder
from polybrief.engines.multilingual import get_encoder
from polybrief.engines.store import store_path
from polybrief.engines.summarise import get_summariser
from polybrief.engines.translate import get_translator
from polybrief.errors import PolybriefError, RunStopped
from polybrief.flows.artifacts import RunProgress, publish_edition
from polybrief.flows.housekeeping import briefing_date, check_models, drop_seen, lock_output, new_run_id, seen_articles
from polybrief.pipeline import StoryFailure, failed_outcomes, merge_apart, story_outcomes, summarise_apart
from polybrief.preflight import check_summariser
from polybrief.records import Article, Briefing, DuplicateGroup, Outcome, Story, Summary, Translation
from polybrief.report import RunReport, final_outcomes, run_report
from polybrief.stages.cluster import cluster_stories, effective_settings
from polybrief.stages.continuity import Continued, StoryStore, continue_stories
from polybrief.stages.dedup import find_duplicates
from polybrief.stages.fidelity import check_counts, check_translations
from polybrief.stages.language import LanguageResult, detect_languages
from polybrief.stages.merge import merge_story, titles_across_stories
from polybrief.stages.read import ReadResult, read_articles
from polybrief.stages.summarise import summarise_articles
from polybrief.stages.translate import (
    TranslationJob,
    TranslationPlan,
    assemble_translations,
    failure_message,
    plan_translation,
    run_job,
)
from polybrief.stages.write import latest_edition, write_edition


def _cache(config: Config) -> TextCache:
    from polybrief.engines import loading

    return loading.load_once(("cache", str(config.cache_path.resolve())),
                         lambda: TextCache(config.cache_path / "outputs.sqlite"))


@task(name="read", retries=2, retry_delay_seconds=1)
def read_task(inputs: list[str], config: Config) -> ReadResult:
    result = read_articles(inputs, config.input)
    logger = get_run_logger()
    logger.info("read %d articles from %d inputs (%d not usable)", len(result.articles), len(inputs),
                len(result.outcomes))
    for outcome in result.outcomes:  # one line per input that did not become an article
        logger.warning("%s %s: %s", outcome.status, outcome.source, outcome.detail)
    return result


@task(name="detect-language")
def language_task(articles: tuple[Article, ...], config: Config) -> LanguageResult:
    result = detect_languages(articles, config)
    langs = sorted({a.lang for a in result.articles})
    get_run_logger().info("languages: %s; skipped %d", ", ".join(langs) or "none", len(result.outcomes))
    return result


@task(name="near-duplicates")
def dedup_task(articles: tuple[Article, ...], config: Config) -> tuple[DuplicateGroup, ...]:
    groups = find_duplicates(articles, config.dedup, get_encoder(config), config.multilingual.max_words)
    for g in groups:
        get_run_logger().info("near-duplicates: %s contains %s", g.primary, ", ".join(g.members))
    return groups


def _translator_for(config: Config):
    cache = _cache(config)
    return lambda lang: CachedTranslator(get_translator(config.translation_model(lang), config), cache)


@task(name="plan-translation")
def plan_task(articles: tuple[Article, ...], config: Config) -> TranslationPlan:
    t = config.translation
    plan = plan_translation(articles, _translator_for(config), t.max_sentence_tokens, t.batch_tokens,
                            t.max_batch_size, t.sentences_per_task)
    get_run_logger().info(
        "%d sentences from the cache, %d to translate in %d batches (%d tasks)%s",
        plan.from_cache, plan.to_translate, plan.batch_count, len(plan.jobs),
        "".join(f"; {lang}: {why}" for lang, why in sorted(plan.failures.items())),
    )
    return plan


@task(name="translate")
def translate_task(job: TranslationJob, config: Config, number: int, total: int) -> tuple[str, ...] | str:
    """The job's English, or why it failed (one line: a model error is not worth a traceback)."""
    try:
        english = run_job(job, _translator_for(config)(job.lang))
    except RunStopped:
        raise
    except Exception as exc:
        get_run_logger().error("translate task %d/%d (%s) failed: %s", number, total, job.lang, exc)
        return failure_message(exc)
    get_run_logger().info("translated task %d/%d: %d %s sentences in %d batches",
                          number, total, job.size, job.lang, len(job.batches))
    return english


def _not_stopping(*_: Any) -> bool:
    return not stopping.requested()


# No Prefect result cache: every summary is cached by text in SQLite (`CachedSummariser`), and an
# article whose summary failed must be tried again by the next run, not remembered as failed.
@task(name="summarise", retries=1, retry_condition_fn=_not_stopping)
def summarise_task(batch: tuple[Translation, ...], config: Config, number: int,
                   total: int) -> tuple[tuple[Summary, ...], dict[str, str]]:
    """The batch's summaries and, for an article whose summary raised, why (the others go on)."""
    summariser = CachedSummariser(get_summariser(config), _cache(config))
    summaries, failures = summarise_apart(batch, lambda part: summarise_articles(part, summariser,
                                                                                config.summary.batch_size))
    logger = get_run_logger()
    logger.info("summarised batch %d/%d: %d articles", number, total, len(summaries))
    for article_id, why in failures.items():
        logger.error("article %s failed: %s", article_id, why)
    return summaries, failures


@task(name="check-translations")
def check_task(translations: tuple[Translation, ...], config: Config) -> tuple[Translation, ...]:
    encoder = get_encoder(config)
    if encoder is None or not config.multilingual.check:
        return translations
    checked = check_translations(translations, encoder, config.multilingual.check_threshold)
    counts = check_counts(checked)
    get_run_logger().info("translation check: %d of %d sentences doubted (%s)", counts["doubted"],
                          counts["sentences_checked"],
                          ", ".join(f"{k} {v}" for k, v in counts["reasons"].items()) or "none")
    return checked


@task(name="cluster")
def cluster_task(articles, translations, summaries, groups, config: Config) -> tuple[Story, ...]:
    embedder = get_embedder(store_path(config))
    stories = cluster_stories(articles, translations, summaries, groups, embedder, config.cluster, get_encoder(config))
    get_run_logger().info("clustered %d articles into %d stories", len(translations), len(stories))
    return stories


@task(name="continue-stories")
def continuity_task(stories: tuple[Story, ...], config: Config) -> Continued:
    store = StoryStore(config.stories_path)
    try:
        threshold = effective_settings(config.cluster, get_encoder(config)).threshold or 0.0  # set by then
        continued = continue_stories(stories, store, threshold)
    finally:
        store.close()
    going_on = sum(1 for s in continued.stories if s.new_since)
    get_run_logger().info("%d stories continue earlier ones, %d are new", going_on, len(continued.stories) - going_on)
    return continued


@task(name="save-stories", retries=2, retry_delay_seconds=1)
def save_stories_task(stories, articles, translations, summaries, date: str, config: Config) -> None:
    store = StoryStore(config.stories_path)
    try:
        store.save(stories, articles, translations, summaries, date)
    finally:
        store.close()


@task(name="merge")
def merge_task(stories: tuple[Story, ...], articles, translations, summaries, groups, shared: frozenset[str],
               config: Config) -> tuple[tuple[Briefing, ...], tuple[StoryFailure, ...]]:
    """Briefings of a batch of stories; a story whose merge raises is a failure, the others go on."""
    summariser = CachedSummariser(get_summariser(config), _cache(config))
    embedder = get_embedder(store_path(config))
    encoder = get_encoder(config)

    def merge(story: Story) -> Briefing:
        stopping.check()
        briefing = merge_story(story, articles, translations, summaries, groups, summariser, embedder,
                               config.briefing, config.summary.batch_size, shared, encoder)
        progress.advance("merge")
        return briefing

    briefings, failures = merge_apart(stories, merge)
    for failure in failures:
        get_run_logger().error("story %s failed: %s", failure.slug, failure.reason)
        progress.advance("merge")
    return briefings, failures


@task(name="write", retries=2, retry_delay_seconds=1)
def write_task(run_id, briefings, articles, translations, report, config: Config) -> str:
    return str(write_edition(Path(config.output_dir), run_id, briefings, articles, translations, report))


def _batches(items: tuple, size: int) -> list[tuple]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _translate_all(articles: tuple[Article, ...], config: Config, bar: RunProgress):
    plan = plan_task(articles, config)
    progress.start("translate sentences", plan.to_translate)
    english: dict[str, dict[str, str]] = {}
    failures: dict[str, str] = {}
    jobs = plan.jobs
    if not jobs:
        bar.done("translate")
    futures = translate_task.map(jobs, unmapped(config), range(1, len(jobs) + 1), unmapped(len(jobs)))
    done = 0
    for job, future in zip(jobs, futures, strict=False):
        result = future.result()
        if isinstance(result, str):
            failures.setdefault(job.lang, result)
        else:
            english.setdefault(job.lang, {}).update(zip(job.texts, result, strict=False))
        done += job.size
        progress.advance("translate sentences", job.size)
        bar.done("translate", job.size / max(1, plan.to_translate))
    assembled = assemble_translations(articles, plan, english, failures)
    stats: dict[str, Any] = {
        "tasks": len(jobs), "batches": plan.batch_count, "sentences_from_cache": plan.from_cache,
        "sentences_translated": plan.to_translate - sum(j.size for j in jobs if j.lang in failures)}
    return list(assembled.translations), list(assembled.outcomes), stats


def _summarise_all(translations: tuple[Translation, ...], articles: tuple[Article, ...], config: Config,
                   bar: RunProgress) -> tuple[list[Summary], tuple[Outcome, ...]]:
    batches = _batches(translations, config.runtime.batch_articles)
    progress.start("summarise", len(translations))
    summaries: list[Summary] = []
    failures: dict[str, str] = {}
    futures = summarise_task.map(batches, unmapped(config), range(1, len(batches) + 1), unmapped(len(batches)))
    for batch, future in zip(batches, futures, strict=False):
        made, failed = future.result()
        summaries.extend(made)
        failures.update(failed)
        progress.advance("summarise", len(batch))
        bar.done("summarise", len(batch) / len(translations))
    if not batches:
        bar.done("summarise")
    return summaries, failed_outcomes(articles, failures)


@flow(name="briefing")
def briefing(
    inputs: list[str],
    config_path: str | None = None,
    output_dir: str | None = None,
    models_dir: str | None = None,
) -> RunReport | State[Any]:  # a run-stopping problem: the Failed/Cancelled state it ends in
    """Brief the articles in `inputs` (files, folders, URLs, feeds); returns the run report.

    A problem that stops the whole run (bad config, missing model, locked output folder) ends it
    Failed with that one-line reason as the state message: what `prefect flow-run inspect` and the
    UI show (`--watch` prints only the state's name), and the run's log says it too."""
    try:
        config = load_config(config_path, output_dir=output_dir, models_dir=models_dir)
        if config.runtime.runner == "dask":
            state = _on_dask(config)(inputs, config_path, output_dir, models_dir, return_state=True)
            return state if state.is_failed() else state.result()
        return _brief(inputs, config_path, output_dir, models_dir)
    except RunStopped as exc:  # asked to stop: cancelled, not failed (the reason says which signal)
        return Cancelled(message=str(exc), data=exc)
    except PolybriefError as exc:
        return _failed(exc)


def _failed(exc: PolybriefError):
    """A returned Failed state, not a raise: the caller still gets the exception itself. The
    reason is logged and the log flushed before the state is set, so `prefect flow-run logs`
    has it however soon the run's process ends."""
    from prefect.logging.handlers import APILogHandler

    get_run_logger().error(str(exc))
    APILogHandler().flush()
    return Failed(message=str(exc), data=exc)


def _on_dask(config: Config):
    """The same work as a subflow whose tasks run on a Dask cluster (prefect-dask)."""
    from prefect_dask import DaskTaskRunner

    runner: Any  # prefect-dask's runner is a TaskRunner; its type hints do not say so to mypy
    if config.runtime.dask_address:
        runner = DaskTaskRunner(address=config.runtime.dask_address)
    else:  # one process per worker: each loads each model once
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": config.runtime.dask_workers, "threads_per_worker": 1,
                                                "processes": True, "dashboard_address": None})
    return flow(name="briefing-on-dask", task_runner=runner)(_brief)


def _brief(
    inputs: list[str],
    config_path: str | None = None,
    output_dir: str | None = None,
    models_dir: str | None = None,
) -> RunReport:
    try:
        return _brief_stoppable(inputs, config_path, output_dir, models_dir)
    except BaseException as exc:
        # Ctrl-C, or SIGTERM through Prefect's bridge (a cancelled deployment run): the tasks still
        # running in other threads stop at their next batch, so the run ends now, not after them
        if not isinstance(exc, Exception):
            stopping.request(getattr(exc, "signal", signal.SIGINT))
        raise


def _brief_stoppable(
    inputs: list[str],
    config_path: str | None = None,
    output_dir: str | None = None,
    models_dir: str | None = None,
) -> RunReport:
    started = time.monotonic()
    config = load_config(config_path, output_dir=output_dir, models_dir=models_dir)
    check_summariser(config)  # at once; translation models once the languages are known
    bar = RunProgress(runtime.flow_run.name or "this run")
    progress.start("read", 1)
    read = read_task(inputs, config)
    progress.advance("read")
    bar.done("read")
    progress.start("detect languages", 1)
    detected = language_task(read.articles, config)
    progress.advance("detect languages")
    bar.done("detect languages")
    articles = detected.articles
    stopping.check()
    groups = dedup_task(articles, config)
    bar.done("near-duplicates")
    stopping.check()
    models = check_models(sorted({lang for a in articles for lang in a.languages}), config)
    lock = lock_output(config)  # only now: a run that cannot start writes nothing at all
    try:
        seen = seen_articles(config)  # opening the store also stops a run on a damaged one, before any work
        if config.input.only_new:
            articles, earlier = drop_seen(articles, seen)
            detected = dataclasses.replace(detected, outcomes=(*detected.outcomes, *earlier))
        run_id = new_run_id(Path(config.output_dir))
        work = _briefings(articles, groups, config, bar) if articles else _NOTHING
        early = [*read.outcomes, *detected.outcomes, *work.failed]
        outcomes = final_outcomes(read.articles, early, groups, work.stories)
        report = run_report(run_id, outcomes, detected.articles, work.briefings, models, time.monotonic() - started)
        report = dataclasses.replace(
            report, translation={k: v for k, v in work.stats.items() if k != "stories_failed"},
            failed=dataclasses.replace(report.failed, stories=work.stats.get("stories_failed", 0)),
            latest=run_id if work.briefings else latest_edition(Path(config.output_dir)) or "")
        stopping.check()
        with stopping.committing():  # the edition and the story store move together, or neither
            edition = write_task(run_id, work.briefings, work.cited, work.translations, report, config)
            if work.stories:
                save_stories_task(work.stories, work.cited, work.translations, work.summaries,
                                  briefing_date(run_id), config)
        bar.done("write")
    finally:
        lock.release()
    report = dataclasses.replace(report, edition=edition)
    publish_edition(report, work.briefings)
    if report.failed.stories or report.failed.articles:
        get_run_logger().warning("%d stories / %d articles failed (their reasons are in run.json)",
                                 report.failed.stories, report.failed.articles)
    if work.briefings:
        get_run_logger().info("wrote %d briefings to %s", len(work.briefings), edition)
    else:
        get_run_logger().warning("no stories in this run (%d inputs, %d seen in earlier runs); latest edition "
                                 "unchanged: %s", report.inputs, report.seen_before, report.latest or "none")
    return report


@dataclasses.dataclass(frozen=True)
class _Work:
    """What translate → summarise → cluster → merge made of a run's articles."""

    stories: tuple[Story, ...] = ()
    briefings: tuple = ()
    cited: tuple[Article, ...] = ()  # this run's articles and the earlier ones continued stories cite
    translations: tuple[Translation, ...] = ()
    summaries: tuple[Summary, ...] = ()
    failed: tuple[Outcome, ...] = ()
    stats: dict[str, int] = dataclasses.field(default_factory=dict)


_NOTHING = _Work(stats={"tasks": 0, "batches": 0, "sentences_from_cache": 0, "sentences_translated": 0})


def _briefings(articles: tuple[Article, ...], groups, config: Config, bar: RunProgress) -> _Work:
    translations, failed, stats = _translate_all(articles, config, bar)
    stopping.check()
    translations = list(check_task(tuple(translations), config))
    stats["translation_check"] = check_counts(translations)
    summaries, summary_failures = _summarise_all(tuple(translations), articles, config, bar)
    summarised = {s.article_id for s in summaries}
    translations = [t for t in translations if t.article_id in summarised]
    translated = tuple(a for a in articles if a.id in summarised)
    stopping.check()
    stories = cluster_task(translated, tuple(translations), tuple(summaries), groups, config)
    continued = continuity_task(stories, config)
    bar.done("cluster")
    cited = translated + continued.articles
    all_translations = (*translations, *continued.translations)
    all_summaries = (*summaries, *continued.summaries)
    briefings, story_failures = _merge_all(continued.stories, cited, all_translations, all_summaries, groups, config,
                                           bar)
    failed_ids = {i for f in story_failures for i in f.article_ids}
    kept = tuple(s for s in continued.stories if s.id not in {f.story_id for f in story_failures})
    failed = [*failed, *summary_failures, *story_outcomes(articles, story_failures)]
    stats["stories_failed"] = len(story_failures)
    # a failed story is not saved: the next run tries it again as new
    return _Work(kept, briefings, tuple(a for a in cited if a.id not in failed_ids), all_translations, all_summaries,
                 tuple(failed), stats)


def _merge_all(stories: tuple[Story, ...], cited, translations, summaries, groups, config: Config,
               bar: RunProgress) -> tuple[tuple[Briefing, ...], tuple[StoryFailure, ...]]:
    """One merge task per batch of stories (the runner spreads them), in the stories' order."""
    progress.start("merge", len(stories))
    shared = titles_across_stories(stories, cited)  # a site's tagline heads no story
    batches = _batches(stories, max(1, config.runtime.batch_articles // 2))
    futures = merge_task.map(batches, unmapped(cited), unmapped(translations), unmapped(summaries),
                             unmapped(groups), unmapped(shared), unmapped(config))
    briefings: list[Briefing] = []
    failures: list[StoryFailure] = []
    for future in futures:
        made, failed = future.result()
        briefings.extend(made)
        failures.extend(failed)
    bar.done("merge")
    return tuple(briefings), tuple(failures)
