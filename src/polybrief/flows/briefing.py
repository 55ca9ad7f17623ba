"""The briefing flow: read → language → near-duplicates → find stories (original texts) →
translate → check translations → name and continue stories → merge (one summary per story) →
write, one Prefect task per stage; translation is planned over the whole run (sentences pooled
and length-sorted: batches are fuller than a story's alone would make them) and its batches mapped
as tasks; merges, each story's summary among them, are mapped over story batches.

Tasks take and return plain records and the config, never model objects: each worker process
loads a model the first time a task needs it and keeps it (`polybrief.engines`). Every translated
sentence and every summary is cached by (model, revision, language, text) in SQLite — the plan
leaves cached ones out, so a re-run after a crash translates only what was not finished.

One article's failure (its translation) or one story's (its summary, its merge) is that
article's or story's outcome in run.json (`polybrief.pipeline`); the rest of the edition is written.

Deployed and run as a script from `flows/briefing.py`: python flows/briefing.py examples/articles
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from prefect import flow, get_run_logger, runtime, task, unmapped
from prefect.client.schemas.objects import State
from prefect.states import Cancelled, Failed

from polybrief import stopping
from polybrief.config import Config, load_config
from polybrief.errors import PolybriefError, RunStopped
from polybrief.flows.artifacts import RunProgress, publish_edition
from polybrief.pipeline import run, steps
from polybrief.pipeline.isolate import StoryFailure
from polybrief.records import Article, Briefing, DuplicateGroup, RunData, Story, Translation
from polybrief.report import RunReport
from polybrief.stages.continuity import Continued
from polybrief.stages.fidelity import check_counts
from polybrief.stages.language import LanguageResult
from polybrief.stages.read import ReadResult
from polybrief.stages.translate import TranslationJob, TranslationPlan

T = TypeVar("T")


@task(name="read", retries=2, retry_delay_seconds=1)
def read_task(inputs: list[str], config: Config) -> ReadResult:
    result = steps.read(inputs, config)
    logger = get_run_logger()
    logger.info("read %d articles from %d inputs (%d not usable)", len(result.articles), len(inputs),
                len(result.outcomes))
    for outcome in result.outcomes:  # one line per input that did not become an article
        logger.warning("%s %s: %s", outcome.status, outcome.source, outcome.detail)
    return result


@task(name="detect-language")
def language_task(articles: tuple[Article, ...], config: Config) -> LanguageResult:
    result = steps.detect(articles, config)
    langs = sorted({a.lang for a in result.articles})
    get_run_logger().info("languages: %s; skipped %d", ", ".join(langs) or "none", len(result.outcomes))
    return result


@task(name="near-duplicates")
def dedup_task(articles: tuple[Article, ...], config: Config) -> tuple[DuplicateGroup, ...]:
    groups = steps.dedup(articles, config)
    for g in groups:
        get_run_logger().info("near-duplicates: %s contains %s", g.primary, ", ".join(g.members))
    return groups


@task(name="plan-translation")
def plan_task(articles: tuple[Article, ...], config: Config) -> TranslationPlan:
    plan = steps.plan(articles, config)
    get_run_logger().info(
        "%d sentences from the cache, %d to translate in %d batches (%d tasks)%s",
        plan.from_cache, plan.to_translate, plan.batch_count, len(plan.jobs),
        "".join(f"; {lang}: {why}" for lang, why in sorted(plan.failures.items())),
    )
    return plan


@task(name="translate")
def translate_task(job: TranslationJob, config: Config, number: int, total: int) -> tuple[str, ...] | str:
    """The job's English, or why it failed (one line: a model error is not worth a traceback)."""
    english = steps.translate(job, config)
    if isinstance(english, str):
        get_run_logger().error("translate task %d/%d (%s) failed: %s", number, total, job.lang, english)
    else:
        get_run_logger().info("translated task %d/%d: %d %s sentences in %d batches",
                              number, total, job.size, job.lang, len(job.batches))
    return english


@task(name="check-translations")
def check_task(translations: tuple[Translation, ...], config: Config) -> tuple[Translation, ...]:
    checked = steps.check(translations, config)
    if checked is not translations:
        counts = check_counts(checked)
        get_run_logger().info("translation check: %d of %d sentences doubted (%s)", counts["doubted"],
                              counts["sentences_checked"],
                              ", ".join(f"{k} {v}" for k, v in counts["reasons"].items()) or "none")
    return checked


@task(name="cluster")
def cluster_task(articles: tuple[Article, ...], translations: tuple[Translation, ...],
                 groups: tuple[DuplicateGroup, ...], config: Config) -> tuple[Story, ...]:
    stories = steps.cluster(articles, translations, groups, config)
    get_run_logger().info("clustered %d articles into %d stories", len(translations), len(stories))
    return stories


