"""Merge: one story's articles → one briefing with a headline, a multi-source summary, key points
that cite their sources, and a source table."""

from __future__ import annotations

import re
from typing import Sequence

from polybrief.config import BriefingSettings
from polybrief.engines.embed import Embedder
from polybrief.engines.summarise import Summariser
from polybrief.records import (
    Article, Briefing, DuplicateGroup, KeyPoint, SourceRef, Story, Summary, Translation,
)
from polybrief.segment import split_sentences
from polybrief.stages.facts import anchor, build_timeline, find_quotes
from polybrief.stages.figures import compare_figures
from polybrief.stages.summarise import summarise_texts


def merge_story(
    story: Story,
    articles: Sequence[Article],
    translations: Sequence[Translation],
    summaries: Sequence[Summary],
    groups: Sequence[DuplicateGroup],
    summariser: Summariser,
    embedder: Embedder,
    settings: BriefingSettings,
    batch_size: int = 4,
    shared_titles: frozenset[str] = frozenset(),
) -> Briefing:
    """`shared_titles`: titles that head articles of other stories too (a site's tagline, a
    section name): never this story's headline. `titles_across_stories` finds them for a run."""
    by_id = {a.id: a for a in articles}
    translated = {t.article_id: t for t in translations}
    summary = {s.article_id: s.text for s in summaries}
    sources = _sources(story, by_id, translated, groups)
    number = {s.article_id: s.number for s in sources}
    texts = [summary.get(i, "") for i in story.article_ids if summary.get(i)]
    if len(texts) == 1:
        merged = texts[0]
    else:
        merged = summarise_texts([" ".join(texts)], summariser, batch_size)[0] if texts else ""
    points = _key_points(story, summary, number, embedder, settings)
    cited = [(n.number, by_id[n.article_id], translated[n.article_id]) for n in sources if n.article_id in translated]
    figures, checks = compare_figures(cited)
    return Briefing(
        story_id=story.id,
        slug=story.slug,
        headline=choose_headline(story, by_id, translated, merged, embedder, shared_titles),
        summary=merged,
        key_points=_anchored(points, cited, embedder),
        sources=sources,
        languages=tuple(sorted({s.lang for s in sources})),
        date=max((s.date for s in sources), default=""),
        summary_model=summariser.key,
        quotes=tuple(q for n, a, t in cited for q in find_quotes(a, t, n))[: settings.max_quotes],
        timeline=build_timeline(cited, settings.max_events),
        figures=figures,
        figure_checks=checks,
        names=_names(cited, settings.max_names),
        new_since=story.new_since,
        new_sources=tuple(sorted(number[i] for i in story.new_articles if i in number)),
    )


# below this cosine (all-MiniLM-L6-v2) to the story's summary, a title is not about the story:
# a site or section name ("Top News Article", "The Japan Times Online"), a page error
_TITLE_FIT = 0.3


def titles_across_stories(stories: Sequence[Story], articles: Sequence[Article]) -> frozenset[str]:
    """Titles carried by articles of more than one story: a site's name, not a story's."""
    title = {a.id: " ".join(a.title.split()) for a in articles}
    stories_of: dict[str, set[str]] = {}
    for story in stories:
        for i in story.article_ids:
            if title.get(i):
                stories_of.setdefault(title[i], set()).add(story.id)
    return frozenset(t for t, ids in stories_of.items() if len(ids) > 1)


def choose_headline(story: Story, by_id, translated, merged: str, embedder: Embedder,
                    shared_titles: frozenset[str] = frozenset()) -> str:
    """The source title closest to the story among those that read as headlines, else the
    summary's first sentence, cut short: never an id, a bare number or a site's name."""
    candidates: list[str] = []
    for i in story.article_ids:
        t = translated.get(i)
        title = " ".join(((t.title_en if t else "") or by_id[i].title).split())
        shared = " ".join(by_id[i].title.split()) in shared_titles
        if _reads_as_headline(title) and not shared and title not in candidates:
            candidates.append(title)
    context = merged or " ".join(s.en for t in translated.values() if t.article_id in story.article_ids
                                 for para in t.paragraphs[:1] for s in para[:2])
    if candidates and context:
        vectors = embedder.embed([context, *candidates])
        fits = vectors[1:] @ vectors[0]
        best = int(fits.argmax())
        if float(fits[best]) >= _TITLE_FIT:
            return _short(candidates[best], 140)
    first = [s for s in split_sentences(context, "en") if _reads_as_headline(s)][:1]
    return _short(first[0], 90) if first else (candidates[0] if candidates else "Untitled story")


# what a page says when it is no article: errors, log-in walls, breadcrumbs
_NOT_A_HEADLINE = re.compile(
    r"\b(?:page|document|article)s?\b.{0,30}\b(?:not|cannot|could not|couldn't) be found\b|\bnot found\b|\b404\b"
    r"|\b(?:log|sign) in\b|\bsubscribe\b| > ", re.IGNORECASE)


