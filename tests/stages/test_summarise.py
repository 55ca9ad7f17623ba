from polybrief.stages.summarise import pack, summarise_texts
from polybrief.text.segment import split_sentences
from tests.builders import FakeEmbedder, FakeSummariser


def _long_text(sentences: int) -> str:
    return " ".join(f"Sentence number {i} says something about the war." for i in range(sentences))


def test_short_text_is_summarised_in_one_call():
    fake = FakeSummariser(window=200, keep=5)
    assert summarise_texts(["One short text. It has two sentences."], fake, 4) == ["One short text. It has"]
    assert len(fake.inputs) == 1


def test_long_text_is_chunked_to_the_window_and_summarised_again():
    fake = FakeSummariser(window=40, keep=6)
    text = _long_text(30)  # ~270 words, far over the window
    (out,) = summarise_texts([text], fake, 4)
    assert all(n <= fake.window for n in fake.count_tokens(fake.inputs))
    assert len(fake.inputs) > 2  # several chunks, then a second round
    assert out and len(out.split()) <= 6 * 2


def test_every_word_reaches_the_summariser_in_the_first_round():
    fake = FakeSummariser(window=40, keep=6)
    text = _long_text(12)
    chunks = pack(text, fake)
    assert " ".join(chunks).split() == text.split()


def test_empty_text_gives_an_empty_summary_without_a_call():
    fake = FakeSummariser()
    assert summarise_texts(["", "  "], fake, 4) == ["", ""]
    assert fake.inputs == []


def test_summaries_are_made_from_the_news_not_the_page_furniture():
    from polybrief.stages.summarise import summarise_stories

    class Echo:  # returns its input: what the summariser was given
        key, window = "echo@1", 10_000

        def count_tokens(self, texts):
            return [len(t.split()) for t in texts]

        def summarise(self, texts):
            return list(texts)

    text = "advertisement\n\nNEW YORK (Reuters) - Kmart will buy Sears. Got Spam? Please click here."
    assert [m.text for m in summarise_stories([[text]], Echo(), FakeEmbedder(), 4)] == ["Kmart will buy Sears."]


def test_a_story_reads_sentences_not_lines_that_stop_short_unless_it_has_no_other():
    from polybrief.stages.summarise import choose_sentences

    echo = FakeSummariser(window=1000)
    text = "The Japan Times: Nov. 17, 2004\n\nThe submarine left Japanese waters on Friday. Officials said so."
    chosen = choose_sentences([text], echo, FakeEmbedder())
    assert chosen.text == "The submarine left Japanese waters on Friday. Officials said so."
    assert "Japan Times" not in " ".join(s for s, _ in chosen.ranked)
    bare = choose_sentences(["No full stop anywhere in this feed line"], echo, FakeEmbedder())
    assert bare.text == "No full stop anywhere in this feed line"


def test_the_chosen_sentences_fill_the_window_and_keep_each_sources_order():
    from polybrief.stages.summarise import choose_sentences

    first = " ".join(f"Floods hit town {k} on the Sava river today." for k in range(6))
    second = " ".join(f"The Sava river flooded town {k} overnight." for k in range(6))
    summariser = FakeSummariser(window=40)
    chosen = choose_sentences([first, second], summariser, FakeEmbedder())
    assert summariser.count_tokens([chosen.text])[0] <= summariser.window
    picked = [s for s in split_sentences(chosen.text, "en")]
    in_first = [s for s in picked if s in first]
    assert in_first == sorted(in_first, key=first.index) and picked[:len(in_first)] == in_first
    assert len(chosen.ranked) == 12 and {k for _s, k in chosen.ranked} == {0, 1}


def test_a_sentence_of_a_quotation_that_runs_on_is_no_summary_sentence():
    from polybrief.stages.summarise import choose_sentences, quotes_close

    # WikinewsSum 017: these two stood in a summary and a key point with their quotation left open
    text = ('Justifying his decision, he said: "I am not a medical officer. I am the Health Secretary." '
            '"People make their own choices about health. The state will help them," Mr Reid said. '
            '"It seems bizarre," she said. The ban starts in 2006.')
    chosen = choose_sentences([text], FakeSummariser(window=1000), FakeEmbedder())
    assert [s for s, _ in chosen.ranked if not quotes_close(s)] == []
    assert {'"It seems bizarre," she said.', "The ban starts in 2006."} <= {s for s, _ in chosen.ranked}
    assert "medical officer" not in chosen.text and "own choices" not in chosen.text
    assert quotes_close("„Ne bomo odstopili“, je dejal.") and quotes_close("“We stay,” he said.")
    assert not quotes_close("«Nous restons.") and not quotes_close("He said: “We stay.")
