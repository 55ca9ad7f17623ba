import random

from polybrief.config import ClusterSettings
from polybrief.records import DuplicateGroup
from polybrief.stages.cluster import cluster_stories, names_in
from tests.builders import FakeEmbedder, article, summary, translation

WAR = ["North Korean troops in Kursk fight for Russia, Pentagon says.",
       "Pentagon says North Korean troops fight for Russia in Kursk region.",
       "Russia thanks North Korean troops fighting in Kursk, Pentagon confirms."]
MARKETS = ["Tokyo stock markets fall as yen rises against dollar.",
           "Yen rises, Tokyo stock markets fall against the dollar."]


def _inputs(texts):
    arts = [article(t, lang="en", date="2024-11-30") for t in texts]
    return arts, [translation(a) for a in arts], [summary(a, a.paragraphs[0]) for a in arts]


def test_articles_on_two_topics_make_two_stories():
    arts, trs, sums = _inputs(WAR + MARKETS)
    stories = cluster_stories(arts, trs, sums, (), FakeEmbedder(), ClusterSettings())
    groups = sorted(sorted(s.article_ids) for s in stories)
    assert groups == sorted([sorted(a.id for a in arts[:3]), sorted(a.id for a in arts[3:])])


def test_near_duplicates_are_always_one_story():
    arts, trs, sums = _inputs([WAR[0], MARKETS[0]])
    group = DuplicateGroup(arts[0].id, (arts[1].id,), (0.9,))
    (story,) = cluster_stories(arts, trs, sums, (group,), FakeEmbedder(), ClusterSettings())
    assert set(story.article_ids) == {a.id for a in arts}


def test_the_same_input_in_any_order_gives_the_same_stories():
    arts, trs, sums = _inputs(WAR + MARKETS)
    first = cluster_stories(arts, trs, sums, (), FakeEmbedder(), ClusterSettings())
    order = list(range(len(arts)))
    random.Random(3).shuffle(order)
    again = cluster_stories([arts[i] for i in order], [trs[i] for i in order], [sums[i] for i in order], (),
                            FakeEmbedder(), ClusterSettings())
    assert first == again


def test_threshold_one_keeps_every_article_apart():
    arts, trs, sums = _inputs(WAR)
    stories = cluster_stories(arts, trs, sums, (), FakeEmbedder(), ClusterSettings(threshold=1.0))
    assert len(stories) == 3 and len({s.slug for s in stories}) == 3


def test_names_skip_sentence_starts():
    assert names_in("Officials said Kim Jong Un met Vladimir Putin. Markets fell in Tokyo.") == {
        "kim jong un", "vladimir putin", "tokyo"}


def test_slugs_from_hostile_titles_stay_inside_the_output_folder():
    from polybrief.stages.cluster import _story

    a = article("Besedilo.", lang="en", title="../../etc/passwd <script> ~/.ssh \\ con")
    s = _story((a.id,), translation(a))
    assert "/" not in s.slug and "\\" not in s.slug and ".." not in s.slug and s.slug


def test_stories_come_out_the_same_whether_the_translations_are_good_or_noise(tiny_store, seeds):
    """The multilingual defaults read the originals: noise from the tiny translation models and any
    other English give the same stories."""
    from polybrief.config import load_config
    from polybrief.engines.embed import get_embedder
    from polybrief.engines.multilingual import get_encoder
    from polybrief.engines.translate import get_translator
    from polybrief.records import SentencePair, Translation
    from polybrief.stages.dedup import find_duplicates
    from polybrief.stages.language import detect_languages
    from polybrief.stages.read import read_articles
    from polybrief.stages.translate import translate_articles
    from tests.builders import summary

    config = load_config(None, models_dir=str(tiny_store), translation={"models": {"pl": None}})  # pl → NLLB
    articles = detect_languages(read_articles([seeds]).articles, config).articles
    noise = translate_articles(articles, lambda lang: get_translator(config.model_for(lang), config), 200).translations
    other = [Translation(a.id, a.lang, "other/model@1", a.title, tuple((SentencePair(p, p),) for p in a.paragraphs))
             for a in articles]
    encoder, embedder = get_encoder(config), get_embedder(None)
    groups = find_duplicates(articles, config.dedup, encoder)
    found = []
    for translations in (noise, other):
        summaries = [summary(a, " ".join(t.text_en.split()[:40])) for a, t in zip(articles, translations)]
        assert [t.article_id for t in translations] == [a.id for a in articles]
        stories = cluster_stories(articles, translations, summaries, groups, embedder, config.cluster, encoder)
        found.append(sorted(sorted(s.article_ids) for s in stories))
    assert len(noise) == len(other) == 5 and {t.text_en for t in noise}.isdisjoint({t.text_en for t in other})
    assert found[0] == found[1]
    duplicate = {groups[0].primary, *groups[0].members}
    assert any(duplicate <= set(ids) for ids in found[0])  # the seeds' near-duplicates are one story
