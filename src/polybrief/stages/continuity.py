"""Continuity: stories that go on from run to run keep their ids and file names.

A SQLite story store (by default `<output_dir>/stories.sqlite`) keeps every briefed story with its
centroid and, for each of its articles, the article and its translation. A new run's
stories are matched to stored ones (a shared article decides; otherwise the closest centroid at
least `cluster.threshold` similar), take the stored id and slug, get the stored articles back for
the briefing, and are marked "new since" the previous briefing. The store is updated only after
the edition is written. Deleting the file starts afresh; a damaged file is an error, never a
silent reset.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from polybrief.errors import StoreError
from polybrief.records import Article, Story, Summary, Translation, from_dict, to_dict

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (id TEXT PRIMARY KEY, slug TEXT NOT NULL, centroid TEXT NOT NULL,
                                    first_seen TEXT NOT NULL, last_briefed TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, story_id TEXT NOT NULL, article TEXT NOT NULL,
                                     translation TEXT NOT NULL, summary TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Continued:
    stories: tuple[Story, ...]
    # stored articles of continued stories that this run's input did not contain
    articles: tuple[Article, ...]
    translations: tuple[Translation, ...]


class StoryStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.executescript(_SCHEMA)
            self._db.execute("SELECT id, slug, centroid, first_seen, last_briefed FROM stories LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"the story store {path} is damaged ({exc}); move it away to start afresh") from None

    def stories(self) -> list[tuple[str, str, tuple[float, ...], str]]:
        rows = self._db.execute("SELECT id, slug, centroid, last_briefed FROM stories ORDER BY id")
        return [(i, slug, tuple(json.loads(c)), last) for i, slug, c, last in rows]

    def story_of(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT id, story_id FROM articles"))

    def records(self, article_ids: Sequence[str]) -> list[tuple[Article, Translation]]:
        out = []
        for aid in article_ids:
            row = self._db.execute("SELECT article, translation FROM articles WHERE id = ?", (aid,)).fetchone()
            if row:
                out.append((from_dict(Article, json.loads(row[0])), from_dict(Translation, json.loads(row[1]))))
        return out

    def save(self, stories: Sequence[Story], articles, translations, date: str) -> None:
        by_id = {a.id: a for a in articles}
        translated = {t.article_id: t for t in translations}
        with self._db:
            for story in stories:
                self._db.execute(
                    "INSERT INTO stories VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                    "centroid = excluded.centroid, last_briefed = excluded.last_briefed",
                    (story.id, story.slug, json.dumps(story.centroid), date, date))
                for aid in story.article_ids:
                    if aid in by_id and aid in translated:
                        self._db.execute(
                            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)",
                            (aid, story.id, json.dumps(to_dict(by_id[aid])), json.dumps(to_dict(translated[aid])),
                             # a story's summary is made anew from its articles each run (the
                             # column is kept so that stores of earlier versions open as they are)
                             json.dumps(to_dict(Summary(aid, "", "")))))

    def close(self) -> None:
        self._db.close()


def continue_stories(stories: Sequence[Story], store: StoryStore, threshold: float) -> Continued:
    stored = store.stories()
    story_of = store.story_of()
    merged: dict[str, Story] = {}
    for story in stories:
        match = _match(story, stored, story_of, threshold)
        if match is None:
            merged[story.id] = story
            continue
        sid, slug, _centroid, last = match
        known = [a for a, s in story_of.items() if s == sid]
        previous = merged.get(sid)
        ids = tuple(dict.fromkeys([*(previous.article_ids if previous else ()), *story.article_ids, *known]))
        new = tuple(a for a in ids if a not in story_of)
        merged[sid] = dataclasses.replace(story, id=sid, slug=slug, article_ids=ids, new_since=last, new_articles=new)
    in_run = {a for s in stories for a in s.article_ids}
    extra = store.records([a for s in merged.values() for a in s.article_ids if a not in in_run])
    return Continued(tuple(merged.values()), tuple(a for a, _ in extra), tuple(t for _, t in extra))


def _match(story: Story, stored: list, story_of: dict[str, str], threshold: float):
    votes = [story_of[a] for a in story.article_ids if a in story_of]
    if votes:
        best = max(sorted(set(votes)), key=votes.count)
        return next(s for s in stored if s[0] == best)
    if not story.centroid:
        return None
    import numpy as np

    # one matrix product against every stored story with a centroid of the same size (a story
    # stored by another embedder has another size and cannot match)
    candidates = [s for s in stored if len(s[2]) == len(story.centroid)]
    if not candidates:
        return None
    scores = np.asarray([s[2] for s in candidates], dtype="float32") @ np.asarray(story.centroid, dtype="float32")
    top = int(scores.argmax())
    return candidates[top] if float(scores[top]) >= threshold else None
