"""The steps of a run, as plain functions of records and the config: what the Prefect tasks wrap
(adding logging, retries and mapping) and what `polybrief.brief` calls directly.

Each step fetches the models it needs by config (loaded once per process, `engines.loading`),
never as an argument, so a step runs the same in a thread, a Dask worker or this process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from polybrief import progress, stopping
from polybrief.config import Config
from polybrief.engines import loading
from polybrief.engines.cache import CachedSummariser, CachedTranslator, TextCache
from polybrief.engines.embed import get_embedder
from polybrief.engines.multilingual import get_encoder
from polybrief.engines.store import store_path
from polybrief.engines.summarise import get_summariser
from polybrief.engines.translate import Translator
from polybrief.errors import RunStopped, StepFailed
from polybrief.pipeline.isolate import StoryFailure, each_apart, merge_apart
from polybrief.records import Article, Briefing, DuplicateGroup, RunData, Story, Translation
from polybrief.report import RunReport
from polybrief.stages.cluster import (
    cluster_stories,
    effective_settings,
    group_articles,
    name_stories,
    reads_originals_only,
)
from polybrief.stages.continuity import Continued, StoryStore, continue_stories
from polybrief.stages.dedup import find_duplicates
from polybrief.stages.fidelity import check_translations
from polybrief.stages.language import LanguageResult, detect_languages
from polybrief.stages.merge import merge_story, story_texts
from polybrief.stages.read import ReadResult, read_articles
from polybrief.stages.summarise import StorySummary, summarise_stories
from polybrief.stages.translate import TranslationJob, TranslationPlan, failure_message, plan_translation, run_job
from polybrief.stages.write import write_edition


def text_cache(config: Config) -> TextCache:
    return loading.load_once(("cache", str(config.cache_path.resolve())),
                             lambda: TextCache(config.cache_path / "outputs.sqlite"))


def translator_for(config: Config) -> Callable[[str], Translator]:
    from polybrief.engines.translate import get_translator

    cache = text_cache(config)
    return lambda lang: CachedTranslator(get_translator(config.translation_model(lang), config), cache)


def read(inputs: list[str], config: Config) -> ReadResult:
    return read_articles(inputs, config.input)


def detect(articles: tuple[Article, ...], config: Config) -> LanguageResult:
    return detect_languages(articles, config)


def dedup(articles: tuple[Article, ...], config: Config) -> tuple[DuplicateGroup, ...]:
    return find_duplicates(articles, config.dedup, get_encoder(config), config.multilingual.max_words)


def plan(articles: tuple[Article, ...], config: Config) -> TranslationPlan:
    t = config.translation
    return plan_translation(articles, translator_for(config), t.max_sentence_tokens, t.batch_tokens,
                            t.max_batch_size, t.sentences_per_task)


def translate(job: TranslationJob, config: Config) -> tuple[str, ...] | str:
    """The job's English, or why it failed (one line: one language's model error fails that
    language's articles, not the run)."""
    try:
        return run_job(job, translator_for(config)(job.lang))
    except RunStopped:
        raise
    except Exception as exc:  # noqa: BLE001 - reported as the job's outcome
        return failure_message(exc)


def check(translations: tuple[Translation, ...], config: Config) -> tuple[Translation, ...]:
    encoder = get_encoder(config)
    if encoder is None or not config.multilingual.check:
        return translations
    return check_translations(translations, encoder, config.multilingual.check_threshold)


def stories_first(config: Config) -> bool:
    """Whether stories are found from the originals, before translation (the defaults)."""
    return reads_originals_only(config.cluster, get_encoder(config))


def group(articles: tuple[Article, ...], groups: tuple[DuplicateGroup, ...],
          config: Config) -> tuple[tuple[str, ...], ...]:
    """The article ids of each story, from the originals alone (`stories_first`)."""
    return group_articles(articles, None, groups, get_embedder(store_path(config)), config.cluster,
                          get_encoder(config))


def name(found: tuple[tuple[str, ...], ...], translations: tuple[Translation, ...],
         config: Config) -> tuple[Story, ...]:
    """The stories `group` found, named once translated (an article whose translation failed left out)."""
    return name_stories(found, translations, get_embedder(store_path(config)), config.cluster.max_text_words)


def cluster(articles: tuple[Article, ...], translations: tuple[Translation, ...], groups: tuple[DuplicateGroup, ...],
            config: Config) -> tuple[Story, ...]:
    """Stories of translated articles, the English signals among those read (`stories_first` false)."""
    return cluster_stories(articles, translations, groups, get_embedder(store_path(config)),
                           config.cluster, get_encoder(config))


def continue_earlier(stories: tuple[Story, ...], config: Config) -> Continued:
    store = StoryStore(config.stories_path)
    try:
        threshold = effective_settings(config.cluster, get_encoder(config)).threshold or 0.0  # set by then
        return continue_stories(stories, store, threshold)
    finally:
        store.close()


def merge(stories: tuple[Story, ...], data: RunData, shared: frozenset[str],
          config: Config) -> tuple[tuple[Briefing, ...], tuple[StoryFailure, ...]]:
    """Briefings of a batch of stories; a story whose merge raises is a failure, the others go on."""
    summariser = CachedSummariser(get_summariser(config), text_cache(config))
    embedder = get_embedder(store_path(config))
    encoder = get_encoder(config)
    batch_size = config.summary.batch_size

    def summaries(part: Sequence[Story]) -> list[tuple[str, StorySummary]]:
        made = summarise_stories([story_texts(s, data) for s in part], summariser, embedder, batch_size)
        return [(s.id, m) for s, m in zip(part, made, strict=True)]

    # the batch's summaries in the summariser's batches first: beam search over several stories at
    # once costs half as much a story as one at a time (bench/RESULTS.md); a story whose summary
    # raises fails alone
    made, unmade = each_apart(stories, summaries, key=lambda s: s.id)
    summary_of = dict(made)

    def one(story: Story) -> Briefing:
        stopping.check()
        if story.id in unmade:
            raise StepFailed("summary", unmade[story.id])
        briefing = merge_story(story, data, summariser, embedder, config.briefing, batch_size, shared, encoder,
                               summary_of[story.id])
        progress.advance("brief stories")
        return briefing

    briefings, failures = merge_apart(stories, one)
    progress.advance("brief stories", len(failures))
    return briefings, failures


def write(run_id: str, briefings: tuple[Briefing, ...], articles: tuple[Article, ...],
          translations: tuple[Translation, ...], report: RunReport, config: Config) -> str:
    return str(write_edition(Path(config.output_dir), run_id, briefings, articles, translations, report))


def save_stories(stories: tuple[Story, ...], articles: tuple[Article, ...], translations: tuple[Translation, ...],
                 date: str, config: Config) -> None:
    store = StoryStore(config.stories_path)
    try:
        store.save(stories, articles, translations, date)
    finally:
        store.close()
