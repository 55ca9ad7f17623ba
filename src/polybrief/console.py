"""What the `polybrief` commands share: the two consoles, the common options, config loading."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

err = Console(stderr=True)
out = Console()

ConfigOpt = typer.Option(None, "--config", "-c", help="YAML file overriding config.yaml's defaults.")
ModelsOpt = typer.Option(None, "--models", help="Model store folder (default: models/, or $POLYBRIEF_MODELS).")


def default_config(path: Path | None) -> Path | None:
    """The file given, else ./config.yaml when there is one."""
    if path is not None:
        return path
    return Path("config.yaml") if Path("config.yaml").is_file() else None


def load_cli_config(config: Path | None, models: Path | None, **overrides: Any):
    from polybrief.config import load_config

    return load_config(default_config(config), models_dir=str(models) if models else None, **overrides)


def first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__


def note(text: str) -> None:
    err.print(f"[yellow]note:[/] {text}", highlight=False, soft_wrap=True)


def quiet_transformers() -> None:
    """Models load through transformers: its deprecation notes and "Loading weights" bars would
    interleave with polybrief's own progress bars and messages."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


class _WarningLine(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        err.print(f"[yellow]warning:[/] {record.getMessage()}", highlight=False, soft_wrap=True)


def show_warnings() -> None:
    """polybrief's own warnings (a damaged cache set aside) as one `warning:` line each, above the
    progress bars, whatever Prefect's log level."""
    logger = logging.getLogger("polybrief")
    if not any(isinstance(h, _WarningLine) for h in logger.handlers):
        logger.addHandler(_WarningLine(logging.WARNING))
        logger.propagate = False
