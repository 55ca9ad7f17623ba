"""The `polybrief` command: run the briefing flow, and manage the model store.

Errors polybrief knows about end as one line on stderr and an exit code (2 for a missing model,
a bad config or bad input); nothing is half-written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Column, Table

from polybrief.errors import InputError, PolybriefError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="English briefings from news in many languages.")
models_app = typer.Typer(no_args_is_help=True, help="Manage the local model store.")
app.add_typer(models_app, name="models")
err = Console(stderr=True)
out = Console()

ConfigOpt = typer.Option(None, "--config", "-c", help="YAML file overriding config.yaml's defaults.")
ModelsOpt = typer.Option(None, "--models", help="Model store folder (default: models/, or $POLYBRIEF_MODELS).")


def _default_config(path: Optional[Path]) -> Optional[Path]:
    if path is not None:
        return path
    return Path("config.yaml") if Path("config.yaml").is_file() else None


def _config(config: Optional[Path], models: Optional[Path], **overrides: Any):
    from polybrief.config import load_config

    if models is not None:
        os.environ["POLYBRIEF_MODELS"] = str(models)
    return load_config(_default_config(config), models_dir=str(models) if models else None, **overrides)


@app.command()
def run(
    inputs: list[Path] = typer.Argument(..., help="Article files or folders (.txt .md .json .jsonl .html)."),
    config: Optional[Path] = ConfigOpt,
    out_dir: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: outputs/)."),
    models: Optional[Path] = ModelsOpt,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's logs."),
) -> None:
    """Brief the articles in INPUTS; writes an edition folder of Markdown under the output folder."""
    for path in inputs:
        if not path.exists():
            raise InputError(str(path), "no such file or folder")
    cfg = _config(config, models, output_dir=str(out_dir) if out_dir else None)
    from polybrief.engines.store import resolve_model, store_path
    from polybrief.engines.summarise import needs_checkpoint

    # every run needs the summariser: check it before starting Prefect, so a fresh checkout fails
    # in a second; the flow checks the translation models once it knows the languages
    if needs_checkpoint(cfg):
        resolve_model(cfg.summary.model, store_path(cfg))
    if not verbose:
        # the progress bars and the closing report say what happened; errors come as one line
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
    # Prefect's telemetry heartbeat races the migrations of a new local server's SQLite database
    # and prints a traceback ("database is locked") on a first run; polybrief sends none by default
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.briefing import briefing  # imports Prefect: only now, after the settings above

    from polybrief.progress import reporting_to

    with _RichReporter() as reporter, reporting_to(reporter):
        report = briefing(
            [str(p) for p in inputs],
            config_path=str(_default_config(config)) if _default_config(config) else None,
            output_dir=cfg.output_dir,
            models_dir=cfg.models_dir,
        )
    _print_report(report)


def _print_report(report: dict[str, Any]) -> None:
    counts = report["counts"]
    langs = ", ".join(f"{k} {v}" for k, v in report["languages"].items()) or "none"
    out.print(f"[bold]{report['inputs']} inputs[/]: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
    out.print(f"languages: {langs}")
    engines = report["models"].get("engines", {})
    if engines:
        translation = ", ".join(f"{lang} {e}" for lang, e in engines["translation"].items()) or "none"
        out.print(f"engines: translation {translation}; summary {engines['summary']}; embedder {engines['embedder']}")
    table = Table("story", "sources", show_header=True, header_style="bold")
    for story in report["stories"]:
        table.add_row(story["headline"][:90], str(len(story["articles"])))
    if report["stories"]:
        out.print(table)
    problems = [o for o in report["outcomes"] if o["status"] in ("failed", "skipped")]
    for o in problems:
        out.print(f"[yellow]{o['status']}[/] {o['source']}: {o['detail']}")
    out.print(f"briefings: [bold]{report['edition']}/index.md[/] ({len(report['stories'])} stories) in {report['seconds']:.1f}s")


class _RichReporter:
    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=err, transient=False)
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> "_RichReporter":
        self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.stop()

    def start(self, stage: str, total: int) -> None:
        self.tasks[stage] = self.progress.add_task(stage, total=max(total, 0))

    def advance(self, stage: str, amount: int = 1) -> None:
        if stage in self.tasks:
            self.progress.advance(self.tasks[stage], amount)


@models_app.command("list")
def models_list(config: Optional[Path] = ConfigOpt, models: Optional[Path] = ModelsOpt) -> None:
    """List the configured models and whether each is in the store."""
    from polybrief.engines.store import configured_models, resolve_model, store_path

    cfg = _config(config, models)
    store = store_path(cfg)
    table = Table("revision", "used for", "in store " + str(store))
    table.columns.insert(0, Column("model", no_wrap=True))  # a cut name cannot be copied
    for ref in configured_models(cfg):
        try:
            resolve_model(ref, store)
            state = "[green]yes[/]"
        except PolybriefError as exc:
            state = f"[red]no[/] ({type(exc).__name__})"
        table.add_row(ref.name, ref.revision, _used_for(ref, cfg), state)
    out.print(table)


def _used_for(ref, cfg) -> str:
    uses = [lang for lang, r in cfg.translation.models.items() if r.name == ref.name]
    if cfg.translation.fallback and cfg.translation.fallback.name == ref.name:
        uses.append("other languages")
    if cfg.summary.model.name == ref.name:
        uses.append("summaries")
    return ", ".join(uses)


@models_app.command("pull")
def models_pull(
    names: list[str] = typer.Argument(None, help="Only these models (default: every configured one)."),
    config: Optional[Path] = ConfigOpt,
    models: Optional[Path] = ModelsOpt,
) -> None:
    """Download the configured checkpoints (pinned revisions, safetensors) into the store."""
    from polybrief.engines.store import configured_models, pull_model, store_path

    cfg = _config(config, models)
    refs = [r for r in configured_models(cfg) if not names or r.name in names]
    unknown = set(names or []) - {r.name for r in refs}
    if unknown:
        raise PolybriefError(f"not a configured model: {', '.join(sorted(unknown))}")
    if not names:
        _convert_embedder(store_path(cfg))
    for ref in refs:
        out.print(f"pulling {ref.name}@{ref.revision}")
        try:
            compute = cfg.summary.compute_type if ref == cfg.summary.model else cfg.translation.compute_type
            path = pull_model(ref, store_path(cfg), compute_type=compute)
        except PolybriefError:
            raise
        except Exception as exc:  # network and hub errors: name the model, no traceback
            raise PolybriefPullFailed(ref.name, exc) from None
        out.print(f"  → {path}")


def _convert_embedder(store: Path) -> None:
    """The embedder ships with polybrief: converting it for CTranslate2 downloads nothing."""
    from polybrief.engines import ct2
    from polybrief.engines.embed import convert_embedder

    if ct2.available():
        out.print("converting the shipped all-MiniLM-L6-v2 for CTranslate2")
        out.print(f"  → {convert_embedder(store)}")


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


class PolybriefPullFailed(PolybriefError):
    exit_code = 2

    def __init__(self, name: str, exc: Exception) -> None:
        reason = _first_line(exc)
        super().__init__(f"could not download {name}: {reason}")


@models_app.command("verify")
def models_verify(config: Optional[Path] = ConfigOpt, models: Optional[Path] = ModelsOpt) -> None:
    """Load every configured model once, and check file hashes recorded by `pull`."""
    from polybrief.engines.store import check_hashes, configured_models, resolve_model, store_path
    from polybrief.engines import _hf, ct2

    cfg = _config(config, models)
    store = store_path(cfg)
    bad = 0
    for ref in configured_models(cfg):
        try:
            path = resolve_model(ref, store)
            changed = check_hashes(path)
            if changed:
                raise PolybriefError(f"files changed since pull: {', '.join(changed)}")
            _hf.load_seq2seq(path, "cpu")
            engines = "transformers"
            if ct2.converted(path) and ct2.available():
                import ctranslate2

                ctranslate2.Translator(str(path / ct2.CT2_FOLDER), device="cpu", compute_type="int8")
                engines += " + ctranslate2"
            out.print(f"[green]ok[/]   {ref.name} ({engines})")
        except Exception as exc:
            bad += 1
            out.print(f"[red]fail[/] {ref.name}: {_first_line(exc)}")
    bad += _verify_embedder(store)
    if bad:
        raise typer.Exit(1)


def _verify_embedder(store: Path) -> int:
    from polybrief.engines.embed import CTranslate2MiniLMEmbedder, converted_embedder

    folder = converted_embedder(store)
    if folder is None:
        return 0
    try:
        CTranslate2MiniLMEmbedder(folder).embed(["A sentence to embed."])
    except Exception as exc:
        out.print(f"[red]fail[/] all-MiniLM-L6-v2 (ctranslate2): {_first_line(exc)}")
        return 1
    out.print("[green]ok[/]   all-MiniLM-L6-v2 (ctranslate2)")
    return 0


@app.command()
def serve(
    inputs: list[str] = typer.Argument(..., help="Folders, files, article URLs or RSS/Atom feeds."),
    cron: str = typer.Option("0 6 * * *", help="When to run (cron)."),
    timezone: str = typer.Option("UTC", "--timezone", help="Time zone of the cron schedule, e.g. Europe/Ljubljana."),
    config: Optional[Path] = ConfigOpt,
    out_dir: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: outputs/)."),
) -> None:
    """Serve the briefing flow on a schedule from this process (the simplest deployment)."""
    _config(config, None)  # a bad config fails now, not at the first scheduled run
    from prefect.schedules import Cron

    from flows.briefing import briefing

    briefing.serve(
        name="served",
        schedules=[Cron(cron, timezone=timezone)],
        parameters={"inputs": inputs, "config_path": str(config) if config else None,
                    "output_dir": str(out_dir) if out_dir else None},
    )


@app.command("eval")
def eval_command(
    translations: Optional[Path] = typer.Option(None, help="JSONL of {src_lang, src, ref}: chrF++ and BLEU per pair."),
    articles: Optional[Path] = typer.Option(None, help="JSONL of {id, lang, title, text, cluster_id}: clustering B-cubed."),
    clusters: Optional[Path] = typer.Option(None, help="JSONL of {cluster_id, summary}: ROUGE of briefing summaries (needs --articles)."),
    limit: Optional[int] = typer.Option(None, help="At most this many sentences per pair / clusters."),
    out_dir: Path = typer.Option(Path("outputs/eval"), "--out", "-o", help="Where eval.md and eval.json go."),
    config: Optional[Path] = ConfigOpt,
    models: Optional[Path] = ModelsOpt,
) -> None:
    """Measure translation, summary and clustering quality against references."""
    import json

    from polybrief import evaluate

    if not (translations or articles):
        raise InputError("eval", "give --translations and/or --articles (with --clusters for summaries)")
    if clusters and not articles:
        raise InputError(str(clusters), "--clusters needs --articles (the cluster members' texts)")
    cfg = _config(config, models)
    results: dict[str, Any] = {}
    with err.status("evaluating…"):
        if translations:
            results["translation"] = evaluate.eval_translation(translations, cfg, limit)
        if articles:
            results["clustering"] = evaluate.eval_clustering(articles, cfg)
        if clusters and articles:
            results["summaries"] = evaluate.eval_summaries(clusters, articles, cfg, limit)
    report = evaluate.render_report(results)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "eval.md").write_text(report, encoding="utf-8")
    (out_dir / "eval.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    out.print(report)
    out.print(f"written: {out_dir / 'eval.md'}, {out_dir / 'eval.json'}")


def main() -> None:
    try:
        # outside standalone mode click returns `typer.Exit`'s code instead of exiting
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except PolybriefError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        from click.exceptions import ClickException

        if isinstance(exc, ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
