import json
import re

import yaml

from polybrief.records import Briefing, KeyPoint, SourceRef
from polybrief.stages.write import write_edition
from tests.builders import article, run_report, translation


def front_matter(text):
    match = re.match(r"---\n(.*?)^---$", text, re.DOTALL | re.MULTILINE)
    return yaml.safe_load(match.group(1)), text[match.end():]


HOSTILE = "<script>alert(1)</script> [click](javascript:alert(1)) {{ config }} | x" * 3 + "\n---\n# *bold*"


def _edition(tmp_path, title="Naslov", run_id="r1"):
    a = article("Prvi stavek. Drugi stavek.\n\nTretji.", title=title, date="2024-11-30")
    t = translation(a, title_en=title)
    src = SourceRef(1, a.id, "sl", 0.99, a.date, a.title, t.title_en, a.source)
    b = Briefing("st1", "naslov-st1", title, "A summary.", (KeyPoint("A key point.", (1,)),), (src,), ("sl",), a.date,
                 "m@1")
    run = run_report(run_id, {"briefed": 1}, {"sl": 1})
    return write_edition(tmp_path, run_id, [b], [a], [t], run), a


def test_edition_has_index_story_article_and_report(tmp_path):
    edition, a = _edition(tmp_path)
    assert (edition / "index.md").read_text().count("](stories/naslov-st1.md)") == 1
    story = (edition / "stories" / "naslov-st1.md").read_text()
    front, _ = front_matter(story)
    assert front["id"] == "st1" and front["sources"][0]["article"] == a.id
    assert f"(../articles/{a.id}.md)" in story and "[[1]](#source-1)" in story
    page = (edition / "articles" / f"{a.id}.md").read_text()
    assert re.findall(r'<a id="(s\d+-\d+)"></a>', page) == ["s1-1", "s1-2", "s2-1"]
    assert json.loads((edition / "run.json").read_text())["run_id"] == "r1"


def test_latest_points_at_the_newest_complete_edition_and_no_temp_is_left(tmp_path):
    _edition(tmp_path, run_id="r1")
    _edition(tmp_path, run_id="r2")
    assert (tmp_path / "latest").resolve() == (tmp_path / "r2").resolve()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest", "r1", "r2"]


def test_hostile_text_renders_inert_and_front_matter_stays_valid(tmp_path):
    edition, _ = _edition(tmp_path, title=HOSTILE)
    story = (edition / "stories" / "naslov-st1.md").read_text()
    front, body = front_matter(story)
    assert front["title"] == HOSTILE  # the YAML library quoted it
    body = body.replace('<a id="source-1"></a>', "")  # the template's own anchor
    assert not re.search(r"(?<!\\)<", body), "unescaped HTML"
    assert not re.search(r"(?<!\\)\]\(javascript", body), "live link"
    assert "{{" not in body and "\n---\n" not in body and "\n# *bold*" not in body
    assert "\\<script\\>" in body


def test_an_edition_without_stories_keeps_its_record_but_latest_stays_on_the_last_one_with_stories(tmp_path):
    from polybrief.stages.write import latest_edition

    _edition(tmp_path, run_id="r1")
    run = run_report("r2", {"skipped": 5}, seen_before=5, latest="r1")
    edition = write_edition(tmp_path, "r2", [], [], [], run)
    assert latest_edition(tmp_path) == "r1"
    assert json.loads((edition / "run.json").read_text())["seen_before"] == 5
    index = (edition / "index.md").read_text()
    assert "Nothing new" in index and "The latest edition is still r1." in index


def test_the_index_for_the_prefect_ui_names_absolute_paths_instead_of_relative_links(tmp_path):
    from polybrief.stages.write import render_index

    edition, _ = _edition(tmp_path)
    run = run_report("r1", {"briefed": 1}, {"sl": 1})
    assert json.loads((edition / "run.json").read_text()) == run.to_dict() | {"stories": [], "outcomes": []}
    b = Briefing("st1", "naslov-st1", "Naslov", "A summary.", (), (), ("sl",), "2024-11-30", "m@1")
    text = render_index(run, [b], folder=edition.resolve())
    assert f"`{edition.resolve()}/stories/naslov-st1.md`" in text
    assert f"Edition folder: `{edition.resolve()}`" in text
    assert "](" not in text  # no relative link left to die in the UI


def test_pages_link_both_ways_and_an_unsafe_url_is_no_link(tmp_path):
    from polybrief.text.markdown import link_target

    edition, a = _edition(tmp_path)
    page = (edition / "articles" / f"{a.id}.md").read_text()
    assert "Cited in: [Naslov](../stories/naslov-st1.md)" in page and "](../index.md)" in page
    story = (edition / "stories" / "naslov-st1.md").read_text()
    assert "[← All stories of this edition](../index.md)" in story
    assert link_target("javascript:alert(1)") == "" and link_target("file:///etc/passwd") == ""
    assert link_target("https://x.org/a b)(c") == "https://x.org/a%20b%29%28c"


def test_a_doubted_translation_is_marked_on_its_sentence_and_counted_in_the_story(tmp_path):
    import dataclasses

    from polybrief.records import Doubt

    a = article("Prvi stavek. Drugi stavek.", title="Naslov", date="2024-11-30")
    t = dataclasses.replace(translation(a, title_en="Title"), doubts=(Doubt("s1-2", "differs", 0.61),))
    src = SourceRef(1, a.id, "sl", 1.0, a.date, a.title, t.title_en, a.source)
    b = Briefing("st1", "naslov-st1", "Title", "A summary.", (), (src,), ("sl",), a.date, "m@1", doubted=((1, 1),))
    run = run_report("r1", {"briefed": 1}, {"sl": 1})
    edition = write_edition(tmp_path, "r1", [b], [a], [t], run)
    rows = [line for line in (edition / "articles" / f"{a.id}.md").read_text().splitlines() if line.startswith("| <a")]
    assert "⚠" not in rows[0] and "⚠ *may not say what the original says (similarity 0.61)*" in rows[1]
    story = (edition / "stories" / "naslov-st1.md").read_text()
    assert f"*Translation check: 1 sentence of [[1]](../articles/{a.id}.md) may not say what the original says" in story
