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

    fake_engine = type("E", (), {"key": "k@1", "count_tokens": fake.count_tokens, "translate": staticmethod(dies_on_third_slice)})
    texts = [f"stavek {i}" for i in range(6)]
    with pytest.raises(KeyboardInterrupt):
        CachedTranslator(fake_engine(), TextCache(tmp_path / "c.sqlite")).translate(texts, "sl")
    resumed = FakeTranslator()
    resumed.key = "k@1"
    assert CachedTranslator(resumed, TextCache(tmp_path / "c.sqlite")).translate(texts, "sl") == [t.upper() for t in texts]
    assert resumed.sentences_seen == calls[2]  # only the slice that never finished
