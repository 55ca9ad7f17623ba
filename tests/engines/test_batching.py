import random

from polybrief.engines.translate import BatchingTranslator, token_batches
from tests.builders import FakeTranslator


def test_batches_cover_every_index_once_within_the_budget():
    rng = random.Random(1)
    lengths = [rng.randint(5, 80) for _ in range(300)]
    batches = token_batches(lengths, budget=400, max_size=16)
    assert sorted(i for b in batches for i in b) == list(range(300))
    for b in batches:
        assert len(b) <= 16
        assert max(lengths[i] for i in b) * len(b) <= 400 or len(b) == 1


def test_batches_group_similar_lengths():
    lengths = [5, 80, 6, 79, 7, 78]
    assert token_batches(lengths, budget=160, max_size=2) == [[0, 2], [4, 5], [3, 1]]


def test_batching_translator_restores_the_callers_order():
    fake = FakeTranslator()
    t = BatchingTranslator(fake, batch_tokens=8, max_batch_size=2)
    texts = ["a b c d e f", "a", "a b c", "a b", "x y z w"]
    assert t.translate(texts, "sl") == [s.upper() for s in texts]
    assert len(fake.calls) > 1
    assert all(len(call) <= 2 for call in fake.calls)