def _reads_as_headline(title: str) -> bool:
    words = title.split()
    return (len(words) >= 3 and not re.fullmatch(r"[\d\W_]+", title) and not re.fullmatch(r"[0-9a-f]{12,}", title)
            and not re.search(r"\b\w+\.(com|org|net|co\.uk)\b", title, re.IGNORECASE)
            and not _NOT_A_HEADLINE.search(title))


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text if len(text) <= limit else text[:limit - 3].rsplit(" ", 1)[0] + "…"


def _sources(story, by_id, translated, groups) -> tuple[SourceRef, ...]:
    primary_of = {m: g.primary for g in groups for m in g.members}
    # newest first; the order of the story (most central first) breaks ties
    ordered = sorted(story.article_ids, key=lambda i: (by_id[i].date or "", -story.article_ids.index(i)), reverse=True)
    return tuple(
        SourceRef(
            number=n,
            article_id=i,
            lang=by_id[i].lang,
            confidence=by_id[i].lang_confidence,
            date=by_id[i].date,
            title=by_id[i].title,
            title_en=translated[i].title_en if i in translated else "",
            source=by_id[i].source,
            url=by_id[i].url,
            duplicate_of=primary_of.get(i, ""),
            outlet=outlet_of(by_id[i]),
            opening=_opening(translated.get(i)),
        )
        for n, i in enumerate(ordered, 1)
    )


def outlet_of(article: Article) -> str:
    """Who published it, as a reader names it: the outlet the input gives, else the URL's host,
    else the file it was read from."""
    from pathlib import PurePath
    from urllib.parse import urlparse

    if article.outlet:
        return article.outlet
    host = urlparse(article.url or article.source).hostname if "://" in (article.url or article.source) else None
    if host:
        return host.removeprefix("www.")
    return PurePath(re.sub(r"(?::\d+)?(?:\[\d+\])?$", "", article.source)).name  # "dump.jsonl:12[3]"


def _opening(translation: Translation | None, words: int = 10) -> str:
    text = " ".join(p.en for para in (translation.paragraphs if translation else ()) for p in para)
    head = text.split()[:words]
    return " ".join(head) + ("…" if len(text.split()) > words else "")


def _key_points(story, summary, number, embedder: Embedder, settings: BriefingSettings) -> tuple[KeyPoint, ...]:
    candidates = [(s, i) for i in story.article_ids for s in split_sentences(summary.get(i, ""), "en")]
    candidates = [(s, i) for s, i in candidates if len(s.split()) >= 3]
    if not candidates:
        return ()
    vectors = embedder.embed([s for s, _ in candidates])
    points: list[tuple[int, set[int]]] = []  # (index of the representative sentence, source numbers)
    for k, (_sentence, article_id) in enumerate(candidates):
        match = next((p for p in points if float(vectors[p[0]] @ vectors[k]) >= settings.key_point_similarity), None)
        if match:
            match[1].add(number[article_id])
        else:
            points.append((k, {number[article_id]}))
    # points that more sources agree on come first; otherwise the story's order
    ranked = sorted(points, key=lambda p: -len(p[1]))[: settings.max_key_points]
    return tuple(KeyPoint(candidates[k][0], tuple(sorted(nums))) for k, nums in ranked)


def _anchored(points: tuple[KeyPoint, ...], cited, embedder: Embedder) -> tuple[KeyPoint, ...]:
    """Each key point's citations point at the sentence of each source that says it most nearly."""
    sentences = [(n, anchor(p, s), pair.en) for n, _a, t in cited
                 for p, para in enumerate(t.paragraphs) for s, pair in enumerate(para) if pair.en.strip()]
    if not points or not sentences:
        return points
    sentence_vectors = embedder.embed([text for _n, _anchor, text in sentences])
    point_vectors = embedder.embed([p.text for p in points])
    anchored = []
    for point, vector in zip(points, point_vectors):
        scores = sentence_vectors @ vector
        anchors = []
        for n in point.sources:
            rows = [i for i, (m, _anchor, _text) in enumerate(sentences) if m == n]
            anchors.append(sentences[max(rows, key=lambda i: scores[i])][1] if rows else "")
        anchored.append(KeyPoint(point.text, point.sources, tuple(anchors)))
    return tuple(anchored)


def _names(cited, limit: int) -> tuple[tuple[str, int], ...]:
    """People, places and bodies named in the story, by how many sources name them.

    Capitalised names in the English text: no NER model installs offline from the registries
    with a trustworthy provenance (official spaCy pipelines are not on PyPI), see the notes."""
    from collections import Counter

    from polybrief.names import names_in

    counts: Counter[str] = Counter()
    written: dict[str, str] = {}
    for _n, _a, t in cited:
        text = t.text_en
        folded = text.casefold()
        for name in names_in(text):
            counts[name] += 1
            start = folded.find(name)
            written.setdefault(name, text[start:start + len(name)])
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return tuple((written[name], n) for name, n in ranked)
