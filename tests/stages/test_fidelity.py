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
