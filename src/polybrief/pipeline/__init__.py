"""A run, composed once (`compose.run`): the steps (`steps`), what surrounds them (`housekeeping`:
model check, lock, seen articles, run id) and one failure kept to its article or story
(`isolate`). The Prefect flow and `polybrief.brief` run the same composition. No Prefect here."""

from polybrief.pipeline.compose import InProcess, Runner, run
from polybrief.pipeline.isolate import (
    StoryFailure,
    each_apart,
    failed_outcomes,
    merge_apart,
    one_line,
    story_outcomes,
)

__all__ = ["InProcess", "Runner", "StoryFailure", "each_apart", "failed_outcomes", "merge_apart", "one_line",
           "run", "story_outcomes"]
