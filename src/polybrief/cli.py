"""The `polybrief` command: run the briefing flow once or on a schedule, and manage the models.

Errors polybrief knows about end as one line on stderr and an exit code (2 for a usage error, a
missing model, a bad config or bad input); nothing is half-written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from polybrief.console import (
    ConfigOpt,
    ModelsOpt,
    default_config,
    err,
    load_cli_config,
    note,
    out,
    quiet_transformers,
    show_warnings,
)
from polybrief.errors import ConfigError, InputError, PolybriefError
from polybrief.models_cli import models_app
from polybrief.report import SEEN_BEFORE, RunReport

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="English briefings from news in many languages.")
app.add_typer(models_app, name="models")

InputsArg = typer.Argument(..., metavar="INPUT", help="Article files or folders (.txt .md .json .jsonl .html), "
                                                      "article URLs, RSS/Atom feeds.")
OutOpt = typer.Option(None, "--out", "-o", help="Output folder (default: outputs/).")


@app.command()
def run(
    inputs: list[str] = InputsArg,
    config: Path | None = ConfigOpt,
    out_dir: Path | None = OutOpt,
    models: Path | None = ModelsOpt,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's logs."),
) -> None:
    """Brief the articles in INPUTS; writes an edition folder of Markdown under the output folder."""
    from polybrief.preflight import check_before_run, quiet_telemetry

    cfg = load_cli_config(config, models, output_dir=str(out_dir) if out_dir else None)
    show_warnings()
    for line in check_before_run(inputs, cfg):  # a missing summariser stops here, in a second
        note(line)
    if not verbose:
        # the progress bars and the closing report say what happened; errors come as one line
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
        quiet_transformers()
    quiet_telemetry()
    from polybrief.oneoff import run_in_this_process

    report = run_in_this_process(list(inputs), cfg, default_config(config))
    _print_report(report, inputs)


def _print_report(report: RunReport, inputs: list[str]) -> None:
    if not report.stories:
        _print_no_stories(report, inputs)
        return
    langs = ", ".join(f"{k} {v}" for k, v in report.languages.items()) or "none"
    out.print(f"[bold]{report.inputs} inputs[/]: " + ", ".join(f"{k} {v}" for k, v in report.counts.items() if v))
    out.print(f"languages: {langs}")
    engines = report.models.engines
    if engines:
        translation = ", ".join(f"{lang} {e}" for lang, e in engines["translation"].items()) or "none"
        out.print(f"engines: translation {translation}; summary {engines['summary']}; embedder {engines['embedder']}; "
                  f"multilingual {engines.get('multilingual', 'none')}")
    check = report.translation.get("translation_check") or {}
    if check.get("sentences_checked"):
        why = ", ".join(f"{k} {v}" for k, v in check["reasons"].items())
        out.print(f"translation check: {check['doubted']} of {check['sentences_checked']} translated sentences "
                  f"doubted{f' ({why}), marked on the article pages' if why else ''}")
    table = Table("story", "sources", show_header=True, header_style="bold")
    for story in report.stories:
        table.add_row(story.headline[:90], str(len(story.articles)))
    out.print(table)
    _print_problems(report)
    if report.seen_before:
        out.print(f"skipped {report.seen_before} articles briefed in earlier runs")
    out.print(f"briefings: [bold]{report.edition}/index.md[/] ({len(report.stories)} stories) "
              f"in {report.seconds:.1f}s")


def _print_no_stories(report: RunReport, inputs: list[str]) -> None:
    """One line saying why there is nothing to read; the last edition stays `latest`."""
    latest = f"latest edition unchanged ({report.latest or 'none yet'})"
    if not report.inputs:
        err.print(f"[yellow]warning:[/] no articles found in {', '.join(inputs)}; {latest}", highlight=False,
                  soft_wrap=True)
    elif report.seen_before:
        _print_problems(report)  # a feed's broken link, say: still worth a line each
        out.print(f"nothing new: {report.seen_before} of {report.inputs} inputs were briefed in earlier runs; "
                  f"{latest}", highlight=False, soft_wrap=True)
    else:
        _print_problems(report)
        err.print(f"[yellow]warning:[/] no stories from {report.inputs} inputs; {latest}", highlight=False,
                  soft_wrap=True)
    out.print(f"run record: {report.edition}/run.json", highlight=False, soft_wrap=True)


def _print_problems(report: RunReport) -> None:
    for o in report.outcomes:
        if o.status in ("failed", "skipped") and not o.detail.startswith(SEEN_BEFORE):
            out.print(f"[yellow]{o.status}[/] {o.source}: {o.detail}", highlight=False)
    if report.failed.stories or report.failed.articles:
        out.print(f"[yellow]{report.failed.stories} stories / {report.failed.articles} articles failed[/] "
                  f"(the rest was briefed; each reason is in run.json)", highlight=False)


@app.command()
def serve(
    inputs: list[str] = InputsArg,
    cron: str = typer.Option("0 6 * * *", help="When to run (cron)."),
    timezone: str = typer.Option("UTC", "--timezone", help="Time zone of the cron schedule, e.g. Europe/Ljubljana."),
    config: Path | None = ConfigOpt,
    out_dir: Path | None = OutOpt,
    models: Path | None = ModelsOpt,
    name: str = typer.Option("served", help="Deployment name: runs show as briefing/NAME."),
) -> None:
    """Serve the briefing flow on a schedule from this process (the simplest deployment).

    The same checks as `run` happen now, not at the first scheduled run."""
    from polybrief.engines.store import store_path
    from polybrief.preflight import check_before_run, quiet_telemetry
    from polybrief.stages.read.fetch import is_url

    cfg = load_cli_config(config, models, output_dir=str(out_dir) if out_dir else None)
    show_warnings()
    for line in check_before_run(inputs, cfg):
        note(line)
    schedule = _cron(cron, timezone)
    quiet_telemetry()
    from polybrief.flows.api import prefect_api

    api = prefect_api()  # README: serve to a running server; without one, a temporary API
    if api:
        api.wait_ready()
    from polybrief.flows.briefing import briefing

    parameters = {  # absolute: the runs do not depend on where the served process was started
        "inputs": [i if is_url(i) else str(Path(i).resolve()) for i in inputs],
        "config_path": str(path.resolve()) if (path := default_config(config)) else None,
        "output_dir": str(Path(cfg.output_dir).resolve()),
        "models_dir": str(store_path(cfg).resolve()),
    }
    out.print(f"serving briefing/{name}: '{cron}' ({timezone}); briefings go to {parameters['output_dir']}",
              highlight=False)
    try:
        briefing.serve(name=name, schedules=[schedule], parameters=parameters)
    finally:
        if api:
            api.stop()


def _cron(cron: str, timezone: str):
    from prefect.schedules import Cron

    try:
        return Cron(cron, timezone=timezone)
    except Exception as exc:  # pydantic's message names the field; ours names the option
        reason = str(exc).splitlines()[-1].strip() if str(exc) else type(exc).__name__
        raise ConfigError(f"--cron '{cron}' / --timezone '{timezone}': {reason}") from None


@app.command("eval")
def eval_command(
    translations: Path | None = typer.Option(None, help="JSONL of {src_lang, src, ref}: chrF++ and BLEU per pair."),
    articles: Path | None = typer.Option(None, help="JSONL of {id, lang, title, text, cluster_id}: "
                                                     "clustering B-cubed."),
    clusters: Path | None = typer.Option(None, help="JSONL of {cluster_id, summary}: ROUGE of briefing summaries "
                                                     "(needs --articles)."),
    limit: int | None = typer.Option(None, help="At most this many sentences per pair / clusters."),
    out_dir: Path = typer.Option(Path("outputs/eval"), "--out", "-o", help="Where eval.md and eval.json go."),
    config: Path | None = ConfigOpt,
    models: Path | None = ModelsOpt,
) -> None:
    """Measure translation, summary and clustering quality against references."""
    import json

    from polybrief import evaluate

    if not (translations or articles):
        raise InputError("eval", "give --translations and/or --articles (with --clusters for summaries)")
    if clusters and not articles:
        raise InputError(str(clusters), "--clusters needs --articles (the cluster members' texts)")
    cfg = load_cli_config(config, models)
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
    except Exception as exc:
        if not _is_usage_error(exc):
            raise
        _print_usage_error(exc)
        sys.exit(2)


def _is_usage_error(exc: Exception) -> bool:
    # typer bundles its own copy of click, whose exceptions are not click's: known by their shape
    return callable(getattr(exc, "format_message", None)) and isinstance(getattr(exc, "exit_code", None), int)


def _print_usage_error(exc: Any) -> None:
    """One line saying what is wrong, one with the usage: never a traceback."""
    err.print(f"[red]error:[/] {exc.format_message()}", highlight=False, soft_wrap=True)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        command = ctx.command_path
        err.print(f"{ctx.get_usage()}  (more: {command} --help)", highlight=False, soft_wrap=True)
    else:
        err.print("Usage: polybrief COMMAND ...  (more: polybrief --help)", highlight=False)
