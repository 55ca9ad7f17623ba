import pytest

from polybrief.engines.cache import CachedSummariser, CachedTranslator, TextCache
from tests.builders import FakeSummariser, FakeTranslator


def test_only_misses_reach_the_model_and_hits_survive_a_restart(tmp_path):
    fake = FakeTranslator()
    cache = TextCache(tmp_path / "c.sqlite")
    t = CachedTranslator(fake, cache)
    assert t.translate(["ena", "dva", "ena"], "sl") == ["ENA", "DVA", "ENA"]
    assert fake.calls == [["dva", "ena"]]  # the repeated sentence once
    cache.close()
    again = CachedTranslator(fake, TextCache(tmp_path / "c.sqlite"))
    assert again.translate(["dva", "tri"], "sl") == ["DVA", "TRI"]
    assert fake.calls[-1] == ["tri"]
    assert (again.cache.hits, again.cache.misses) == (1, 1)


def test_a_new_model_revision_or_language_is_a_miss(tmp_path):
    cache = TextCache(tmp_path / "c.sqlite")
    one, two = FakeTranslator(), FakeTranslator()
    two.key = "fake/translator@2"
    CachedTranslator(one, cache).translate(["ena"], "sl")
    CachedTranslator(two, cache).translate(["ena"], "sl")
    CachedTranslator(one, cache).translate(["ena"], "hr")
    assert two.calls == [["ena"]] and one.calls == [["ena"], ["ena"]]


def test_summaries_are_cached_too(tmp_path):
    fake = FakeSummariser(keep=1)
    s = CachedSummariser(fake, TextCache(tmp_path / "c.sqlite"))
    assert s.summarise(["a b", "c d"]) == ["a", "c"] and s.summarise(["a b"]) == ["a"]
    assert fake.inputs == ["a b", "c d"] and s.window == fake.window


def test_work_is_committed_slice_by_slice_so_a_crash_keeps_finished_slices(tmp_path, monkeypatch):
    import polybrief.engines.cache as cache_module

    monkeypatch.setattr(cache_module, "FLUSH_EVERY", 2)
    fake = FakeTranslator()
    calls = []

    def dies_on_third_slice(texts, lang):
        calls.append(texts)
        if len(calls) == 3:
            raise KeyboardInterrupt  # stands in for kill -9: nothing after this point runs
        return fake.translate(texts, lang)

    fake_engine = type("E", (), {"key": "k@1", "count_tokens": fake.count_tokens,
                                 "translate": staticmethod(dies_on_third_slice)})
    texts = [f"stavek {i}" for i in range(6)]
    with pytest.raises(KeyboardInterrupt):
        CachedTranslator(fake_engine(), TextCache(tmp_path / "c.sqlite")).translate(texts, "sl")
    resumed = FakeTranslator()
    resumed.key = "k@1"
    cached = CachedTranslator(resumed, TextCache(tmp_path / "c.sqlite"))
    assert cached.translate(texts, "sl") == [t.upper() for t in texts]
    assert resumed.sentences_seen == calls[2]  # only the slice that never finished


def _garbage_after_first_page(path):
    import random
    import sqlite3

    with sqlite3.connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    path.write_bytes(data[:4096] + random.Random(3).randbytes(len(data) - 4096))


def test_a_cache_damaged_while_open_is_set_aside_with_one_warning_and_work_goes_on(tmp_path, caplog):
    path = tmp_path / "c.sqlite"
    filler = [f"stavek {i} " + "x" * 200 for i in range(60)]  # enough rows for pages past the first
    CachedTranslator(FakeTranslator(), TextCache(path)).translate(filler, "sl")
    cache = TextCache(path)  # opens: the schema on page one is sound
    _garbage_after_first_page(path)
    fake = FakeTranslator()
    with caplog.at_level("WARNING", logger="polybrief"):
        assert CachedTranslator(fake, cache).translate(filler[:2], "sl") == [t.upper() for t in filler[:2]]
    assert fake.sentences_seen == filler[:2]  # recomputed: nothing could be read
    assert [r.getMessage() for r in caplog.records if "moved aside" in r.getMessage()] and len(caplog.records) == 1
    assert len(cache.moved_aside) == 1 and cache.moved_aside[0].name.startswith("c.sqlite.damaged-")
    assert cache.moved_aside[0].exists()
    assert CachedTranslator(FakeTranslator(), TextCache(path)).known(filler[:2], "sl")  # the fresh cache kept them


def test_a_file_that_is_no_database_is_set_aside_at_open(tmp_path):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"not a database at all " * 300)
    cache = TextCache(path)
    assert cache.moved_aside and cache.moved_aside[0].read_bytes().startswith(b"not a database")
    cache.put_many({"k": "v"})
    assert cache.get_many(["k"]) == {"k": "v"}


def test_a_cache_that_cannot_be_created_stops_the_run_with_one_line(tmp_path):
    from polybrief.errors import StoreError

    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="cannot open the cache"):
        TextCache(tmp_path / "file" / "c.sqlite")


def test_calls_running_side_by_side_count_once_on_the_busy_clock():
    import threading
    import time

    from polybrief.engines.loading import BusyClock

    clock = BusyClock()
    started = threading.Barrier(2)

    def work():
        with clock.timing():
            started.wait()
            time.sleep(0.2)

    threads = [threading.Thread(target=work) for _ in range(2)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 0.2 <= clock.seconds <= time.monotonic() - began  # not 0.4: the two overlapped
