"""Choose the clustering threshold and the extractive summary length on development data.

Data: ../shared/data (see its README) — WikinewsSum English clusters (gold story ids and a
reference summary per cluster) and FLORES-200 devtest English documents (281 distinct stories:
a check that the threshold does not merge unrelated news). The WikinewsSum clusters are split in
two halves: the threshold is chosen on one and reported on the other, so the figure quoted is
not the one tuned on.

Usage: python bench/tune.py [DATA_DIR]   (prints Markdown tables)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class MemoEmbedder:
    """The real embedder, remembering texts it has seen: every setting re-embeds the same text."""

    def __init__(self, inner):
        self.inner, self.memo = inner, {}

    def embed(self, texts):
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if todo:
            self.memo.update(zip(todo, self.inner.embed(todo), strict=False))
        return np.stack([self.memo[t] for t in texts]) if texts else self.inner.embed([])


def main(data: Path) -> None:
    from polybrief.config import ClusterSettings, SummarySettings
    from polybrief.engines.embed import get_embedder
    from polybrief.engines.summarise import ExtractiveSummariser
    from polybrief.evaluate import articles_from_rows, bcubed, english_passthrough, read_jsonl, rouge_scores
    from polybrief.stages.cluster import cluster_stories
    from polybrief.stages.summarise import summarise_stories

    embedder = MemoEmbedder(get_embedder())
    rows = read_jsonl(data / "wikinewssum_en" / "articles.jsonl", ["id", "text", "cluster_id"])
    gold = {r["id"]: r["cluster_id"] for r in rows}
    articles = articles_from_rows([r for r in rows if r.get("lang", "en") == "en"])
    translations = english_passthrough(articles)
    clusters = read_jsonl(data / "wikinewssum_en" / "clusters.jsonl", ["cluster_id", "summary"])

    print("## Extractive summary length (WikinewsSum, 44 clusters, ROUGE F1 vs the Wikinews article)\n")
    print("| max_words | ROUGE-1 | ROUGE-2 | ROUGE-L |\n|---|---|---|---|")
    sources = [[t.text_en for t in translations if gold[t.article_id] == c["cluster_id"]] for c in clusters]
    refs = [c["summary"] for c, texts in zip(clusters, sources, strict=False) if texts]
    sources = [texts for texts in sources if texts]
    for words in (50, 75, 100, 150, 200, 300):
        summariser = ExtractiveSummariser(SummarySettings(engine="extractive", max_words=words), embedder)
        made = summarise_stories(sources, summariser, embedder, 8)  # one summary per story, as a run makes it
        r = rouge_scores([m.text for m in made], refs)
        print(f"| {words} | {r['rouge1']:.3f} | {r['rouge2']:.3f} | {r['rougeL']:.3f} |")

    flores = [r for r in read_jsonl(data / "flores200_devtest" / "docs.jsonl", ["id", "text", "cluster_id"])
              if r["lang"] == "en"]
    f_articles = articles_from_rows(flores)
    f_gold = {r["id"]: r["cluster_id"] for r in flores}
    f_translations = english_passthrough(f_articles)

    halves = sorted({gold[a.id] for a in articles})
    tune = {c for i, c in enumerate(halves) if i % 2 == 0}
    print("\n## Clustering threshold (B-cubed F1; WikinewsSum halves A = tuning, B = held out;"
          " FLORES: 281 unrelated English documents)\n")
    print("| threshold | A F1 | B F1 | B precision | B recall | B stories / gold | FLORES precision | FLORES stories "
          "/ 281 |")
    print("|---|---|---|---|---|---|---|---|")
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        settings = ClusterSettings(threshold=threshold)
        scores = {}
        for name, keep in (("A", tune), ("B", set(halves) - tune)):
            subset = [a for a in articles if gold[a.id] in keep]
            ids = {a.id for a in subset}
            stories = cluster_stories(subset, [t for t in translations if t.article_id in ids], (), embedder,
                                      settings)
            predicted = {a: s.id for s in stories for a in s.article_ids}
            scores[name] = (bcubed(predicted, gold), len(stories), len(keep))
        f_stories = cluster_stories(f_articles, f_translations, (), embedder, settings)
        f_scores = bcubed({a: s.id for s in f_stories for a in s.article_ids}, f_gold)
        (a, _, _), (b, nb, gb) = scores["A"], scores["B"]
        print(f"| {threshold} | {a['f1']:.3f} | {b['f1']:.3f} | {b['precision']:.3f} | {b['recall']:.3f} | "
              f"{nb} / {gb} | {f_scores['precision']:.3f} | {len(f_stories)} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
