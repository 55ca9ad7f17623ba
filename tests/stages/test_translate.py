from polybrief.stages.translate import translate_articles
from tests.builders import FakeTranslator, article


def test_paragraphs_and_sentences_are_kept_in_order():
    a = article("Prvi stavek. Drugi stavek.\n\nTretji stavek.", title="Naslov članka")
    fake = FakeTranslator()
    (t,) = translate_articles([a], lambda lang: fake, 50).translations
    assert [[p.en for p in para] for para in t.paragraphs] == [["PRVI STAVEK.", "DRUGI STAVEK."], ["TRETJI STAVEK."]]
    assert t.title_en == "NASLOV ČLANKA" and t.model == fake.key


def test_english_passes_through_without_the_translator():
    a = article("The minister spoke. Nothing else happened.", lang="en")
    fake = FakeTranslator()
    (t,) = translate_articles([a], lambda lang: fake, 50).translations
    assert fake.calls == [] and t.model == ""
    assert t.text_en == "The minister spoke. Nothing else happened."


def test_a_long_sentence_is_cut_into_pieces_not_truncated():
    words = [f"beseda{i}," if i % 10 == 9 else f"beseda{i}" for i in range(120)]
    a = article(" ".join(words) + ".")
    fake = FakeTranslator()
    (t,) = translate_articles([a], lambda lang: fake, 30).translations
    assert all(n <= 30 for n in fake.count_tokens(fake.sentences_seen))
    assert " ".join(p.en for p in t.paragraphs[0]).split() == [w.upper() for w in (" ".join(words) + ".").split()]


def test_a_sentence_shared_by_articles_is_translated_once():
    shared = "Ta stavek se ponovi v obeh člankih."
    a, b = article(f"{shared} Prvi članek."), article(f"{shared} Drugi članek.")
    fake = FakeTranslator()
    translate_articles([a, b], lambda lang: fake, 50)
    assert fake.sentences_seen.count(shared) == 1


def test_one_language_failing_loses_no_article():
    sl, hu = article("Slovenski stavek je tu.", lang="sl"), article("Magyar mondat van itt.", lang="hu")
    fake = FakeTranslator()

    def translator_for(lang):
        if lang == "hu":
            raise RuntimeError("model exploded")
        return fake

    result = translate_articles([sl, hu], translator_for, 50)
    assert [t.article_id for t in result.translations] == [sl.id]
    (o,) = result.outcomes
    assert (o.article_id, o.status) == (hu.id, "failed") and "model exploded" in o.detail


def test_five_thousand_characters_without_punctuation_go_in_bounded_pieces():
    words = ("beseda brez konca " * 300)[:5000].split()
    a = article(" ".join(words))
    fake = FakeTranslator()
    (t,) = translate_articles([a], lambda lang: fake, 40).translations
    assert max(fake.count_tokens(fake.sentences_seen)) <= 40
    assert " ".join(p.en for p in t.paragraphs[0]).split() == [w.upper() for w in words]


def test_paragraphs_in_another_language_go_to_that_languages_translator():
    import dataclasses

    a = dataclasses.replace(article("Slovenski stavek.\n\nThe English one.\n\nMagyar mondat."),
                            paragraph_langs=("sl", "en", "hu"))
    seen = {}

    def translator_for(lang):
        seen[lang] = FakeTranslator()
        return seen[lang]

    (t,) = translate_articles([a], translator_for, 50).translations
    assert sorted(seen) == ["hu", "sl"]
    assert [para[0].en for para in t.paragraphs] == ["SLOVENSKI STAVEK.", "The English one.", "MAGYAR MONDAT."]


def _pool_articles():
    return [article("Kratek. Ta stavek je precej daljši od prvega stavka v članku. Srednje dolg stavek tukaj."),
            article("Drugi članek. Še en zelo dolg stavek z mnogo besedami, ki ne konča kmalu, ampak traja."),
            article("Tretji. Zadnji stavek tretjega članka ni kratek.")]


def test_sentences_of_all_articles_are_pooled_sorted_by_length_and_batched_by_tokens():
    from polybrief.stages.translate import plan_translation

    fake = FakeTranslator()
    plan = plan_translation(_pool_articles(), lambda lang: fake, 50, batch_tokens=24, max_batch_size=8, jobs_of=3)
    batches = [b for job in plan.jobs for b in job.batches]
    lengths = [fake.count_tokens(b) for b in batches]
    flat = [n for ls in lengths for n in ls]
    assert flat == sorted(flat)  # one pool, shortest first, across articles
    assert all(max(ls) * len(ls) <= 24 or len(ls) == 1 for ls in lengths)  # a token budget, not a count
    assert len({len(b) for b in batches}) > 1
    assert sorted(p for b in batches for p in b) == sorted({s for a in _pool_articles() for s in _sentences(a)})
    assert all(job.size >= 3 for job in plan.jobs[:-1])  # jobs gather whole batches up to ~jobs_of pieces
    first_batch_sources = {a.id for a in _pool_articles() for s in _sentences(a) if s in batches[0]}
    assert len(first_batch_sources) > 1  # a batch mixes articles


def _sentences(a):
    from polybrief.stages.translate import segment_article

    return [s for para in segment_article(a)[1] for s in para]


def test_pooled_output_is_restored_to_each_article_in_order():
    fake = FakeTranslator()
    articles = _pool_articles()
    result = translate_articles(articles, lambda lang: fake, 50, batch_tokens=24, max_batch_size=8)
    for a, t in zip(articles, result.translations, strict=False):
        assert t.article_id == a.id
        assert [p.en for para in t.paragraphs for p in para] == [s.upper() for s in _sentences(a)]
    assert len(fake.calls) > 1


def test_cached_sentences_are_left_out_of_the_plan(tmp_path):
    from polybrief.engines.cache import CachedTranslator, TextCache
    from polybrief.stages.translate import plan_translation

    cache = TextCache(tmp_path / "c.sqlite")
    articles = _pool_articles()
    translate_articles(articles[:1], lambda lang: CachedTranslator(FakeTranslator(), cache), 50)
    fake = FakeTranslator()
    plan = plan_translation(articles, lambda lang: CachedTranslator(fake, cache), 50)
    planned = {p for job in plan.jobs for b in job.batches for p in b}
    assert plan.from_cache == len(_sentences(articles[0])) and not planned & set(_sentences(articles[0]))
    assert plan.to_translate == len(planned) == len(_sentences(articles[1])) + len(_sentences(articles[2]))
    assert fake.calls == []  # planning translates nothing


def test_a_failing_batch_loses_its_language_only():
    sl, hu = article("Slovenski stavek je tu.", lang="sl"), article("Magyar mondat van itt.", lang="hu")

    class Broken(FakeTranslator):
        def translate(self, texts, src_lang):
            raise RuntimeError("CUDA out of memory\nsecond line")

    fake, broken = FakeTranslator(), Broken()
    result = translate_articles([sl, hu], lambda lang: broken if lang == "hu" else fake, 50)
    assert [t.article_id for t in result.translations] == [sl.id]
    (o,) = result.outcomes
    assert o.article_id == hu.id and o.detail == "translation failed: RuntimeError: CUDA out of memory"
