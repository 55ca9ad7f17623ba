"""Cluster: group articles into stories.

Similarity of two articles mixes four signals: the cosine of the multilingual vectors of their
*original* text (multilingual-e5-small over title + opening, as written: no translation needed),
the cosine of their English embeddings (all-MiniLM-L6-v2 over title + opening), the
overlap of the names they mention, and whether their dates fall within a window. e5's cosines are
compressed (unrelated news ~0.75-0.84, one story ~0.85-0.98), so they are rescaled from
`multilingual_floor` up before they are mixed; before that, each language's offset is taken out
(`centred_by_language`: e5 scores two texts of one language higher than two of different
languages that mean the same). With the multilingual weight on and the English weight at 0 (the
defaults), names are read from the original text as keys that one name shares across scripts,
languages and case forms (`text.namekeys`), and stories do not depend on the translation at all.
Near-duplicate groups are always one story. Average-link agglomerative clustering cut at
`cluster.threshold`; inputs are ordered first, so the same input always gives the same stories.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from polybrief.config import ClusterSettings
from polybrief.engines.embed import Embedder
from polybrief.engines.multilingual import MultilingualEncoder, original_text
from polybrief.records import Article, DuplicateGroup, Story, Translation
from polybrief.text.namekeys import name_keys
from polybrief.text.names import names_in

# the mix tuned before the multilingual encoder (bench/tune.py, WikinewsSum): what a run without
# one (multilingual.engine: none) uses when the configured mix leans on the encoder alone
ENGLISH_ONLY = {"embedding_weight": 0.7, "names_weight": 0.2, "date_weight": 0.1}
ENCODER_THRESHOLD = 0.3  # chosen for the multilingual mix (config.yaml: the figures)
ENGLISH_ONLY_THRESHOLD = 0.4  # chosen for the English-only mix


def effective_settings(settings: ClusterSettings, encoder: object | None) -> ClusterSettings:
    """The settings clustering uses: without an encoder, a mix that leans on it alone becomes the
    English-only mix; `threshold: null` becomes the mix's own threshold, a number stays."""
    if encoder is not None or settings.embedding_weight > 0:
        mix, own = settings, ENCODER_THRESHOLD
    else:
        mix, own = settings.model_copy(update=ENGLISH_ONLY), ENGLISH_ONLY_THRESHOLD
    return mix if settings.threshold is not None else mix.model_copy(update={"threshold": own})


@dataclass(frozen=True)
class _Unit:
    ids: tuple[str, ...]
    text: str
    names: frozenset[str]
    day: date | None
    original: str = ""
    lang: str = ""


def cluster_stories(
    articles: Sequence[Article],
    translations: Sequence[Translation],
    groups: Sequence[DuplicateGroup],
    embedder: Embedder,
    settings: ClusterSettings,
    encoder: MultilingualEncoder | None = None,
) -> tuple[Story, ...]:
    """`encoder`: the multilingual encoder (None: English signals only, the weights of the
    multilingual signal ignored). Only translated articles are clustered."""
    translated = {t.article_id for t in translations}
    kept = [a for a in articles if a.id in translated]
    found = group_articles(kept, translations, groups, embedder, settings, encoder)
    return name_stories(found, translations, embedder, settings.max_text_words)


def reads_originals_only(settings: ClusterSettings, encoder: object | None) -> bool:
    """Whether stories come from the original texts alone (the multilingual encoder and names, no
    English signal: the defaults): then they are found before anything is translated."""
    settings = effective_settings(settings, encoder)
    return encoder is not None and settings.multilingual_weight > 0 and settings.embedding_weight == 0


