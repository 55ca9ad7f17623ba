"""A failure stays where it happens: the real flow, with one story's summary or merge failing
(fakes), and the tiny real models whose summaries come back empty."""

import json
import shutil

import pytest

from polybrief.report import FailedCounts
from tests.builders import FakeSummariser
from tests.conftest import write_tiny_config
from tests.test_pipeline import RaisingFor, SaysNothing

# three unrelated stories, two reports each (written for these tests)
STORIES = {
    "volcano": ["A volcano erupted on Iceland's Reykjanes peninsula on Monday night, sending lava towards the "
                "evacuated town of Grindavik. Scientists said the fissure was about three kilometres long. The "
                "airport stayed open and flights were not affected.",
                "Lava from the Reykjanes volcano reached the defensive walls built around Grindavik on Tuesday. "
                "Civil protection officials said nobody was in the town. Volcanologists expect the eruption to "
                "continue for several days."],
    "football": ["The home side won the cup final three goals to one on Saturday after two late goals from their "
                 "captain. Forty thousand fans filled the stadium. The coach praised his players for their patience.",
                 "Supporters celebrated in the city centre on Sunday after the cup final victory. The captain, who "
                 "scored twice, said the team had waited ten years for the trophy. The parade ended at the town hall."],
    "rates": ["The central bank kept its main interest rate at four percent on Thursday, saying inflation was "
              "still above its target. Economists had expected the decision. The governor said cuts could come "
              "next year if prices slow.",
              "Banks said mortgage costs would stay high after the central bank held interest rates. Borrowers "
              "with variable loans will see no relief this winter. The governor warned that energy prices remain "
              "a risk to inflation."],
}


@pytest.fixture
def english(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for topic, texts in STORIES.items():
        for n, text in enumerate(texts):
            (folder / f"{topic}-{n}.txt").write_text(text, encoding="utf-8")
    return folder


def _run(tmp_path, tiny_store, inputs, monkeypatch, summariser=None, merge_fails_for: str = ""):
    import polybrief.flows.briefing as module
    from polybrief.pipeline import steps

    if summariser is not None:
        monkeypatch.setattr(steps, "get_summariser", lambda config: summariser)
    if merge_fails_for:
        merge = steps.merge_story

        def merge_or_fail(story, data, *args, **kwargs):
            if any(merge_fails_for in data.article[i].source for i in story.article_ids):
                raise KeyError("a record the merge needs is missing")
            return merge(story, data, *args, **kwargs)

        monkeypatch.setattr(steps, "merge_story", merge_or_fail)
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out")
    state = module.briefing([str(inputs)], config_path=str(config), return_state=True)
    assert state.is_completed(), state.message
    report = state.result()
    on_disk = json.loads((tmp_path / "out" / "latest" / "run.json").read_text())
    assert len(on_disk["outcomes"]) == on_disk["inputs"] == len(list(inputs.glob("*.txt")))  # every input
    return report, {o["source"].rsplit("/", 1)[-1]: o for o in on_disk["outcomes"]}


def _stories_written(tmp_path) -> list[str]:
    return sorted(p.read_text() for p in (tmp_path / "out" / "latest" / "stories").glob("*.md"))


def test_a_story_whose_summary_raises_fails_alone(tmp_path, tiny_store, english, monkeypatch, prefect_server):
    report, outcome = _run(tmp_path, tiny_store, english, monkeypatch, summariser=RaisingFor("Grindavik"))
    for name in ("volcano-0.txt", "volcano-1.txt"):
        assert outcome[name]["status"] == "failed"
        assert outcome[name]["detail"].startswith("summary: RuntimeError: index out of range (story ")
    assert {o["status"] for n, o in outcome.items() if n.startswith("rates")} == {"briefed"}
    assert report.failed.stories >= 1
    assert report.failed.articles == sum(o["status"] == "failed" for o in outcome.values())
    written = _stories_written(tmp_path)
    assert written and any("interest rate" in s for s in written)
    assert not any("Grindavik" in s for s in written)


def test_empty_summaries_of_every_chunk_of_a_long_text_brief_it_all_the_same(tmp_path, tiny_store, english,
                                                                             monkeypatch, prefect_server):
    long = " ".join(STORIES["volcano"] * 12)  # several windows of the fake
    (english / "volcano-long.txt").write_text(long, encoding="utf-8")
    report, outcome = _run(tmp_path, tiny_store, english, monkeypatch, summariser=SaysNothing(window=60))
    assert {o["status"] for o in outcome.values()} == {"briefed"}
    assert report.failed == FailedCounts(stories=0, articles=0) and _stories_written(tmp_path)


def test_a_story_whose_merge_raises_fails_alone(tmp_path, tiny_store, english, monkeypatch, prefect_server):
    report, outcome = _run(tmp_path, tiny_store, english, monkeypatch, summariser=FakeSummariser(keep=20),
                           merge_fails_for="football-0")
    failed = {n for n, o in outcome.items() if o["status"] == "failed"}
    assert "football-0.txt" in failed and not any(n.startswith(("volcano", "rates")) for n in failed)
    assert all(outcome[n]["detail"].startswith("merge: KeyError") and "(story " in outcome[n]["detail"] for n in failed)
    assert report.failed.stories >= 1 and report.failed.articles == len(failed)
    written = _stories_written(tmp_path)
    assert any("Grindavik" in s for s in written) and any("interest rate" in s for s in written)
    assert all(s.articles for s in report.stories)
    assert not any(i == outcome["football-0.txt"]["article_id"] for s in report.stories for i in s.articles)


def test_the_tiny_models_with_a_summariser_that_says_nothing_brief_the_seeds(tmp_path, tiny_store, seeds,
                                                                             monkeypatch, prefect_server):
    """A store built another way: the same tiny models, but a BART whose outputs decode to ""."""
    from tests.tiny_models import build_bart

    store = tmp_path / "store"
    shutil.copytree(tiny_store, store, ignore=shutil.ignore_patterns("sshleifer--distilbart-cnn-12-6"))
    build_bart(store / "sshleifer--distilbart-cnn-12-6", silent=True)
    report, outcome = _run(tmp_path, store, seeds, monkeypatch)
    assert {o["status"] for o in outcome.values()} == {"briefed"}
    assert report.stories and report.failed == FailedCounts(stories=0, articles=0)
    for story in _stories_written(tmp_path):
        assert story.startswith("---") and "## Sources" in story
