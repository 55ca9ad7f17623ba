"""Progress of long stages, reported to whoever listens (the CLI draws rich progress bars).

Stages and flows call `start`/`advance`; by default nobody listens and the calls cost nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Reporter(Protocol):
    def start(self, stage: str, total: int) -> None: ...

    def advance(self, stage: str, amount: int = 1) -> None: ...


_reporter: Reporter | None = None


@contextmanager
def reporting_to(reporter: Reporter) -> Iterator[None]:
    global _reporter
    previous, _reporter = _reporter, reporter
    try:
        yield
    finally:
        _reporter = previous


def start(stage: str, total: int) -> None:
    if _reporter:
        _reporter.start(stage, total)


def advance(stage: str, amount: int = 1) -> None:
    if _reporter:
        _reporter.advance(stage, amount)