def group_articles(
    articles: Sequence[Article],
    translations: Sequence[Translation] | None,
    groups: Sequence[DuplicateGroup],
    embedder: Embedder,
    settings: ClusterSettings,
    encoder: MultilingualEncoder | None = None,
) -> tuple[tuple[str, ...], ...]:
    """The article ids of each story, the most central first. `translations` None: from the
    originals alone (`reads_originals_only` must hold), before any translation."""
    import numpy as np

    from_original = reads_originals_only(settings, encoder)
    if translations is None and not from_original:
        raise ValueError("stories need the English text unless the multilingual encoder alone reads them")
    settings = effective_settings(settings, encoder)
    units = _units(articles, translations, groups, settings.max_text_words, from_original)
    if not units:
        return ()
    # with the English signal's weight at 0 its vectors would change nothing: not computed
    vectors = (np.zeros((len(units), 1), dtype="float32") if settings.embedding_weight == 0
               else np.asarray(embedder.embed([u.text for u in units])))
    multilingual = encoder.passages([u.original for u in units]) if encoder is not None else None
    if multilingual is not None and settings.center_languages:
        multilingual = centred_by_language(np.asarray(multilingual), [u.lang for u in units])
    similarity = _similarity(units, vectors, settings, multilingual)
    labels = _labels(similarity, settings.threshold or 0.0)  # set: effective_settings
    found = []
    for label in sorted(set(labels), key=labels.index):
        members = [i for i, lab in enumerate(labels) if lab == label]
        centrality = {i: float(similarity[i, members].mean()) for i in members}
        ranked = sorted(members, key=lambda i: (-centrality[i], i))
        found.append(tuple(a for i in ranked for a in units[i].ids))
    return tuple(found)


def name_stories(found: Sequence[Sequence[str]], translations: Sequence[Translation], embedder: Embedder,
                 max_words: int) -> tuple[Story, ...]:
    """Stories of the ids `group_articles` found, once their articles are translated: an article
    whose translation failed leaves its story (a story left empty is none), each story gets its id,
    its slug (from the English title of its most central article) and its English centroid (to be
    recognised by the next run)."""
    import numpy as np

    translated = {t.article_id: t for t in translations}
    kept = [tuple(i for i in ids if i in translated) for ids in found]
    kept = [ids for ids in kept if ids]
    if not kept:
        return ()
    vectors = np.asarray(embedder.embed([_english_opening(translated[i], max_words) for ids in kept for i in ids]))
    stories, row = [], 0
    for ids in kept:
        centroid = vectors[row:row + len(ids)].mean(axis=0)
        row += len(ids)
        centroid = centroid / (np.linalg.norm(centroid) or 1.0)
        stories.append(_story(ids, translated[ids[0]], tuple(round(float(x), 5) for x in centroid)))
    return tuple(stories)


def _english_opening(translation: Translation, max_words: int) -> str:
    """What the English embedder reads of an article: its English title and first words."""
    return " ".join(" ".join([translation.title_en, translation.text_en]).split()[:max_words])


def _units(articles, translations, groups, max_words, names_from_original=False) -> list[_Unit]:
    """One unit per article or near-duplicate group; `translations` None: the originals only."""
    translated = {t.article_id: t for t in translations or ()}
    by_id = {a.id: a for a in articles}
    grouped: dict[str, tuple[str, ...]] = {}
    for g in groups:
        ids = tuple(i for i in (g.primary, *g.members) if i in by_id)
        for i in ids:
            grouped[i] = ids
    units: list = []
    done: set[str] = set()
    for article in sorted(by_id.values(), key=lambda a: a.id):
        if article.id in done:
            continue
        ids = grouped.get(article.id, (article.id,))
        done.update(ids)
        lead = translated.get(ids[0])
        lead_article = by_id[ids[0]]
        original = original_text(lead_article.title, lead_article.paragraphs, max_words)
        if names_from_original:  # keys: one name across scripts, languages and case forms
            names = frozenset().union(*(name_keys("\n".join((by_id[i].title, *by_id[i].paragraphs))) for i in ids))
        else:
            names = frozenset().union(*(names_in(translated[i].text_en) for i in ids))
        english = _english_opening(lead, max_words) if lead else ""
        units.append(_Unit(ids, english, names, _day(lead_article.date), original, lead_article.lang))
    return units


