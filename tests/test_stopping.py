"""The stop flag the stages check between batches, and the hard stop a stuck call meets."""

import signal
import threading
import time

import pytest

from polybrief import stopping
from polybrief.errors import RunStopped
from polybrief.stages.translate import TranslationJob, run_job


@pytest.fixture(autouse=True)
def _fresh():
    stopping.reset()
    yield
    stopping.reset()


class _Counting:
    key = "fake"

    def __init__(self, stop_after: int) -> None:
        self.calls, self.stop_after = 0, stop_after

    def translate(self, texts, lang):
        self.calls += 1
        if self.calls == self.stop_after:
            stopping.request(signal.SIGINT)
        return [t.upper() for t in texts]


def test_a_translation_job_ends_at_the_batch_after_the_stop():
    job = TranslationJob("sl", (("a",), ("b",), ("c",), ("d",)))
    translator = _Counting(stop_after=2)
    with pytest.raises(RunStopped) as stopped:
        run_job(job, translator)
    assert translator.calls == 2  # the batch in flight finished, no new one started
    assert stopped.value.exit_code == 130 and "SIGINT" in str(stopped.value)


def test_sigterm_exits_143():
    stopping.request(signal.SIGTERM)
    stopping.request(signal.SIGINT)  # a second signal changes nothing
    with pytest.raises(RunStopped) as stopped:
        stopping.check()
    assert stopped.value.exit_code == 143


def test_the_hard_stop_comes_after_the_grace_time_and_never_inside_the_commit():
    fired = threading.Event()
    stopping.arm(0.2, lambda signum: fired.set())
    with stopping.committing():
        stopping.request(signal.SIGINT)
        time.sleep(0.5)
        assert not fired.is_set()  # the edition and the story store are written together
    assert fired.wait(2)
