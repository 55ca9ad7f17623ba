"""Briefings read as their reader reads them, on real English news text that the repository may
keep: six Wikinews articles (CC BY 2.5, tests/fixtures/README.md) on six unrelated events, through
the installed `polybrief run` with the summariser that needs no download. English passes
untranslated, so this judges the reading layer on real text: one story per event, headlines that
are the real headlines, no HTML entity or markup left, the people and bodies named.

The same checks on a real multi-source cluster of copyrighted pages: bench/reading_powell.py."""

import json
import re
from pathlib import Path

import pytest

from tests.test_cli import _polybrief

WIKINEWS = Path(__file__).parent / "fixtures" / "wikinews_en.jsonl"


def _section(markdown: str, title: str) -> str:
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", markdown, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


@pytest.fixture(scope="module")
def edition(tmp_path_factory, prefect_server):
    from prefect.settings import PREFECT_API_URL

    folder = tmp_path_factory.mktemp("reading")
    (folder / "c.yaml").write_text("summary:\n  engine: extractive\noutput_dir: out\nmodels_dir: models\n")
    result = _polybrief("run", str(WIKINEWS), "-c", "c.yaml", cwd=folder, PREFECT_API_URL=PREFECT_API_URL.value())
    assert result.returncode == 0, result.stderr
    assert "6 inputs: briefed 6" in result.stdout
    latest = folder / "out" / "latest"
    return json.loads((latest / "run.json").read_text()), {
        p.stem: p.read_text(encoding="utf-8") for p in (latest / "stories").glob("*.md")}


def _story_of(edition, title_word: str) -> str:
    _report, stories = edition
    found = [text for text in stories.values() if re.search(rf"^# .*{title_word}", text, re.MULTILINE)]
    assert len(found) == 1, (title_word, [re.search(r"^# (.+)$", t, re.MULTILINE).group(1) for t in stories.values()])
    return found[0]


def test_six_unrelated_events_are_six_stories_headed_by_their_own_headlines(edition):
    report, stories = edition
    titles = [json.loads(line)["title"] for line in WIKINEWS.read_text(encoding="utf-8").splitlines()]
    assert len(stories) == 6 and all(len(s["articles"]) == 1 for s in report["stories"])
    headlines = {re.search(r"^# (.+)$", text, re.MULTILINE).group(1) for text in stories.values()}
    assert headlines == {t.rstrip(".") for t in titles}


def test_no_entity_or_markup_reaches_the_reader(edition):
    _report, stories = edition
    summary = _story_of(edition, "Nobel").split("## Key points")[0]
    assert "&mdash;" not in summary and "OSLO" in summary  # the dateline's entity was decoded on reading
    for text in stories.values():
        assert not re.search(r"&[a-z]+;|&#\d+;|\[\[(?!\d+\]\])|<(?!a id=)[a-z]+", text.split("## Sources")[0])


def test_the_people_and_bodies_a_story_names_are_listed(edition):
    def named(story: str) -> list[str]:
        return [re.sub(r" \(\d+\)$", "", n) for n in _section(story, "Named").strip().split(" · ")]

    kmart = named(_story_of(edition, "Kmart"))
    assert {"Kmart", "Sears", "Edward Lampert"} <= set(kmart), kmart
    nobel = named(_story_of(edition, "Nobel"))
    assert "Wangari Maathai" in nobel and "Kenya" in nobel, nobel
    assert not {"Dr", "Some", "The", "Wednesday"} & set(kmart + nobel)


def test_key_points_come_from_the_story_and_cite_it(edition):
    story = _story_of(edition, "Pinochet")
    points = [line for line in _section(story, "Key points").splitlines() if line.startswith("- ")]
    assert points and all(re.search(r"\[\[1\]\]\(\.\./articles/\w+\.md#s\d+-\d+\)$", p) for p in points)
    assert any("Pinochet" in p for p in points)
