import random

from polybrief.config import ClusterSettings
from polybrief.records import DuplicateGroup
from polybrief.stages.cluster import cluster_stories, names_in
from tests.builders import FakeEmbedder, article, translation

WAR = ["North Korean troops in Kursk fight for Russia, Pentagon says.",
       "Pentagon says North Korean troops fight for Russia in Kursk region.",
       "Russia thanks North Korean troops fighting in Kursk, Pentagon confirms."]
MARKETS = ["Tokyo stock markets fall as yen rises against dollar.",
           "Yen rises, Tokyo stock markets fall against the dollar."]


def _inputs(texts):
    arts = [article(t, lang="en", date="2024-11-30") for t in texts]
    return arts, [translation(a) for a in arts]


def test_articles_on_two_topics_make_two_stories():
    arts, trs = _inputs(WAR + MARKETS)
    stories = cluster_stories(arts, trs, (), FakeEmbedder(), ClusterSettings())
    groups = sorted(sorted(s.article_ids) for s in stories)
    assert groups == sorted([sorted(a.id for a in arts[:3]), sorted(a.id for a in arts[3:])])


def test_near_duplicates_are_always_one_story():
    arts, trs = _inputs([WAR[0], MARKETS[0]])
    group = DuplicateGroup(arts[0].id, (arts[1].id,), (0.9,))
    (story,) = cluster_stories(arts, trs, (group,), FakeEmbedder(), ClusterSettings())
    assert set(story.article_ids) == {a.id for a in arts}


def test_the_same_input_in_any_order_gives_the_same_stories():
    arts, trs = _inputs(WAR + MARKETS)
    first = cluster_stories(arts, trs, (), FakeEmbedder(), ClusterSettings())
    order = list(range(len(arts)))
    random.Random(3).shuffle(order)
    again = cluster_stories([arts[i] for i in order], [trs[i] for i in order], (),
                            FakeEmbedder(), ClusterSettings())
    assert first == again


def test_threshold_one_keeps_every_article_apart():
    arts, trs = _inputs(WAR)
    stories = cluster_stories(arts, trs, (), FakeEmbedder(), ClusterSettings(threshold=1.0))
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

    config = load_config(None, models_dir=str(tiny_store), translation={"models": {"pl": None}})  # pl → NLLB
    articles = detect_languages(read_articles([seeds]).articles, config).articles
    noise = translate_articles(articles, lambda lang: get_translator(config.model_for(lang), config), 200).translations
    other = [Translation(a.id, a.lang, "other/model@1", a.title, tuple((SentencePair(p, p),) for p in a.paragraphs))
             for a in articles]
    encoder, embedder = get_encoder(config), get_embedder(None)
    groups = find_duplicates(articles, config.dedup, encoder)
    found = []
    for translations in (noise, other):
        assert [t.article_id for t in translations] == [a.id for a in articles]
        stories = cluster_stories(articles, translations, groups, embedder, config.cluster, encoder)
        found.append(sorted(sorted(s.article_ids) for s in stories))
    assert len(noise) == len(other) == 5 and {t.text_en for t in noise}.isdisjoint({t.text_en for t in other})
    assert found[0] == found[1]
    duplicate = {groups[0].primary, *groups[0].members}
    assert any(duplicate <= set(ids) for ids in found[0])  # the seeds' near-duplicates are one story


def test_centring_by_language_takes_the_language_out_and_leaves_one_language_alone():
    """Two languages, two stories each: the raw vectors put a language's stories closer to each
    other than one story across languages (the language bias); centred, the story wins."""
    import numpy as np

    from polybrief.stages.cluster import centred_by_language

    rng = np.random.default_rng(4)
    story = rng.normal(size=(2, 32))
    accent = 3.0 * rng.normal(size=(2, 32))  # what each language adds to every text of it
    rows, langs = [], []
    for lang in range(2):
        for s in range(2):
            for _ in range(12):
                rows.append(story[s] + accent[lang] + 0.3 * rng.normal(size=32))
                langs.append("sl" if lang == 0 else "pl")
    vectors = np.array(rows) / np.linalg.norm(rows, axis=1, keepdims=True)

    def cos(v, i, j):
        return float(v[i] @ v[j])

    # 0: sl story 0; 12: sl story 1; 24: pl story 0
    assert cos(vectors, 0, 12) > cos(vectors, 0, 24)
    centred = centred_by_language(vectors, langs)
    assert cos(centred, 0, 24) > cos(centred, 0, 12)
    alone = centred_by_language(vectors[:24], ["sl"] * 24)
    assert np.allclose(alone, vectors[:24], atol=1e-6)


