"""One piece of work fails alone: the isolation helpers with fakes."""

import signal

import pytest

from polybrief.errors import ModelMissing, RunStopped
from polybrief.pipeline import each_apart, failed_outcomes, merge_apart, one_line, story_outcomes, summarise_apart
from polybrief.records import Briefing, Story, Summary
from polybrief.stages.summarise import summarise_articles, summarise_texts
from tests.builders import FakeSummariser, article, translation


class RaisingFor(FakeSummariser):
    """Raises when a text holds `word`, as a model that chokes on one input."""

    def __init__(self, word: str) -> None:
        super().__init__()
        self.word = word

    def summarise(self, texts):
        if any(self.word in t for t in texts):
            raise RuntimeError(f"index out of range\nsecond line of {self.word}")
        return super().summarise(texts)


class SaysNothing(FakeSummariser):
    """Returns "" for every chunk (a checkpoint whose output comes back empty); like transformers'
    tokenizers, it cannot count an empty batch."""

    def count_tokens(self, texts):
        if not texts:
            raise IndexError("list index out of range")
        return super().count_tokens(texts)

    def summarise(self, texts):
        self.inputs.extend(texts)
        return ["" for _ in texts]


def test_one_article_whose_summary_raises_fails_alone():
    articles = [article(f"Story {w} happened today. People spoke about {w} at length.") for w in
                ("rain", "volcano", "market")]
    translations = [translation(a) for a in articles]
    summariser = RaisingFor("volcano")
    summaries, failures = summarise_apart(translations, lambda part: summarise_articles(part, summariser, 4))
    assert [s.article_id for s in summaries] == [articles[0].id, articles[2].id]
    assert failures == {articles[1].id: "summary: RuntimeError: index out of range"}
    (outcome,) = failed_outcomes(articles, failures)
    assert outcome.status == "failed" and outcome.source == articles[1].source
    assert outcome.detail.startswith("summary: RuntimeError")


def test_a_long_text_whose_chunk_summaries_are_all_empty_has_an_empty_summary():
    long = " ".join(f"Sentence number {i} says something about the harbour." for i in range(60))
    summariser = SaysNothing(window=30)
    assert summarise_texts([long, "Short text here."], summariser, 4) == ["", ""]
    assert len(summariser.inputs) > 2  # the long text went in as several chunks


def test_a_stop_or_a_missing_model_is_not_one_articles_failure():
    def stop(_items):
        raise RunStopped(signal.SIGINT)

    def missing(_items):
        raise ModelMissing("x/y", "models")

    with pytest.raises(RunStopped):
        each_apart([1, 2], stop, str)
    with pytest.raises(ModelMissing):
        each_apart([1, 2], missing, str)


def _story(n: int, ids: tuple[str, ...]) -> Story:
    return Story(f"s{n}", f"story-{n}", ids)


def _briefing(story: Story) -> Briefing:
    return Briefing(story_id=story.id, slug=story.slug, headline=f"Headline {story.slug}", summary="",
                    key_points=(), sources=(), languages=())


def test_one_story_whose_merge_raises_fails_alone_and_its_articles_say_why():
    articles = [article(f"Text {i} here. More of it.") for i in range(4)]
    stories = [_story(1, (articles[0].id,)), _story(2, (articles[1].id, articles[2].id)), _story(3, (articles[3].id,))]

    def merge(story):
        if story.slug == "story-2":
            raise KeyError("missing translation")
        return _briefing(story)

    briefings, failures = merge_apart(stories, merge)
    assert [b.slug for b in briefings] == ["story-1", "story-3"]
    (failure,) = failures
    assert failure.article_ids == (articles[1].id, articles[2].id) and failure.reason.startswith("merge: KeyError")
    outcomes = story_outcomes(articles, failures)
    assert [o.article_id for o in outcomes] == [articles[1].id, articles[2].id]
    assert all(o.status == "failed" and "(story story-2)" in o.detail for o in outcomes)


def test_one_line_keeps_the_type_and_the_first_line():
    assert one_line(ValueError("bad\nworse")) == "ValueError: bad"
    assert one_line(IndexError()) == "IndexError"


def test_summaries_are_unchanged_when_nothing_fails():
    translations = [translation(article(f"Words of text {i}. And more words.")) for i in range(3)]
    summariser = FakeSummariser()
    summaries, failures = summarise_apart(translations, lambda part: summarise_articles(part, summariser, 4))
    assert failures == {} and all(isinstance(s, Summary) for s in summaries) and len(summaries) == 3
