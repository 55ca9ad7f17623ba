"""polybrief: English briefings from news articles in many languages.

The public surface is here; the modules behind it are the pipeline's stages (`polybrief.stages`),
its engines (`polybrief.engines`) and the Prefect flow in `flows/briefing.py`. Importing this
package loads no model and no heavy library.
"""

from polybrief.config import Config, ModelRef, load_config
from polybrief.errors import (
    ConfigError,
    InputError,
    ModelError,
    ModelMissing,
    PolybriefError,
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

__version__ = "0.1.0"

__all__ = [
    "Article", "Briefing", "Config", "ConfigError", "DuplicateGroup", "Event", "Figure", "FigureCheck", "InputError",
    "KeyPoint", "Quote",
    "ModelError", "ModelMissing", "ModelRef", "Outcome", "PolybriefError", "SentencePair", "SourceRef",
    "StoreError", "StoreLocked", "Story", "Summary", "Translation", "UnsafeModel", "load_config",
]
