"""One run of the briefing flow in this process, as `polybrief run` makes it: the Prefect API
started beside the model loading, progress bars, and a stop that is quick and loses nothing.

Start-up order (bench/RESULTS.md, "Start-up"): the temporary Prefect API (a server process of its
own) is launched first; lingua, the encoder, the embedder and the summariser load while it starts;
the flow begins once both are ready.

Stopping: SIGINT (Ctrl-C) and SIGTERM ask the run to stop; every stage ends at its next batch
and the run ends Cancelled with one line. A model call that runs on is cut `GRACE` seconds after
the signal: the temporary API and any other child process are ended and the process exits
128 + the signal. The edition and the story store are written as one step that a stop waits for,
so `latest` and the store never disagree; what was translated or summarised is in the cache.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any, cast

from polybrief import stopping
from polybrief.config import Config
from polybrief.console import err
from polybrief.errors import RunStopped
from polybrief.report import RunReport
from polybrief.stages.write import latest_edition

GRACE = 2.0  # s from the signal to the hard stop of a model call that runs on


def run_in_this_process(inputs: list[str], config: Config, config_path: Path | None) -> RunReport:
    from polybrief.flows.api import prefect_api
    from polybrief.preflight import warm_up
    from polybrief.progress import reporting_to

    api = prefect_api()  # now: it starts while the models load
    reporter = RichReporter()
    stop = _Stopper(reporter, Path(config.output_dir), api)
    try:
        stop.install()
        if config.runtime.runner != "dask":  # Dask workers load their own
            warm_up(config)
        stopping.check()
        if api:
            api.wait_ready()
        from polybrief.flows.briefing import briefing

        with reporter, reporting_to(reporter):
            result = briefing(inputs, config_path=str(config_path) if config_path else None,
                              output_dir=config.output_dir, models_dir=config.models_dir)
        if stopping.requested():  # asked during the last write, which a stop does not cut
            raise RunStopped(stopping.signal_number())
        return cast(RunReport, result)  # a Failed or Cancelled state raised instead
    except RunStopped as exc:
        stop.say(exc.signum)
        raise SystemExit(exc.exit_code) from None
    except BaseException as exc:
        if not stopping.requested():
            raise
        # KeyboardInterrupt, or Prefect's TerminationSignal for SIGTERM
        signum = getattr(exc, "signal", stopping.signal_number())
        stop.say(signum)
        raise SystemExit(128 + signum) from None
    finally:
        if api:
            api.stop()


class _Stopper:
    """The signal handlers and what a stop says and does."""

    def __init__(self, reporter: RichReporter, output_dir: Path, api) -> None:
        self.reporter, self.output_dir, self.api = reporter, output_dir, api
        self.latest_before = latest_edition(output_dir)
        self.said = False

    def install(self) -> None:
        # also when the shell started us with SIGINT ignored (a background job): a stop asked for
        # is a stop
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._on_signal)
        stopping.arm(GRACE, self._hard_stop)

    def _on_signal(self, signum: int, _frame: Any) -> None:
        stopping.request(signum)  # no raise: the stages end at their next batch

    def say(self, signum: int) -> None:
        if self.said:
            return
        self.said = True
        self.reporter.close()
        latest = latest_edition(self.output_dir)
        edition = (f"latest edition unchanged ({self.latest_before or 'none yet'})" if latest == self.latest_before
                   else f"the edition {latest} was completed first")
        err.print(f"stopped ({signal.Signals(signum).name}): {self.reporter.where()}; {edition}; "
                  f"work done is cached, a rerun resumes from it", highlight=False, soft_wrap=True)

    def _hard_stop(self, signum: int) -> None:
        """A model call ran on past the grace time: end the children, then this process."""
        self.say(signum)
        if self.api:
            self.api.stop(flush=False)  # not worth waiting for: the run is being cut
        _end_children()
        sys.stderr.flush()
        os._exit(128 + signum)


def _end_children() -> None:
    import psutil

    children = psutil.Process().children(recursive=True)  # Dask workers, a tokenizer pool
    for child in children:
        try:
            child.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(children, timeout=3)
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


class RichReporter:
    """Progress bars on stderr, one per stage; remembers where the run is for the stop line."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=err, transient=False)
        self.tasks: dict[str, Any] = {}
        self.done: dict[str, list[int]] = {}  # stage → [done, total]
        self.current = ""

    def __enter__(self) -> RichReporter:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.progress.stop()

    def start(self, stage: str, total: int) -> None:
        self.tasks[stage] = self.progress.add_task(stage, total=max(total, 0))
        if total <= 0:  # nothing to do (English only: no sentence to translate) is done now, its clock stopped
            self.progress.update(self.tasks[stage], completed=0)
        self.done[stage] = [0, max(total, 0)]
        self.current = stage

    def advance(self, stage: str, amount: int = 1) -> None:
        if stage in self.tasks:
            self.progress.advance(self.tasks[stage], amount)
            self.done[stage][0] += amount

    def where(self) -> str:
        """"translate sentences 37 of 120 done" / "before the first stage"."""
        if not self.current:
            return "before the first stage"
        done, total = self.done[self.current]
        return f"after {self.current}" if done >= total else f"{self.current} {done} of {total} done"
