"""A hand-built story rendered end to end (merge + write, fake engines) against a reviewed file.

When the briefing layout changes on purpose: UPDATE_GOLDEN=1 pytest tests/test_golden.py, then
read the diff of tests/golden/ before committing it."""

import os
from pathlib import Path

from polybrief.config import BriefingSettings
from polybrief.records import Article, SentencePair, Story, Translation
from polybrief.stages.merge import merge_story
from polybrief.stages.write import write_edition
from tests.builders import FakeEmbedder, FakeSummariser, run_data, run_report

GOLDEN = Path(__file__).parent / "golden" / "story.md"

ARTICLES = [
    ("a1", "sl", "2024-11-01", "Lavrov in Choe Son-hui v Moskvi", [
        ("»Ponavljamo, da bomo stali ob strani našim tovarišem,« je dejala Choe Son-hui.",
         "\"We repeat that we will stand by our comrades,\" said Choe Son-hui."),
        ("»Sedaj ocenjujemo, da je v Rusiji okoli 10.000 severnokorejskih vojakov,« je dejal Antony Blinken.",
         "\"We now estimate that there are about 10,000 North Korean soldiers in Russia,\" Antony Blinken said."),
    ]),
    ("a2", "hu", "2024-11-30", "Észak-Korea továbbra is támogatja Oroszországot", [
        ("A Pentagon szerint jelenleg 11-12 ezer észak-koreai katona tartózkodik Oroszországban.",
         "According to the Pentagon, 11 to 12 thousand North Korean troops are in Russia."),
        ("Az ukrán erők augusztus 6-án törtek be a Kurszki területre.",
         "Ukrainian forces broke into the Kursk region on 6 August."),
    ]),
]
def _render(tmp_path) -> str:
    articles, translations = [], []
    for aid, lang, date, title, pairs in ARTICLES:
        articles.append(Article(aid, f"{aid}.txt", tuple(s for s, _ in pairs), title=title, date=date, lang=lang,
                                lang_confidence=0.99))
        translations.append(Translation(aid, lang, "fake/model@1", f"English: {title}",
                                        tuple((SentencePair(s, e),) for s, e in pairs)))
    story = Story("0123456789ab", "north-korean-soldiers-012345", ("a1", "a2"))
    briefing = merge_story(story, run_data(articles, translations), FakeSummariser(keep=20), FakeEmbedder(),
                           BriefingSettings())
    run = run_report("golden", {"briefed": 2}, {"hu": 1, "sl": 1})
    edition = write_edition(tmp_path, "golden", [briefing], articles, translations, run)
    return (edition / "stories" / f"{story.slug}.md").read_text(encoding="utf-8")


def test_story_markdown_matches_the_reviewed_golden_file(tmp_path):
    text = _render(tmp_path)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
