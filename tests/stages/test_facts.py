from polybrief.config import BriefingSettings
from polybrief.records import Article, SentencePair, Story, Translation
from polybrief.stages.merge import merge_story
from polybrief.stages.merge.facts import build_timeline, find_quotes
from polybrief.text.dates import dates_in_text
from tests.builders import FakeEmbedder, FakeSummariser, run_data


def _pair_article(pairs, date="2024-11", aid="a1", title="Naslov"):
    article = Article(aid, f"{aid}.txt", tuple(" ".join(s for s, _ in para) for para in pairs), title=title,
                      date=date, lang="sl", lang_confidence=1.0)
    translation = Translation(aid, "sl", "m@1", "Title " + aid,
                              tuple(tuple(SentencePair(s, e) for s, e in para) for para in pairs))
    return article, translation


QUOTE = [
    [("Lavrov je govoril v Moskvi.", "Lavrov spoke in Moscow.")],
    [("»Ponavljamo, da bomo stali ob strani našim tovarišem,« je dejala Choe Son-hui.",
      "\"We repeat that we will stand by our comrades,\" said Choe Son-hui.")],
]


def test_quotes_come_with_speaker_original_and_sentence_anchor():
    article, translation = _pair_article(QUOTE)
    (q,) = find_quotes(article, translation, 2)
    assert q.text == "We repeat that we will stand by our comrades"
    assert q.original == "Ponavljamo, da bomo stali ob strani našim tovarišem"
    assert (q.speaker, q.source, q.anchor) == ("Choe Son-hui", 2, "s2-1")


def test_dates_in_english_text():
    text = "Ukrainian forces crossed the border on 6 August, and Lavrov was last in the EU in December 2021."
    assert dates_in_text(text, "en", "2024") == ["2024-08-06", "2021-12"]
    assert dates_in_text("The treaty was signed in 2022 and reviewed in April.", "en", "2024") == ["2022", "2024-04"]
    assert dates_in_text("May we go?", "en", "2024") == []
    # what the second English reader missed, and one reader now finds (#21)
    assert dates_in_text("Signed on 5 Nov 2024, in force since Sept 2023, amended 2024-08-06.", "en") == [
        "2024-11-05", "2023-09", "2024-08-06"]


def test_timeline_is_in_date_order_with_publications_and_anchors():
    a1, t1 = _pair_article([[("x", "Troops crossed the border on 6 August.")]], date="2024-11-30", aid="a1")
    a2, t2 = _pair_article([[("y", "The leaders met in September 2023.")]], date="2024-11-02", aid="a2")
    events = build_timeline([(1, a1, t1), (2, a2, t2)])
    assert [(e.date, e.source) for e in events] == [("2023-09", 2), ("2024-08-06", 1), ("2024-11-02", 2),
                                                    ("2024-11-30", 1)]
    assert events[0].anchor == "s1-1" and events[2].text == "Published “Title a2”"


def test_a_sentence_naming_several_dates_is_one_timeline_entry():
    """A run-on timeline box ("July 2001: charges dropped May 2004: immunity stripped …") once
    filled the timeline with the same sentence under each of its dates (read in a WikinewsSum
    briefing); it stands once, at its first date, and another sentence may take the others."""
    box = "Charges were suspended in July 2001 and the court stripped his immunity in May 2004."
    a1, t1 = _pair_article([[("x", box), ("y", "Judges met again in May 2004 to hear the case.")]],
                           date="", aid="a1")
    events = build_timeline([(1, a1, t1)])
    assert [(e.date, e.anchor) for e in events] == [("2001-07", "s1-1"), ("2004-05", "s1-2")]


