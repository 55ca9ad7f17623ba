from polybrief.records import SentencePair, Translation
from polybrief.stages.fidelity import check_counts, check_translations, doubt_of
from tests.builders import FakeEncoder

ORIGINAL = "Vlada je včeraj sprejela nov zakon o davkih in o prispevkih za socialno varnost."
ENGLISH = "Yesterday the government passed a new law on taxes and social security contributions."


def test_each_failure_the_cosine_cannot_see_has_its_rule():
    assert doubt_of(ORIGINAL, ORIGINAL, 1.0, 0.8) == "untranslated"
    assert doubt_of(ORIGINAL, "The government government government passed passed a law.", 0.9, 0.8) == "repeated"
    assert doubt_of(ORIGINAL, "The government.", 0.9, 0.8) == "cut"
    assert doubt_of(ORIGINAL, "The match ended in a draw after extra time in the rain.", 0.5, 0.8) == "differs"
    assert doubt_of(ORIGINAL, ENGLISH, 0.9, 0.8) == ""
    # what the tiny models write: source-language fragments (a high cosine) and loops inside words
    assert doubt_of(ORIGINAL, "lala Rusijo vlada zakon se se// co davkih", 0.85, 0.8) == "untranslated"
    assert doubt_of(ORIGINAL, "The redstavnikredstavnikredstavnik of the law.", 0.85, 0.8) == "repeated"
    # an original that repeats itself may be rendered so: "Ne, ne, ne!"
    assert doubt_of("Ne, ne, ne, tega ne bomo dovolili!", "No, no, no, we will not allow this!", 0.9, 0.8) == ""


def _translation(aid, pairs, model="m@1"):
    return Translation(aid, "sl", model, "", (tuple(SentencePair(s, e) for s, e in pairs),))


def test_doubted_sentences_are_named_by_anchor_and_counted_english_articles_pass():
    encoder = FakeEncoder(same={ENGLISH: ORIGINAL})  # the good translation says what the original says
    good = (ORIGINAL, ENGLISH)
    bad = ("Minister je odstopil zaradi afere z vozili.", "The weather will be sunny tomorrow in the mountains.")
    checked = check_translations([_translation("a", [good, bad]), _translation("e", [(ENGLISH, ENGLISH)], model="")],
                                 encoder, threshold=0.8)
    (doubt,) = checked[0].doubts
    assert doubt.anchor == "s1-2" and doubt.reason == "differs" and doubt.score < 0.8
    assert checked[1].doubts == ()  # nothing was translated
    assert encoder.calls == 1  # originals and English in one call
    assert check_counts(checked) == {"sentences_checked": 2, "doubted": 1, "reasons": {"differs": 1}}


def test_headlines_and_short_lines_are_not_doubted_by_the_sentence_rules():
    """Real news English (WMT) that the rules doubted: headlines have no function words and keep
    their names as written."""
    pairs = [("Argentyna: sześć kondorów andyjskich znaleziono martwych", "Argentina: Six Andean condors found dead"),
             ("Jan Paweł II nic nie zrobił", "John Paul II didn't do anything"),
             ("Myśliwce F-35 Lockheed Martin", "Lockheed Martin F-35 fighters"),
             ("Kevés a pénz, sok a gond, nagy a baj.", "Less money, more worries, more trouble.")]
    for original, english in pairs:
        assert doubt_of(original, english, 0.9, 0.8) == "", english
    assert doubt_of(pairs[0][0], "Argentyna: sześć kondorów andyjskich znaleziono", 1.0, 0.8) == "untranslated"


def test_rhetoric_the_original_repeats_too_is_no_loop():
    original = "Mamy dość polityków, mamy dość ich dumnych sztuczek, mamy dość wszystkich ich amatorskich reguł."
    english = "We are fed up with politicians, fed up with their proud tricks, fed up with all their amateur rules."
    assert doubt_of(original, english, 0.9, 0.8) == ""
    # the same phrase three times where the original says it once is a loop
    once = "Mamy dość polityków i ich dumnych sztuczek oraz wszystkich ich amatorskich reguł w tym kraju."
    assert doubt_of(once, english, 0.9, 0.8) == "repeated"


def test_english_closer_to_another_sentence_of_its_article_than_to_its_own_is_doubted():
    """A swapped sentence: the English of the second sentence where the first one's should be."""
    second = "Minister je odstopil zaradi afere s službenimi vozili."
    english_2 = "The minister resigned over the official cars affair."
    swapped = "The minister stepped down over the affair with the cars."
    encoder = FakeEncoder(same={english_2: second, swapped: second})
    article = _translation("a", [(ORIGINAL, swapped), (second, english_2)])
    # no threshold at all: only the article's other sentence shows the swap
    (checked,) = check_translations([article], encoder, threshold=-1.0)
    assert [(d.anchor, d.reason) for d in checked.doubts] == [("s1-1", "differs")]


def test_a_middling_cosine_with_english_of_the_wrong_length_is_doubted():
    assert doubt_of(ORIGINAL, ENGLISH, 0.79, 0.78) == ""
    assert doubt_of(ORIGINAL, ENGLISH + " " + ENGLISH, 0.79, 0.78) == "differs"  # twice as long
    assert doubt_of(ORIGINAL, ENGLISH + " " + ENGLISH, 0.85, 0.78) == ""  # a sure cosine stands