@task(name="find-stories")
def group_task(articles: tuple[Article, ...], groups: tuple[DuplicateGroup, ...],
               config: Config) -> tuple[tuple[str, ...], ...]:
    found = steps.group(articles, groups, config)
    get_run_logger().info("found %d stories among %d articles (original texts)", len(found), len(articles))
    return found


@task(name="name-stories")
def name_task(found: tuple[tuple[str, ...], ...], translations: tuple[Translation, ...],
              config: Config) -> tuple[Story, ...]:
    return steps.name(found, translations, config)


@task(name="continue-stories")
def continuity_task(stories: tuple[Story, ...], config: Config) -> Continued:
    continued = steps.continue_earlier(stories, config)
    going_on = sum(1 for s in continued.stories if s.new_since)
    get_run_logger().info("%d stories continue earlier ones, %d are new", going_on, len(continued.stories) - going_on)
    return continued


@task(name="merge")
def merge_task(stories: tuple[Story, ...], data: RunData, shared: frozenset[str], config: Config, number: int,
               total: int) -> tuple[tuple[Briefing, ...], tuple[StoryFailure, ...]]:
    """Briefings of a batch of stories; a story whose merge raises is a failure, the others go on."""
    briefings, failures = steps.merge(stories, data, shared, config)
    for failure in failures:
        get_run_logger().error("story %s failed: %s", failure.slug, failure.reason)
    get_run_logger().info("merged batch %d/%d: %d briefings", number, total, len(briefings))
    return briefings, failures


@task(name="write", retries=2, retry_delay_seconds=1)
def write_task(run_id: str, briefings: tuple[Briefing, ...], articles: tuple[Article, ...],
               translations: tuple[Translation, ...], report: RunReport, config: Config) -> str:
    return steps.write(run_id, briefings, articles, translations, report, config)


@task(name="save-stories", retries=2, retry_delay_seconds=1)
def save_stories_task(stories: tuple[Story, ...], articles: tuple[Article, ...], translations: tuple[Translation, ...],
                      date: str, config: Config) -> None:
    steps.save_stories(stories, articles, translations, date, config)


# each step of the pipeline and the task that runs it
_TASKS: dict[Callable[..., Any], Any] = {
    steps.read: read_task, steps.detect: language_task, steps.dedup: dedup_task, steps.plan: plan_task,
    steps.translate: translate_task, steps.check: check_task,
    steps.cluster: cluster_task, steps.group: group_task, steps.name: name_task,
    steps.continue_earlier: continuity_task, steps.merge: merge_task,
    steps.write: write_task, steps.save_stories: save_stories_task,
}


class PrefectRunner:
    """The pipeline's steps as this flow's tasks: mapped steps as mapped tasks (the task runner
    spreads them: threads or Dask), the run's progress as an artifact, the edition published."""

    def __init__(self) -> None:
        self.bar = RunProgress(runtime.flow_run.name or "this run")

    def call(self, step: Callable[..., T], *args: Any) -> T:
        result: T = _TASKS[step](*args)
        return result

    def map(self, step: Callable[..., T], items: Sequence[Any], *shared: Any) -> Iterator[T]:
        futures = _TASKS[step].map(list(items), *map(unmapped, shared), range(1, len(items) + 1),
                                   unmapped(len(items)))
        return (future.result() for future in futures)

    def done(self, stage: str, part: float = 1.0) -> None:
        self.bar.done(stage, part)

    def finished(self, report: RunReport, briefings: tuple[Briefing, ...]) -> None:
        publish_edition(report, briefings)
        logger = get_run_logger()
        if report.failed.stories or report.failed.articles:
            logger.warning("%d stories / %d articles failed (their reasons are in run.json)",
                           report.failed.stories, report.failed.articles)
        if briefings:
            logger.info("wrote %d briefings to %s", len(briefings), report.edition)
        else:
            logger.warning("no stories in this run (%d inputs, %d seen in earlier runs); latest edition "
                           "unchanged: %s", report.inputs, report.seen_before, report.latest or "none")


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
        config = load_config(config_path, output_dir=output_dir, models_dir=models_dir)
        return run(inputs, config, PrefectRunner())
    except BaseException as exc:
        # Ctrl-C, or SIGTERM through Prefect's bridge (a cancelled deployment run): the tasks still
        # running in other threads stop at their next batch, so the run ends now, not after them
        if not isinstance(exc, Exception):
            stopping.request(getattr(exc, "signal", signal.SIGINT))
        raise
