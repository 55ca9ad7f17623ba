"""Near-duplicates: find articles that are the same story copied or re-edited.

Agencies' stories are re-run with small edits and with other stories appended, so the measure is
containment (the share of the shorter article's word shingles found in the longer one), not
Jaccard similarity. Groups are stars around their fullest text (no chains), and texts shorter
than `dedup.min_shingles` never count as copies. Near-duplicates are all translated (their shared
sentences only once, through the sentence cache) and always land in one story, cited together.
MinHash LSH Ensemble (datasketch) finds candidate pairs without comparing all pairs; each
candidate is then checked on the exact shingle sets.

A page is compared on its own text only: its site's furniture is left out first, so that a page
whose body is a footer (a copyright or registration notice) is never a "copy" of every page of its
site that carries the footer. Furniture is a paragraph with a notice phrase (`notice_phrases` in
the language files: "all rights reserved", "все права защищены" …), or a paragraph that at least
`FURNITURE_PAGES` pages of one site (URL host, else outlet) carry under as many different titles:
copies of a story share their title, a footer comes under every title of its site.

Shingles see only copies in one language. The same agency story published in two languages is
found by the multilingual encoder (when one is configured): two articles in different languages
whose original texts' vectors have a cosine of at least `dedup.across_languages` and similar
lengths are near-duplicates too (tuned on FLORES documents in 7 languages, and on bsnlp_dev,
where different articles of one topic must stay apart: bench/multilingual.py duplicates).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import urlsplit

from polybrief.config import DedupSettings
from polybrief.engines.multilingual import MultilingualEncoder, original_text
from polybrief.records import Article, DuplicateGroup
from polybrief.text.boilerplate import is_notice

_WORD = re.compile(r"\w+", re.UNICODE)
FURNITURE_PAGES = 3  # pages of one site, under as many different titles, that carry a paragraph


def shingles(text: str, size: int) -> frozenset[str]:
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i:i + size]) for i in range(len(words) - size + 1))


def find_duplicates(articles: Sequence[Article], settings: DedupSettings = DedupSettings(),
                    encoder: MultilingualEncoder | None = None, max_words: int = 200) -> tuple[DuplicateGroup, ...]:
    """`encoder`: the multilingual encoder, to find copies across languages (None: shingles only)."""
    own = own_text(articles)
    sets = {a.id: shingles(own[a.id], settings.shingle_words) for a in articles}
    pairs = _candidate_pairs(sets, settings)
    links: dict[str, set[str]] = {}
    across: dict[frozenset[str], float] = {}
    if encoder is not None and len({a.lang for a in articles}) > 1:
        across = _across_languages(articles, own, encoder, settings, max_words)
        for pair in across:
            small, large = tuple(pair)
            links.setdefault(small, set()).add(large)
            links.setdefault(large, set()).add(small)
    for small, large in pairs:
        # too short a text is contained in anything on its topic: it never counts as a copy
        if min(len(sets[small]), len(sets[large])) < settings.min_shingles:
            continue
        if _containment(sets[small], sets[large]) >= settings.near_duplicate:
            links.setdefault(small, set()).add(large)
            links.setdefault(large, set()).add(small)
    return _groups(articles, sets, links, across)


def own_text(articles: Sequence[Article]) -> dict[str, str]:
    """Article id → its text without notice paragraphs and without its site's furniture."""
    furniture = _site_furniture(articles)
    return {a.id: "\n\n".join(p for p in a.paragraphs
                               if not is_notice(p) and _key(p) not in furniture.get(_site(a), ()))
            for a in articles}


def _site(article: Article) -> str:
    host = (urlsplit(article.url).hostname or "") if article.url else ""
    return host.removeprefix("www.") or article.outlet


def _key(paragraph: str) -> str:
    return " ".join(paragraph.casefold().split())


def _site_furniture(articles: Sequence[Article]) -> dict[str, set[str]]:
    """Site → the paragraphs (as `_key`s) that `FURNITURE_PAGES` of its pages carry under as many
    different titles (a page without one: its first other paragraph). Copies of one story share
    their title, or at most a couple of them; a footer comes under every title of the site."""
    pages: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for article in articles:
        site = _site(article)
        if not site:
            continue
        keys = [_key(p) for p in article.paragraphs if p.strip()]
        for key in set(keys):
            title = _key(article.title) or next((k for k in keys if k != key), "")
            pages[site][key].add(title)
    return {site: {key for key, titles in table.items() if len(titles) >= FURNITURE_PAGES}
            for site, table in pages.items()}


def _across_languages(articles, own: dict[str, str], encoder: MultilingualEncoder, settings: DedupSettings,
                      max_words: int):
    """{pair of ids: cosine} for articles in different languages that say the same thing."""
    import numpy as np

    usable = [a for a in articles if a.lang and len(own[a.id].split()) >= settings.min_shingles]
    if len(usable) < 2:
        return {}
    vectors = encoder.passages([original_text(a.title, a.paragraphs, max_words) for a in usable])
    cosine = np.asarray(vectors) @ np.asarray(vectors).T
    size = np.array([len(a.text) for a in usable], dtype="float64")
    found = {}
    for i, j in zip(*np.nonzero(np.triu(cosine >= settings.across_languages, k=1)), strict=False):
        a, b = usable[i], usable[j]
        # a translation is about as long as its original; a long article quoting a short one is not it
        if a.lang != b.lang and min(size[i], size[j]) / max(size[i], size[j]) >= 0.5:
            found[frozenset((a.id, b.id))] = round(float(cosine[i, j]), 4)
    return found


def _candidate_pairs(sets: dict[str, frozenset[str]], settings: DedupSettings) -> set[tuple[str, str]]:
    from datasketch import MinHash, MinHashLSHEnsemble

    usable = {k: v for k, v in sets.items() if v}
    if len(usable) < 2:
        return set()
    hashes = {}
    for key, items in usable.items():
        m = MinHash(num_perm=settings.num_perm, seed=1)
        m.update_batch([s.encode("utf-8") for s in items])
        hashes[key] = m
    # a slightly lower threshold for candidates: MinHash estimates, the exact check decides
    ensemble = MinHashLSHEnsemble(threshold=max(0.05, settings.near_duplicate - 0.15), num_perm=settings.num_perm,
                                  num_part=8)
    ensemble.index([(k, hashes[k], len(usable[k])) for k in sorted(usable)])
    pairs = set()
    for key in sorted(usable):
        for other in ensemble.query(hashes[key], len(usable[key])):
            if other != key:
                pairs.add((key, other))
    return pairs


def _groups(articles, sets, links: dict[str, set[str]], across=None) -> tuple[DuplicateGroup, ...]:
    """Star-shaped groups: every member is a near-duplicate of its primary itself, never only of
    another member, so no chain of partial overlaps joins unrelated articles. The fullest text
    is a primary first (ties: by id, not input order); its near-duplicates not yet in a group
    become its members."""
    order = {a.id: i for i, a in enumerate(articles)}
    grouped: set[str] = set()
    groups = []
    for primary in sorted(links, key=lambda i: (-len(sets[i]), i)):
        if primary in grouped:
            continue
        rest = tuple(sorted((m for m in links[primary] if m not in grouped), key=order.__getitem__))
        if not rest:
            continue
        grouped.update((primary, *rest))
        scores = tuple(across[frozenset((i, primary))] if across and frozenset((i, primary)) in across
                       else round(_containment(sets[i], sets[primary]), 4) for i in rest)
        groups.append(DuplicateGroup(primary, rest, scores))
    return tuple(sorted(groups, key=lambda g: order[g.primary]))


def _containment(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))