# a language with n articles in a run is moved n / (n + LANGUAGE_PRIOR) of the way onto the run's
# mean. On bsnlp_dev (80-100 articles a language) 0, 3, 10 and 30 cluster alike (72, 72, 69 and 65 %
# of multi-article stories across languages, precision 1.000 for each); 10 keeps the handful of
# articles a language has in a small run (more one story than the language) from being centred
# away from each other
LANGUAGE_PRIOR = 10


def centred_by_language(vectors, langs: Sequence[str]):
    """The vectors with each language's offset from the run's mean taken away, rows of unit length.

    Multilingual encoders score two texts of one language higher than two of different languages
    that mean the same (a language bias): one cut-off then joins within a language long before it
    joins across. Each language's mean is moved onto the run's mean; a language with few articles
    is moved only part of the way (its few articles are more story than language), and a run in one
    language is left as it is."""
    import numpy as np

    vectors = np.asarray(vectors, dtype="float32")
    overall = vectors.mean(axis=0)
    centred = vectors.copy()
    codes = np.asarray(langs)
    for lang in set(langs):
        rows = codes == lang
        n = int(rows.sum())
        centred[rows] -= (vectors[rows].mean(axis=0) - overall) * (n / (n + LANGUAGE_PRIOR))
    return centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12)


def _similarity(units: list[_Unit], vectors, s: ClusterSettings, multilingual=None):
    """Pairwise similarity, vectorised: a run of thousands of articles must not loop over pairs."""
    import numpy as np

    cosine = np.clip(vectors @ vectors.T, 0.0, 1.0).astype("float32")
    across = np.zeros_like(cosine)
    weight = s.multilingual_weight if multilingual is not None else 0.0
    if multilingual is not None:
        raw = np.asarray(multilingual) @ np.asarray(multilingual).T
        across = np.clip((raw - s.multilingual_floor) / (1.0 - s.multilingual_floor), 0.0, 1.0).astype("float32")
    names = _name_overlap(units)
    days = np.array([u.day.toordinal() if u.day else -1 for u in units], dtype="int64")
    known = days >= 0
    close = (np.abs(days[:, None] - days[None, :]) <= s.date_window_days).astype("float32")
    both = known[:, None] & known[None, :]
    dates = np.where(both, close, np.float32(0.5))  # unknown date: neither for nor against
    total = weight + s.embedding_weight + s.names_weight + s.date_weight or 1.0
    sim = (weight * across + s.embedding_weight * cosine + s.names_weight * names + s.date_weight * dates) / total
    np.fill_diagonal(sim, 1.0)
    return sim


def _name_overlap(units: list[_Unit]):
    """Jaccard overlap of the name sets, through a sparse unit × name matrix."""
    import numpy as np
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, u in enumerate(units):
        for name in u.names:
            rows.append(i)
            cols.append(vocab.setdefault(name, len(vocab)))
    m = csr_matrix((np.ones(len(rows), dtype="float32"), (rows, cols)), shape=(len(units), max(1, len(vocab))))
    inter = (m @ m.T).toarray()
    sizes = np.asarray(m.sum(axis=1)).ravel()
    union = sizes[:, None] + sizes[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def _labels(similarity, threshold: float) -> list[int]:
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    if len(similarity) == 1:
        return [1]
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return [int(x) for x in fcluster(tree, t=1.0 - threshold, criterion="distance")]


def _day(value: str) -> date | None:
    parts = value.split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2][:2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _story(ids: tuple[str, ...], lead: Translation, centroid: tuple[float, ...] = ()) -> Story:
    from slugify import slugify

    story_id = hashlib.sha256(" ".join(sorted(ids)).encode()).hexdigest()[:12]
    title = lead.title_en or (lead.paragraphs[0][0].en if lead.paragraphs and lead.paragraphs[0] else "")
    slug = slugify(title, max_length=60, word_boundary=True) or "story"
    return Story(story_id, f"{slug}-{story_id[:6]}", ids, centroid)
