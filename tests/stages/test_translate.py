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
