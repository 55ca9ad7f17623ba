"""polybrief: English briefings from news articles in many languages.

The public surface is here; the modules behind it are the pipeline (`polybrief.pipeline`: the
composition of a run, once), its stages (`polybrief.stages`), its engines (`polybrief.engines`)
and the Prefect flow (`polybrief.flows`, deployed from `flows/briefing.py`). Importing this
package loads no model and no heavy library.

    import polybrief
    report = polybrief.brief(["examples/articles"], "my.yaml")   # no Prefect: same steps as `polybrief run`
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike

from polybrief.config import Config, ModelRef, load_config
from polybrief.errors import (
    ApiUnavailable,
    ConfigError,
    InputError,
    ModelError,
    ModelMissing,
    PolybriefError,
    PullFailed,
    RunStopped,
    StoreError,
    StoreLocked,
    UnsafeModel,
)
from polybrief.records import (
    Article,
    Briefing,
    DuplicateGroup,
    Event,
    Figure,
    FigureCheck,
    KeyPoint,
    Outcome,
    Quote,
    SentencePair,
    SourceRef,
    Story,
    Summary,
    Translation,
)
from polybrief.report import RunReport

__version__ = "0.1.0"


def brief(inputs: Iterable[str | PathLike[str]], config: Config | str | PathLike[str] | None = None) -> RunReport:
    """Brief `inputs` (article files, folders, URLs, feeds) in this process, without Prefect: the
    same steps, in the same order, with the same defaults as `polybrief run`, and the same edition
    written under the config's output folder. `config`: a Config, a config file, or None (the
    defaults). Raises a PolybriefError for what stops all work; every input's outcome is in the
    returned report."""
    from polybrief.pipeline import InProcess, run

    settings = config if isinstance(config, Config) else load_config(config)
    return run([str(i) for i in inputs], settings, InProcess())

__all__ = [
    "ApiUnavailable", "Article", "Briefing", "Config", "ConfigError", "DuplicateGroup", "Event", "Figure",
    "FigureCheck", "InputError", "KeyPoint", "ModelError", "ModelMissing", "ModelRef", "Outcome", "PolybriefError",
    "PullFailed", "Quote", "RunReport", "RunStopped", "SentencePair", "SourceRef", "StoreError", "StoreLocked", "Story",
    "Summary", "Translation", "UnsafeModel", "brief", "load_config",
]
