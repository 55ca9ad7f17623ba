"""What a run needs around its stages: the model check, the output folder's lock, the articles
earlier runs briefed, and the run's id. No Prefect here: the pipeline calls these between its steps.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from polybrief.config import Config
from polybrief.engines.ct2 import pick_engine
from polybrief.engines.embed import converted_embedder
from polybrief.engines.multilingual import multilingual_engine
from polybrief.engines.store import model_key, resolve_model, store_path
from polybrief.engines.summarise import needs_checkpoint
from polybrief.errors import StoreLocked
from polybrief.records import Article, Outcome
from polybrief.report import SEEN_BEFORE, ModelsUsed
from polybrief.stages.continuity import StoryStore


def check_models(langs: list[str], config: Config) -> ModelsUsed:
    """Raise ModelMissing before any work when a needed model is not in the store."""
    store = store_path(config)
    # a language with no model never gets here: the language stage skipped its articles
    needed = {lang: ref for lang in langs if lang != "en" and (ref := config.model_for(lang)) is not None}
    summariser = [config.summary.model] if needs_checkpoint(config) else []
    paths = {ref.key: resolve_model(ref, store) for ref in [*needed.values(), *summariser]}
    summary = config.summary.model.key if summariser else f"extractive ({config.summary.max_words} words)"
    engines = {  # which engine each will run on: the report says whether the fast path is in use
        "translation": {k: pick_engine(config.translation.engine, paths[v.key], v.key)
                        for k, v in sorted(needed.items())},
        "summary": pick_engine(config.summary.engine, paths[summary], summary) if summariser else "extractive",
        "embedder": "ctranslate2" if converted_embedder(store) else "sentence-transformers",
        "multilingual": multilingual_engine(config),
    }
    # run.json names the commit each model was pulled at, not "main"
    return ModelsUsed(translation={k: model_key(v, paths[v.key]) for k, v in sorted(needed.items())},
                      summary=model_key(config.summary.model, paths[summary]) if summariser else summary,
                      engines=engines)


def seen_articles(config: Config) -> dict[str, str]:
    """Article id → id of the stored story it was briefed in."""
    store = StoryStore(config.stories_path)
    try:
        return store.story_of()
    finally:
        store.close()


def drop_seen(articles: tuple[Article, ...], seen: dict[str, str]) -> tuple[tuple[Article, ...], list[Outcome]]:
    earlier = [Outcome(a.source, "skipped", f"{SEEN_BEFORE} (story {seen[a.id]})", a.id)
               for a in articles if a.id in seen]
    return tuple(a for a in articles if a.id not in seen), earlier


def briefing_date(run_id: str) -> str:
    """"2026-11-23T114602Z" → "2026-11-23 11:46 UTC", as the next edition's "new since" shows it."""
    day, time_of_day = run_id[:10], run_id[11:15]
    return f"{day} {time_of_day[:2]}:{time_of_day[2:]} UTC"


def new_run_id(output_dir: Path) -> str:
    base = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    run_id, n = base, 1
    while (output_dir / run_id).exists():  # two runs in one second keep both editions
        n += 1
        run_id = f"{base}-{n}"
    return run_id


def lock_output(config: Config):
    from filelock import FileLock, Timeout

    folder = Path(config.output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / ".polybrief.lock")
    try:
        lock.acquire(timeout=config.runtime.lock_wait_seconds)
    except Timeout:
        raise StoreLocked(str(folder), lock.lock_file) from None
    return lock
