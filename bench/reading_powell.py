"""A briefing read as its reader reads it, on real English news: one WikinewsSum dev cluster (Colin
Powell's resignation, 4 pages from CNN, Reuters/AlertNet and the State Department) through the
installed `polybrief run`. English passes untranslated, so this judges the reading layer on real
text: a headline that is a headline, no page boilerplate, quotes given to who said them, names.

The pages are copyrighted news in the developers' `../shared/data`, so this is a bench check that
developers run and quote, not part of the test suite (which reads Wikinews itself, CC BY 2.5:
tests/test_reading.py):

    python bench/reading_powell.py          (from the repository root; pytest runs the checks)
"""

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: the tests' helpers
from tests.test_cli import _polybrief  # noqa: E402

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikinewssum_en"
CLUSTER = "wikinewssum-en:005"
# what #15 found in these briefings before: page furniture a reader must not meet
BOILERPLATE = re.compile(
    r"\((?:Reuters|CNN|AP|AFP)\)\s*[-–—]|\bSource: Reuters\b|\bBy Steve Holland\b|&amp;|&quot;|\badvertisement\b"
    r"|^QUESTION:|\bSECRETARY POWELL:|\bEST\)|\?\s*$", re.IGNORECASE | re.MULTILINE)


def _section(markdown: str, title: str) -> str:
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", markdown, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


@pytest.fixture(scope="module")
def briefing(tmp_path_factory, prefect_server):
    from prefect.settings import PREFECT_API_URL

    if not DEV.is_dir():
        pytest.fail(f"the dev data is missing: {DEV} (the checkout's ../shared)")
    folder = tmp_path_factory.mktemp("reading")
    rows = [line for line in (DEV / "articles.jsonl").read_text(encoding="utf-8").splitlines()
            if json.loads(line)["cluster_id"] == CLUSTER]
    (folder / "powell.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "c.yaml").write_text("summary:\n  engine: extractive\noutput_dir: out\nmodels_dir: models\n")
    result = _polybrief("run", "powell.jsonl", "-c", "c.yaml", cwd=folder, PREFECT_API_URL=PREFECT_API_URL.value())
    assert result.returncode == 0, result.stderr
    assert "4 inputs: briefed 4" in result.stdout
    stories = sorted((folder / "out" / "latest" / "stories").glob("*.md"))
    return max((p.read_text(encoding="utf-8") for p in stories), key=lambda text: text.count("| <a id=\"source-"))


def test_the_headline_is_a_real_headline_about_the_story(briefing):
    headline = re.search(r"^# (.+)$", briefing, re.MULTILINE).group(1)
    assert headline not in {"On-the-Record Briefing", "News", "Top News Article"}
    assert len(headline.split()) >= 3 and not re.fullmatch(r"[0-9a-f]{12,}|[\d\W]+", headline)
    assert re.search(r"\b(?:Powell|Rice)\b", headline), headline


def test_the_summary_and_key_points_carry_no_page_boilerplate(briefing):
    summary = briefing.split("## Key points")[0].split("[← All stories of this edition](../index.md)")[1]
    points = [line for line in _section(briefing, "Key points").splitlines() if line.startswith("- ")]
    assert points and summary.strip()
    citations = r"\s*(?:\*\(\d+ sources\)\*)?\s*(?:\[\[\d+\]\]\([^)]*\)\s*)+$"
    for text in [summary, *(re.sub(citations, "", p) for p in points)]:
        assert not BOILERPLATE.search(text), text
    backed = [p for p in points if re.search(r"\*\(\d+ sources\)\*", p)]
    assert backed and points[:len(backed)] == backed  # points more sources back come first


def test_powells_words_are_his_and_named_lists_no_generic_words(briefing):
    quotes = _section(briefing, "Who said what")
    serve = [line for line in quotes.splitlines() if "would serve one term" in line]
    assert serve and all(line.startswith("- Powell:") for line in serve), serve
    assert "(It has always been my intention" not in quotes  # an English quote has no "original" to repeat
    named = [re.sub(r" \(\d+\)$", "", n) for n in _section(briefing, "Named").strip().split(" · ")]
    assert "Colin Powell" in named and "Condoleezza Rice" in named
    assert not {"Secretary", "State", "Department", "Bush's", "Secretary of State"} & set(named)


if __name__ == "__main__":
    # the suite's fixtures (a temporary Prefect API) without being part of the suite
    raise SystemExit(pytest.main([__file__, "-p", "tests.conftest", "-q", "-p", "no:cacheprovider"]))
