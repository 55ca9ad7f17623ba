import re

import pytest

from polybrief.config import BriefingSettings
from polybrief.records import DuplicateGroup, Story
from polybrief.stages.merge import merge_story
from tests.builders import FakeEmbedder, FakeSummariser, article, run_data, translation


def _story(texts, dates, english):
    arts = [article(t, lang="sl", date=d, title=f"Naslov {i}")
            for i, (t, d) in enumerate(zip(texts, dates, strict=False))]
    trs = [translation(a, [[s for s in re.split(r"(?<=\.)\s+", e) if s]], title_en=f"Title {i}")
           for i, (a, e) in enumerate(zip(arts, english, strict=False))]
    return arts, trs, Story("st1", "title-0-st1", tuple(a.id for a in arts))


def test_key_points_cite_every_source_that_says_them():
    arts, trs, story = _story(
        ["Prvi članek.", "Drugi članek.", "Tretji članek."], ["2024-11-01", "2024-11-03", "2024-11-02"],
        ["Pentagon says ten thousand troops are in Russia. Markets were calm.",
         "Pentagon says ten thousand troops are in Russia.",
         "Kim thanked Putin for the warm welcome today."],
    )
    b = merge_story(story, run_data(arts, trs), FakeSummariser(), FakeEmbedder(), BriefingSettings())
    number = {s.article_id: s.number for s in b.sources}
    assert [s.date for s in b.sources] == ["2024-11-03", "2024-11-02", "2024-11-01"]  # newest first
    top = b.key_points[0]
    assert top.text == "Pentagon says ten thousand troops are in Russia."
    assert top.sources == tuple(sorted((number[arts[0].id], number[arts[1].id])))
    assert all(p.sources for p in b.key_points)
    # "Title 0" is no headline (under three words): the summary's first sentence heads the story
    assert b.headline == "Pentagon says ten thousand troops are in Russia"
    assert b.date == "2024-11-03" and b.languages == ("sl",)


def test_a_story_is_summarised_in_one_call_from_its_sources_own_sentences():
    arts, trs, story = _story(["A.", "B."], ["", ""], ["First source text here.", "Second source text there."])
    fake = FakeSummariser(keep=3)
    b = merge_story(story, run_data(arts, trs), fake, FakeEmbedder(), BriefingSettings())
    assert fake.inputs == ["First source text here. Second source text there."]
    assert b.summary == "First source text"


def test_a_story_longer_than_the_window_is_summarised_from_its_chosen_sentences_in_one_call():
    leads = ["Floods closed the Sava bridge in Ljubljana on Monday.",
             "The Sava bridge in Ljubljana was shut by floods."]
    asides = ["Tickets for the concert sold out early.", "A new bakery opened near the station.",
              "The museum extends its opening hours.", "Local chess players won a cup.",
              "Cyclists asked for wider lanes downtown.", "Schools plan a science fair soon."]
    arts, trs, story = _story(["A.", "B."], ["", ""],
                              [" ".join([leads[0], *asides[:3]]), " ".join([leads[1], *asides[3:]])])
    fake = FakeSummariser(window=30, keep=40)
    b = merge_story(story, run_data(arts, trs), fake, FakeEmbedder(), BriefingSettings())
    (given,) = fake.inputs  # one call, within the window, nothing cut mid-sentence
    assert fake.count_tokens([given])[0] <= fake.window and given.endswith(".")
    assert given.startswith(leads[0])  # the central source's lead comes first
    assert b.summary == given


def test_near_duplicates_are_marked_in_the_source_table():
    arts, trs, story = _story(["A a.", "B b."], ["", ""], ["One two three.", "One two three."])
    group = DuplicateGroup(arts[1].id, (arts[0].id,), (0.9,))
    b = merge_story(story, run_data(arts, trs, (group,)), FakeSummariser(), FakeEmbedder(), BriefingSettings())
    dup = {s.article_id: s.duplicate_of for s in b.sources}
    assert dup == {arts[0].id: arts[1].id, arts[1].id: ""}


def _headline_of(titles, summary_text, shared=frozenset()):
    from polybrief.stages.merge import choose_headline

    arts = [article(f"Besedilo {i}.", title=t) for i, t in enumerate(titles)]
    trs = [translation(a, title_en=t) for a, t in zip(arts, titles, strict=False)]
    story = Story("st1", "s", tuple(a.id for a in arts))
    return choose_headline(story, {a.id: a for a in arts}, {t.article_id: t for t in trs}, summary_text,
                           FakeEmbedder(), shared)


SUMMARY = "Kmart agreed to buy Sears for eleven billion dollars. The retailers will merge their stores."


def test_the_headline_is_the_source_title_closest_to_the_story():
    titles = ["Top News Article", "Kmart to buy Sears for eleven billion dollars", "Retail news today"]
    assert _headline_of(titles, SUMMARY) == "Kmart to buy Sears for eleven billion dollars"


@pytest.mark.parametrize("title", ["16", "c83c9a930bec21e3", "News", "floridatoday.com document not found",
                                   "Home > Programs > Democracy Now", "The page you requested cannot be found"])
def test_what_is_no_headline_never_heads_a_story(title):
    assert _headline_of([title], SUMMARY) == "Kmart agreed to buy Sears for eleven billion dollars"


