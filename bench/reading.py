"""How much of each article reading keeps for translation, and what near-duplicate groups it forms.

    python bench/reading.py [ARTICLES.jsonl ...]     (default: ../shared/data/bsnlp_dev/articles.jsonl)

Reading: articles whose text became captions entirely, or mostly (more lost than kept), and the
characters set aside as captions. Near-duplicates: groups, members, and members whose containment
in their group's primary is below `dedup.near_duplicate` (a chained group; the target is 0).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from polybrief.config import DedupSettings
from polybrief.stages.dedup import find_duplicates, shingles
from polybrief.stages.read.parse import parse_text

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "bsnlp_dev" / "articles.jsonl"


def reading(rows: list[dict]) -> dict:
    lost_all = lost_most = caption_chars = total_chars = 0
    articles = []
    for row in rows:
        a = parse_text(row["text"], row["id"], title=row.get("title") or "")
        kept = sum(len(p) for p in a.paragraphs)
        set_aside = sum(len(c) for c in a.captions)
        lost_all += kept == 0 and set_aside > 0
        lost_most += set_aside > kept
        caption_chars += set_aside
        total_chars += kept + set_aside
        articles.append(a)
    return {"articles": len(rows), "lost all text": lost_all, "lost more than kept": lost_most,
            "caption share": round(caption_chars / max(1, total_chars), 4), "_articles": articles}


def duplicates(articles, settings: DedupSettings = DedupSettings()) -> dict:
    started = time.perf_counter()
    groups = find_duplicates(articles, settings)
    sets = {a.id: shingles(a.text, settings.shingle_words) for a in articles}
    below = [(g.primary, m) for g in groups for m in g.members
             if len(sets[m] & sets[g.primary]) / max(1, min(len(sets[m]), len(sets[g.primary])))
             < settings.near_duplicate]
    return {"groups": len(groups), "members": sum(len(g.members) for g in groups),
            "largest group": max((len(g.members) + 1 for g in groups), default=0),
            "members below threshold vs primary": len(below), "seconds": round(time.perf_counter() - started, 2),
            "_groups": groups}


def main(paths: list[str]) -> None:
    for path in paths or [str(DEFAULT)]:
        rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
        read = reading(rows)
        dup = duplicates(read["_articles"])
        print(f"## {path}")
        for key, value in [*read.items(), *dup.items()]:
            if not key.startswith("_"):
                print(f"{key}: {value}")
        by_id = {a.id: a for a in read["_articles"]}
        for g in dup["_groups"][:10]:  # for the eye: the primary's title and each member's
            print(f"- {by_id[g.primary].source}: " + "; ".join(
                f"{by_id[m].source} ({c:.2f})" for m, c in zip(g.members, g.containment, strict=False)))


if __name__ == "__main__":
    main(sys.argv[1:])
