"""Merge: one story's articles → one briefing with a headline, a multi-source summary, key points
that cite their sources, and a source table."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from polybrief.config import BriefingSettings
from polybrief.engines.embed import Embedder
from polybrief.engines.multilingual import MultilingualEncoder
from polybrief.engines.ner import NameFinder, get_name_finder
from polybrief.engines.summarise import Summariser
from polybrief.errors import PolybriefError, StepFailed
from polybrief.records import (
    Article,
    Briefing,
    KeyPoint,
    RunData,
    SourceRef,
    Story,
    Translation,
)
from polybrief.stages.merge.facts import anchor, build_timeline, find_quotes
from polybrief.stages.merge.figures import compare_figures
from polybrief.stages.summarise import StorySummary, summarise_stories
from polybrief.text.segment import ends_as_sentence, split_sentences


def merge_story(
    story: Story,
    data: RunData,
    summariser: Summariser,
    embedder: Embedder,
    settings: BriefingSettings,
    batch_size: int = 4,
    shared_titles: frozenset[str] = frozenset(),
    encoder: MultilingualEncoder | None = None,
    made: StorySummary | None = None,
) -> Briefing:
    """`data`: the run's records, the story's among them. `shared_titles`: titles that head
    articles of other stories too (a site's tagline, a section name): never this story's headline;
    `titles_across_stories` finds them for a run. `encoder`: the multilingual encoder; key points
    then link to the sentence whose *original* says them, so the link holds when the translation
    is poor. `made`: the story's summary when it was made already, in a batch with other stories'
    (`summarise_stories` over `story_texts`); else made here."""
    by_id, translated = data.article, data.translation
    sources = _sources(story, by_id, translated, data.groups)
    number = {s.article_id: s.number for s in sources}
    in_order = [i for i in story.article_ids if i in translated]  # the most central source first
    if made is None:
        try:
            (made,) = summarise_stories([story_texts(story, data)], summariser, embedder, batch_size)
        except PolybriefError:
            raise  # a stop, or what stops the run: not this story's failure
        except Exception as exc:
            raise StepFailed("summary", exc) from exc
    merged = made.text
    points = _key_points(made, [number[i] for i in in_order], embedder, settings)
    cited = [(n.number, by_id[n.article_id], translated[n.article_id]) for n in sources if n.article_id in translated]
    figures, checks = compare_figures(cited)
    return Briefing(
        story_id=story.id,
        slug=story.slug,
        headline=choose_headline(story, by_id, translated, merged, embedder, shared_titles),
        summary=merged,
        key_points=_across_sources(points, cited, embedder, settings, encoder),
        sources=sources,
        languages=tuple(sorted({s.lang for s in sources})),
        date=max((s.date for s in sources), default=""),
        summary_model=summariser.key,
        quotes=tuple(q for n, a, t in cited for q in find_quotes(a, t, n))[: settings.max_quotes],
        timeline=build_timeline(cited, settings.max_events, {s.number: s.outlet for s in sources}),
        figures=figures,
        figure_checks=checks,
        names=_names(cited, settings.max_names, get_name_finder(settings.names, settings.spacy_pipeline)),
        new_since=story.new_since,
        new_sources=tuple(sorted(number[i] for i in story.new_articles if i in number)),
        doubted=tuple((n, len(t.doubts)) for n, _a, t in sorted(cited, key=lambda c: c[0]) if t.doubts),
    )


def story_texts(story: Story, data: RunData) -> list[str]:
    """The English texts a story's summary is made of: its translated sources, the most central first."""
    return [data.translation[i].text_en for i in story.article_ids if i in data.translation]


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
    # a quotation heads no story ("“We now estimate …,” Blinken said" is a line of the text), nor
    # the cut end of a summary ("According to the Pentagon,")
    first = [s for s in split_sentences(context, "en")
             if _reads_as_headline(s) and not s.startswith(_QUOTE_MARKS) and s.rstrip().endswith((".", "!", "?"))][:1]
    return _short(first[0], 90) if first else (candidates[0] if candidates else "Untitled story")


# what a page says when it is no article: errors, log-in walls, breadcrumbs
_NOT_A_HEADLINE = re.compile(
    r"\b(?:page|document|article)s?\b.{0,30}\b(?:not|cannot|could not|couldn't) be found\b|\bnot found\b|\b404\b"
    r"|\b(?:log|sign) in\b|\bsubscribe\b| > ", re.IGNORECASE)


_QUOTE_MARKS = ('"', "“", "„", "«", "»", "‘", "'", "``")


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


def _key_points(made: StorySummary, numbers: list[int], embedder: Embedder,
                settings: BriefingSettings) -> tuple[KeyPoint, ...]:
    """The story summary's sentences, then the story's best-ranked news sentences (each citing
    the source it comes from): those that say the same thing (cosine >= key_point_similarity) are
    one point. `_across_sources` then cites every source that says each point, and drops a point
    no source says (a summariser's invention)."""
    # a summary sentence the model cut off (its length ran out) is no point
    candidates: list[tuple[str, tuple[int, ...]]] = [(s, ()) for s in split_sentences(made.text, "en")
                                                     if ends_as_sentence(s)]
    candidates += [(s, (numbers[k],)) for s, k in made.selection.ranked[: 3 * settings.max_key_points]]
    candidates = [(s, n) for s, n in candidates if len(s.split()) >= 3]
    if not candidates:
        return ()
    vectors = embedder.embed([s for s, _ in candidates])
    points: list[tuple[int, set[int]]] = []  # (index of the representative sentence, source numbers)
    for k, (_sentence, cited) in enumerate(candidates):
        match = next((p for p in points if float(vectors[p[0]] @ vectors[k]) >= settings.key_point_similarity), None)
        if match:
            match[1].update(cited)
        else:
            points.append((k, set(cited)))
    return tuple(KeyPoint(candidates[k][0], tuple(sorted(nums))) for k, nums in points)


def _across_sources(points: tuple[KeyPoint, ...], cited, embedder: Embedder,
                    settings: BriefingSettings, encoder: MultilingualEncoder | None = None) -> tuple[KeyPoint, ...]:
    """Each point cites every source with a sentence that says it (cosine >= key_point_similarity,
    found in the whole article, not only its summary) and links to that sentence; points more
    sources back come first, and no one source fills the list on its own."""
    sentences = [(n, anchor(p, s), pair.en, pair.src) for n, _a, t in cited
                 for p, para in enumerate(t.paragraphs) for s, pair in enumerate(para) if pair.en.strip()]
    if not points or not sentences:
        return points
    sentence_vectors = embedder.embed([row[2] for row in sentences])
    point_vectors = embedder.embed([p.text for p in points])
    # where the point stands in each source: by the original's multilingual vectors when there are
    original = encoder.passages([row[3] for row in sentences]) if encoder is not None else None
    originals_for = encoder.passages([p.text for p in points]) if encoder is not None else None
    backed = []
    for k, (point, vector) in enumerate(zip(points, point_vectors, strict=False)):
        scores = sentence_vectors @ vector
        placed = original @ originals_for[k] if original is not None and originals_for is not None else scores
        best: dict[int, int] = {}
        support: dict[int, float] = {}
        for row, (n, *_rest) in enumerate(sentences):
            if n not in best or placed[row] > placed[best[n]]:
                best[n] = row
            support[n] = max(support.get(n, -1.0), float(scores[row]))
        numbers = sorted(n for n in best if n in point.sources or support[n] >= settings.key_point_similarity)
        if not numbers:
            continue  # no source says it
        backed.append(KeyPoint(point.text, tuple(numbers), tuple(sentences[best[n]][1] if n in best else ""
                                                                 for n in numbers)))
    ranked = sorted(backed, key=lambda p: -len(p.sources))  # stable: the story's order breaks ties
    alone_cap = max(2, settings.max_key_points // 3)
    kept: list[KeyPoint] = []
    alone: Counter[int] = Counter()
    for point in ranked:
        if len(point.sources) == 1:
            if alone[point.sources[0]] >= alone_cap:
                continue
            alone[point.sources[0]] += 1
        kept.append(point)
    return tuple(kept[: settings.max_key_points])


def _names(cited, limit: int, finder: NameFinder | None = None) -> tuple[tuple[str, int], ...]:
    """People, places and bodies named in the story's news text (page furniture left out), by how
    many sources name them, then how often; a surname alone counts for the full name the story
    gives ("Bush" is "George W. Bush").

    The finder is `briefing.names`: the model-free rules by default, a spaCy pipeline when the
    user installed one."""
    from polybrief.text.boilerplate import news_text

    finder = finder or get_name_finder()
    texts = [_prose(news_text(t.text_en)) for _n, _a, t in cited]
    found = [(text, finder.names(text)) for text in texts]
    longer = {}
    for name in sorted({n for _text, names in found for n in names if _a_person(n)}, key=len):
        longer[name.rsplit(" ", 1)[-1]] = name
    sources: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    written: dict[str, str] = {}
    for text, names in found:
        for name in {longer.get(n, n) for n in names}:
            sources[name] += 1
            # as written where the text capitalises it ("Amazon", not the "amazon" of a URL); a
            # surname alone ("Dr Maathai") is a mention of the full name it stands for
            forms = sorted({name, *(short for short, full in longer.items() if full == name)}, key=len, reverse=True)
            spots = [m for m in re.finditer(rf"(?<!\w)(?:{'|'.join(map(re.escape, forms))})(?!\w)", text,
                                            re.IGNORECASE) if m[0][0].isupper()]
            mentions[name] += len(spots)
            whole = [m[0] for m in spots if m[0].casefold() == name]
            if whole:
                written.setdefault(name, whole[0])
    ranked = sorted(sources, key=lambda n: (-sources[n], -mentions[n], n))[:limit]
    return tuple((written.get(name, name.title()), sources[name]) for name in ranked)


_PLACE_WORDS = frozenset("north south east west northeast northwest southeast southwest new upper lower central "
                         "greater great little old port san santa saint st.".split())


def _a_person(name: str) -> bool:
    """A name a surname may stand for: two or three plain words ("hu jintao", "george w. bush"),
    not a place ("northeast china") or a body ("oda for china")."""
    words = name.split()
    return 2 <= len(words) <= 4 and words[0] not in _PLACE_WORDS and all(w[0].isalpha() for w in words) and \
        not any(w in ("of", "for", "de", "and", "&", "the") for w in words)


def _prose(text: str) -> str:
    """The sentences of running text, not menus or lists of links ("Arts & Culture Business
    Cartoons"): at least six words, one in four of them lower-case."""
    kept = []
    for sentence in split_sentences(text, "en"):
        words = sentence.split()
        if len(words) >= 6 and sum(w[0].islower() for w in words) >= 0.25 * len(words):
            kept.append(sentence)
    return "\n".join(kept)