def test_a_title_that_heads_unrelated_stories_is_a_sites_name():
    from polybrief.stages.merge import titles_across_stories

    a, b = article("Prvi.", title="The Japan Times Online"), article("Drugi.", title="The Japan Times Online")
    shared = titles_across_stories([Story("s1", "x", (a.id,)), Story("s2", "y", (b.id,))], [a, b])
    assert shared == {"The Japan Times Online"}
    summary_text = "The Japan Times Online reports that Japan will reduce its aid to China."
    assert _headline_of(["The Japan Times Online"], summary_text, shared) == summary_text.rstrip(".")
    assert _headline_of(["The Japan Times Online"], summary_text) == "The Japan Times Online"


def test_the_outlet_is_the_inputs_own_or_the_urls_host_or_the_files_name():
    from dataclasses import replace

    from polybrief.stages.merge import outlet_of

    a = article("Besedilo.", source="/data/feeds/delo-2024-11-30.txt")
    assert outlet_of(a) == "delo-2024-11-30.txt"
    assert outlet_of(replace(a, url="https://www.rtvslo.si/svet/clanek/123")) == "rtvslo.si"
    assert outlet_of(replace(a, url="https://www.rtvslo.si/x", outlet="RTV Slovenija")) == "RTV Slovenija"
    assert outlet_of(replace(a, source="dump.jsonl:12")) == "dump.jsonl"


def test_named_folds_possessives_and_surnames_into_the_full_name_and_drops_generic_words():
    from polybrief.config import BriefingSettings
    from polybrief.records import Article, SentencePair, Story, Translation
    from polybrief.stages.merge import merge_story
    from tests.builders import FakeEmbedder, FakeSummariser

    texts = ["Officials in Washington said President George W. Bush accepted it.",
             "The State Department said Bush's choice was final in Washington."]
    articles = [Article(f"a{n}", f"a{n}.txt", (t,), lang="en", lang_confidence=1.0) for n, t in enumerate(texts)]
    translations = [Translation(a.id, "en", "", "", ((SentencePair(t, t),),))
                    for a, t in zip(articles, texts, strict=False)]
    story = Story("st", "st", tuple(a.id for a in articles))
    data = run_data(articles, translations)
    briefing = merge_story(story, data, FakeSummariser(), FakeEmbedder(), BriefingSettings())
    names = dict(briefing.names)
    assert names["George W. Bush"] == 2 and names["Washington"] == 2
    assert not {"Bush", "Bush's", "State", "Department", "President"} & set(names)


def test_a_surname_alone_is_a_mention_of_the_full_name_in_the_ranking():
    """"Dr Maathai" four times and "Wangari Maathai" once: she is the story's most named person,
    ahead of the places named twice, and is listed by her full name."""
    from polybrief.records import Article, SentencePair, Story, Translation
    from tests.builders import FakeEmbedder, FakeSummariser

    text = ("The 2004 Nobel Peace Prize was awarded today to Dr Wangari Maathai from Kenya, the committee said. "
            "Officials in Nairobi said Dr Maathai would travel to the ceremony in December with her family. "
            "Dr Maathai told reporters that the prize belonged to the women who had planted the trees. "
            "In Nairobi, supporters of Dr Maathai gathered outside the offices of the Green Belt Movement. "
            "The government of Kenya congratulated Dr Maathai in a statement issued late on Friday.")
    a = Article("a0", "a0.txt", (text,), lang="en", lang_confidence=1.0)
    t = Translation(a.id, "en", "", "", ((SentencePair(text, text),),))
    b = merge_story(Story("st", "st", (a.id,)), run_data([a], [t]), FakeSummariser(), FakeEmbedder(),
                    BriefingSettings(max_names=1))
    assert [n for n, _ in b.names] == ["Wangari Maathai"]


def test_a_key_point_links_to_the_sentence_whose_original_says_it_when_the_english_is_poor():
    from polybrief.config import BriefingSettings
    from polybrief.records import Article, SentencePair, Story, Translation
    from polybrief.stages.merge import merge_story
    from tests.builders import FakeEmbedder, FakeEncoder, FakeSummariser

    point = "Ten thousand North Korean troops are in Russia."
    said = "V Rusiji je deset tisoč severnokorejskih vojakov."
    # a poor translation: the first sentence's English borrows the point's words, the second's is noise
    pairs = ((SentencePair("Trgi so bili mirni.", "Ten thousand North Korean markets are calm in Russia."),
              SentencePair(said, "Noise noise of the noise.")),)
    article = Article("a1", "a1.txt", ("Trgi so bili mirni. " + said,), lang="sl", lang_confidence=1.0)
    translation = Translation("a1", "sl", "m@1", "", pairs)
    story = Story("st", "st", ("a1",))
    args = (story, run_data([article], [translation]), FakeSummariser(reply=point), FakeEmbedder(), BriefingSettings())
    by_english = merge_story(*args)
    by_original = merge_story(*args, encoder=FakeEncoder(same={said: point}))
    assert by_english.key_points[0].anchors == ("s1-1",)  # the English words mislead
    assert by_original.key_points[0].anchors == ("s1-2",)  # the original says it