def test_a_name_written_in_two_scripts_links_two_articles():
    """The names signal reads keys of the originals: "Лавров" and "Lavrova" are one man."""
    from polybrief.stages.cluster import _units

    ru = article("Министр Сергей Лавров прибыл в Пхеньян. Лавров встретился с коллегой.", lang="ru")
    sl = article("V Pjongjangu so pričakali ministra Lavrova. Sergej Lavrov je dejal, da je obisk uspel.", lang="sl")
    units = _units([ru, sl], [translation(ru), translation(sl)], (), 200, names_from_original=True)
    assert units[0].names & units[1].names
    assert {u.lang for u in units} == {"ru", "sl"}


class _AccentedEncoder:
    """Vectors of two stories in two languages, each language adding its own accent: what a
    multilingual encoder's language bias looks like (texts name their story and language)."""

    key = "fake/accented@1"

    def __init__(self):
        import numpy as np

        rng = np.random.default_rng(7)
        self.story = {s: rng.normal(size=48) for s in ("war", "markets")}
        self.accent = {lang: 1.5 * rng.normal(size=48) for lang in ("sl", "pl")}
        self.rng = rng

    def passages(self, texts):
        import numpy as np

        rows = []
        for text in texts:
            story = "war" if "war" in text else "markets"
            lang = "sl" if "sl" in text.split() else "pl"
            rows.append(self.story[story] + self.accent[lang] + 0.4 * self.rng.normal(size=48))
        return np.array(rows) / np.linalg.norm(rows, axis=1, keepdims=True)


def test_one_story_in_two_languages_is_one_story_once_the_language_is_taken_out():
    arts = [article(f"{story} report {n} sl" if lang == "sl" else f"{story} report {n} pl", lang=lang,
                    date="2024-11-30")
            for story in ("war", "markets") for lang in ("sl", "pl") for n in range(8)]
    trs = [translation(a) for a in arts]
    mix = dict(multilingual_weight=1.0, multilingual_floor=0.0, names_weight=0.0, date_weight=0.0, threshold=0.5)

    def found(centre: bool):
        stories = cluster_stories(arts, trs, (), FakeEmbedder(),
                                  ClusterSettings(**mix, center_languages=centre), _AccentedEncoder())
        by_id = {a.id: a for a in arts}
        return sorted(sorted((by_id[i].paragraphs[0].split()[0], by_id[i].lang) for i in s.article_ids)
                      for s in stories)

    # biased: each story splits by language (the language says more than the story)
    assert all(len({lang for _, lang in story}) == 1 for story in found(False))
    # centred: two stories, each of both languages, none mixing the two
    centred = found(True)
    assert len(centred) == 2
    assert all({lang for _, lang in s} == {"sl", "pl"} and len({w for w, _ in s}) == 1 for s in centred)


def test_stories_found_from_the_originals_alone_are_those_found_beside_the_translations():
    from polybrief.stages.cluster import group_articles
    from tests.builders import FakeEncoder

    arts, trs = _inputs(WAR + MARKETS)
    noise = [translation(a, [["Noise words of a broken model."]]) for a in arts]
    encoder = FakeEncoder(same={WAR[1]: WAR[0], WAR[2]: WAR[0], MARKETS[1]: MARKETS[0]})  # one event each
    first = group_articles(arts, None, (), FakeEmbedder(), ClusterSettings(), encoder)
    assert sorted(map(sorted, first)) == sorted(sorted(a.id for a in arts if a.paragraphs[0] in topic)
                                                for topic in (WAR, MARKETS))
    for translations in (trs, noise):  # the English changes nothing at the defaults
        stories = cluster_stories(arts, translations, (), FakeEmbedder(), ClusterSettings(), encoder)
        assert tuple(s.article_ids for s in stories) == first


def test_stories_from_the_originals_need_the_encoder():
    import pytest

    from polybrief.stages.cluster import group_articles

    arts, _trs = _inputs(WAR)
    with pytest.raises(ValueError, match="English"):
        group_articles(arts, None, (), FakeEmbedder(), ClusterSettings(), None)


def test_an_article_whose_translation_failed_leaves_its_story_and_an_empty_story_is_none():
    from polybrief.stages.cluster import name_stories

    a, c = (article(t, lang="sl") for t in ("Poplave na Savi.", "Volitve v Ljubljani."))
    translated = [translation(a, title_en="Floods close the Sava bridge")]
    (story,) = name_stories([(a.id, c.id), (c.id,)], translated, FakeEmbedder(), 200)
    assert story.article_ids == (a.id,) and story.slug.startswith("floods-close-the-sava-bridge-")
    assert len(story.centroid) == 64 and abs(sum(x * x for x in story.centroid) - 1.0) < 1e-4
