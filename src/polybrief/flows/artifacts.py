"""What a run shows in the Prefect UI: one progress artifact that moves after every task, the
edition's index with absolute paths (relative links are dead in the UI), and every input's outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)

from polybrief.records import Briefing
from polybrief.report import RunReport
from polybrief.stages.write import render_index

# share of the bar each stage fills; translation and the stories' briefings (a summary each) are
# the long ones
_WEIGHTS = {"read": 4, "detect languages": 8, "near-duplicates": 3, "translate": 55, "cluster": 4, "merge": 24,
            "write": 2}


class RunProgress:
    """One progress artifact for the whole run; `done` moves it after each task (or part of one)."""

    def __init__(self, run_name: str) -> None:
        self.percent = 0.0
        # the sync call (in a flow run) returns the id itself
        self.id: Any = create_progress_artifact(0.0, key="briefing-progress", description=f"Progress of {run_name}")

    def done(self, stage: str, part: float = 1.0) -> None:
        self.percent = min(100.0, self.percent + _WEIGHTS[stage] * part)
        if self.id is not None:
            update_progress_artifact(self.id, round(self.percent, 1))


def publish_edition(report: RunReport, briefings: Sequence[Briefing]) -> None:
    edition = Path(report.edition).resolve()
    create_markdown_artifact(render_index(report, briefings, folder=edition), key="briefing-index",
                             description=f"Briefings of run {report.run_id}")
    create_table_artifact(
        [{"source": o.source, "status": o.status, "detail": o.detail, "lang": o.lang} for o in report.outcomes],
        key="briefing-inputs", description=f"Every input of run {report.run_id} and its outcome",
    )
