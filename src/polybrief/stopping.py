"""A run asked to stop (Ctrl-C, SIGTERM, a cancelled deployment): every stage checks at its next
batch boundary and ends with `RunStopped`, so what was computed is already in the cache and
nothing is half-written (the edition and the story store are written last, as one step that a
stop does not cut).

The entry point that owns the process (`polybrief run`) arms a hard stop: if the run has not
ended `grace` seconds after the request (a long model call), `on_hard_stop` ends the process.
No Prefect here: the flow and the stages call these.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from polybrief.errors import RunStopped

_requested = threading.Event()
_signal: list[int] = []
_committing = threading.Lock()  # held while the edition and the story store are written
_hard_stop: list[tuple[float, Callable[[int], None]]] = []


def request(signum: int = signal.SIGINT) -> None:
    """Ask the run to stop; the first call arms the hard stop, if any."""
    if _requested.is_set():
        return
    _signal.append(signum)
    _requested.set()
    for grace, on_hard_stop in _hard_stop:
        threading.Thread(target=_hard_stop_after, args=(grace, on_hard_stop, signum), daemon=True,
                         name="polybrief-hard-stop").start()


def requested() -> bool:
    return _requested.is_set()


def signal_number() -> int:
    return _signal[0] if _signal else signal.SIGINT


def check() -> None:
    """Raise RunStopped when a stop was asked for: call it between batches."""
    if _requested.is_set():
        raise RunStopped(signal_number())


def arm(grace: float, on_hard_stop: Callable[[int], None]) -> None:
    _hard_stop.append((grace, on_hard_stop))


def reset() -> None:
    """Forget a stop and the hard stop (tests; a long-lived process between runs)."""
    _requested.clear()
    _signal.clear()
    _hard_stop.clear()


@contextmanager
def committing() -> Iterator[None]:
    """Writing the edition and the story store: a hard stop waits for the end of this, so that
    `latest` and the store never disagree."""
    with _committing:
        yield


def _hard_stop_after(grace: float, on_hard_stop: Callable[[int], None], signum: int) -> None:
    time.sleep(grace)
    with _committing:  # never between the edition and the story store
        on_hard_stop(signum)
