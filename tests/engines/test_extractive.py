from polybrief.config import SummarySettings
from polybrief.engines.summarise import ExtractiveSummariser, select_sentences
from tests.builders import FakeEmbedder

TEXT = (
    "Russia and North Korea agreed on closer military ties in Moscow. "
    "The ministers of Russia and North Korea met in Moscow for talks on military ties. "
    "Russia and North Korea agreed on closer military ties in Moscow today. "
    "It rained in the afternoon. "
    "Officials from Russia said North Korea would get help with its military."
)


def _summariser(words, diversity=0.3):
    return ExtractiveSummariser(SummarySettings(engine="extractive", max_words=words, diversity=diversity),
                                FakeEmbedder())


def test_summary_stays_within_the_word_budget_and_keeps_the_original_order():
    out = _summariser(25).summarise([TEXT])[0]
    assert 0 < len(out.split()) <= 25
    sentences = [s for s in TEXT.split(". ")]
    positions = [TEXT.index(s.rstrip(".")) for s in out.split(". ") if s]
    assert positions == sorted(positions) and len(sentences) > len(positions)


def test_central_sentences_win_over_off_topic_ones():
    out = _summariser(25).summarise([TEXT])[0]
    assert "rained" not in out and "Russia" in out


def test_diversity_avoids_picking_a_near_copy():
    sentences = TEXT.split(". ")
    vectors = FakeEmbedder().embed(sentences)
    chosen = select_sentences(sentences, vectors, max_words=26, diversity=0.6)
    assert not {0, 2} <= set(chosen)  # sentences 0 and 2 say the same thing


def test_short_text_is_returned_whole_and_no_model_is_needed():
    s = _summariser(100)
    assert s.summarise(["Just one sentence here."]) == ["Just one sentence here."]
    assert s.count_tokens(["a b c"]) == [3] and s.window == 100 + 2  # its summary length, in words