def test_key_points_link_to_the_supporting_sentence_of_each_source():
    a1, t1 = _pair_article([[("a", "Markets were calm in Tokyo."),
                             ("b", "Pentagon says ten thousand troops are in Russia.")]], aid="a1")
    a2, t2 = _pair_article([[("c", "Kim thanked Putin."),
                             ("d", "Ten thousand troops are in Russia, the Pentagon says.")]], aid="a2")
    story = Story("st", "st", ("a1", "a2"))
    said = FakeSummariser(reply="Pentagon says ten thousand troops are in Russia.")
    b = merge_story(story, run_data([a1, a2], [t1, t2]), said, FakeEmbedder(), BriefingSettings())
    point = b.key_points[0]
    assert point.text == said.reply and point.sources == (1, 2) and point.anchors == ("s1-2", "s1-2")


SOLDIERS = [
    (1, "»Sedaj ocenjujemo, da je v Rusiji okoli 10.000 severnokorejskih vojakov,« je dejal Blinken.",
     "\"We now estimate that there are about 10,000 North Korean soldiers in Russia,\" Antony Blinken said."),
    (2, "A Pentagon szerint jelenleg 11-12 ezer észak-koreai katona tartózkodik Oroszországban.",
     "According to the Pentagon, 11 to 12 thousand North Korean troops are in Russia."),
    (3, "Zelenski je opozoril, da bi lahko bilo vojakov do 100.000.",
     "Zelensky warned that there could be up to 100,000 North Korean soldiers."),
]


def _cited(rows):
    out = []
    for number, src, en in rows:
        a, t = _pair_article([[(src, en)]], aid=f"a{number}")
        out.append((number, a, t))
    return out


def test_figures_of_the_same_thing_that_differ_are_grouped_with_who_said_them():
    from polybrief.stages.merge.figures import compare_figures

    figures, checks = compare_figures(_cited(SOLDIERS))
    assert [(f.source, f.low, f.high, f.counts) for f in figures] == [
        (1, 10000, 10000, "soldier"), (2, 11000, 12000, "soldier"), (3, 100000, 100000, "soldier")]
    assert figures[0].who == "Antony Blinken" and figures[1].who == "Pentagon"


def test_figures_differ_only_for_one_count_of_one_thing():
    from polybrief.stages.merge.figures import compare_figures

    rows = [(1, "x", "He was released 22 years ago after 13 days in custody, call 390-7614."),
            (2, "y", "The band played 30 times in 10 years ago and 500 days; a 1958 film."),
            (3, "z", "Police counted 40,000 fans at the stadium in Rome."),
            (4, "w", "Organisers said 60,000 fans were at the concert in Paris.")]
    figures, checks = compare_figures(_cited(rows))
    assert figures == () and checks == ()
    assert checks == ()  # every number of the originals survived translation


def test_a_number_lost_in_translation_is_flagged():
    from polybrief.stages.merge.figures import compare_figures

    _, checks = compare_figures(_cited([(1, "V Rusiji je okoli osem tisoč vojakov.",
                                         "There are about a few soldiers in Russia.")]))
    (check,) = checks
    assert (check.source, check.anchor, check.value) == (1, "s1-1", 8000)


def test_timeline_entries_say_what_happened_and_name_the_outlet():
    from polybrief.stages.merge.facts import event_clause

    assert event_clause("November 15, 2004 (1:05 p.m.") == ""
    assert event_clause("WASHINGTON, Nov 15 (Reuters) -") == ""
    assert event_clause("The leaders met in September 2023.") == "The leaders met in September 2023."
    long = ("After weeks of talks that went nowhere and a string of walkouts by the opposition parties, "
            "the parliament finally voted on 6 August to dissolve itself, which opened the way for early "
            "elections in the autumn and for a caretaker cabinet")
    clause = event_clause(long)
    assert clause.startswith("…the parliament finally voted on 6 August") and len(clause.split()) <= 31
    a1, t1 = _pair_article([[("x", "November 15, 2004 (1:05 p.m.")]], date="2004-11-15", aid="a1", title="")
    t1 = Translation("a1", "sl", "m@1", "", t1.paragraphs)
    (event,) = build_timeline([(1, a1, t1)], outlets={1: "reuters.com"})
    assert event.text == "reuters.com published “November 15, 2004 (1:05 p.m.…”" and "a1" not in event.text
