"""What a reader of the briefings meets, measured on real English news (WikinewsSum clusters,
which polybrief reads untranslated, so the reading layer is judged on real text).

    python bench/reader.py [--articles F --clusters F] [--show N]

Runs read → summarise (extractive, offline) → cluster → merge as a run does, then for each gold
cluster takes the story holding most of its articles and reports: headline ROUGE-1/L against the
cluster's human `wikinews_title`, and headlines a reader would not take for one (hex ids, digits
only, fewer than three words, or one title heading unrelated stories). A start of #15's reader's
evaluation: summaries, key points, quotes and names are still to add.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "wikinewssum_en"


def briefings(articles_path: Path):
    from polybrief.config import load_config
    from polybrief.engines.embed import get_embedder
    from polybrief.engines.summarise import get_summariser
    from polybrief.evaluate import articles_from_rows, english_passthrough, first_of_each_id, read_jsonl
    from polybrief.stages.cluster import cluster_stories
    from polybrief.stages.dedup import find_duplicates
    from polybrief.stages.merge import merge_story, titles_across_stories
    from polybrief.stages.summarise import summarise_articles

    config = load_config(None, summary={"engine": "extractive"})
    rows, _ = first_of_each_id(read_jsonl(articles_path, ["id", "text", "cluster_id"]))
    rows = [r for r in rows if r.get("lang", "en") == "en"]
    articles = articles_from_rows(rows)
    translations = english_passthrough(articles)
    summariser = get_summariser(config)
    summaries = summarise_articles(translations, summariser, 8)
    groups = find_duplicates(articles, config.dedup)
    embedder = get_embedder(None)
    stories = cluster_stories(articles, translations, summaries, groups, embedder, config.cluster)
    shared = titles_across_stories(stories, articles)
    merged = [merge_story(s, articles, translations, summaries, groups, summariser, embedder, config.briefing, 8, shared)
              for s in stories]
    return {r["id"]: r["cluster_id"] for r in rows}, stories, merged


def unfit(headline: str, repeated: set[str]) -> str:
    """Why a reader would not take this for a headline ("" when fine)."""
    if re.fullmatch(r"[0-9a-f]{12,}", headline):
        return "an id"
    if re.fullmatch(r"[\d\W]+", headline):
        return "digits only"
    if len(headline.split()) < 3:
        return "under three words"
    if headline in repeated:
        return "heads unrelated stories"
    return ""


# what a reader should not meet in a summary or a key point (#15's list; kept here, measured)
BOILERPLATE = {
    "dateline": re.compile(r"\((?:Reuters|AP|AFP|UPI|Bloomberg|dpa)\)\s*[-–—]|^[A-Z]{3,}(?:\s[A-Z]{3,})*,\s+\w{3}\.?\s+\d{1,2}\b"),
    "byline": re.compile(r"\bBy [A-Z][a-z]+ [A-Z][a-z]+\s+[A-Z]{3,}"),
    "agency tag": re.compile(r"\(Adds [^)]*\)|\bSource: [A-Z]"),
    "ad/nav": re.compile(r"\badvertisement\b|\bcontinued\s*(?:\.\.\.|…)|\bQUICK VOTE\b|\bclick here\b|\bsubscribe\b"
                         r"|page you (?:are looking for|requested)|\bAll rights reserved\b|\bHome >", re.IGNORECASE),
    "entity": re.compile(r"&(?:amp|quot|lt|gt|nbsp|#\d+);"),
    "question": re.compile(r"\?\s*$|^QUESTION:|^Q:"),
}


def boilerplate_in(briefing, with_text: bool = False):
    from polybrief.segment import split_sentences

    texts = [*split_sentences(briefing.summary, "en"), *(p.text for p in briefing.key_points)]
    for text in texts:
        for kind, pattern in BOILERPLATE.items():
            if pattern.search(text):
                yield (kind, text) if with_text else kind


def main() -> None:
    from rouge_score import rouge_scorer

    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=Path, default=DATA / "articles.jsonl")
    parser.add_argument("--clusters", type=Path, default=DATA / "clusters.jsonl")
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    gold, stories, merged = briefings(args.articles)
    clusters = [json.loads(line) for line in args.clusters.read_text(encoding="utf-8").splitlines() if line.strip()]
    titles = {c["cluster_id"]: c["wikinews_title"] for c in clusters}
    references = {c["cluster_id"]: c["summary"] for c in clusters}
    summary_of = {i: b.summary for s, b in zip(stories, merged) for i in s.article_ids}
    headline_of = {i: b.headline for s, b in zip(stories, merged) for i in s.article_ids}
    repeated = {h for h, n in Counter(b.headline for b in merged).items() if n > 1}
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    rows, summary_scores = [], []
    for cluster, title in sorted(titles.items()):
        members = [i for i, c in gold.items() if c == cluster and i in headline_of]
        if not members:
            continue
        headline = Counter(headline_of[i] for i in members).most_common(1)[0][0]
        summary = Counter(summary_of[i] for i in members).most_common(1)[0][0]
        summary_scores.append(scorer.score(references[cluster], summary))
        score = scorer.score(title, headline)
        rows.append((cluster, title, headline, score["rouge1"].fmeasure, score["rougeL"].fmeasure, unfit(headline, repeated)))
    n = len(rows)
    bad = [r for r in rows if r[5]]
    print(f"clusters: {n}; stories: {len(merged)}")
    print(f"headline ROUGE-1 {sum(r[3] for r in rows) / n:.3f}, ROUGE-L {sum(r[4] for r in rows) / n:.3f}")
    print(f"headlines unfit for a reader: {len(bad)} of {n} ({Counter(r[5] for r in bad)})")
    print("summary ROUGE-1/2/L " + " / ".join(f"{sum(s[k].fmeasure for s in summary_scores) / n:.3f}"
                                              for k in ("rouge1", "rouge2", "rougeL")))
    found = Counter(kind for b in merged for kind in boilerplate_in(b))
    print(f"boilerplate in summaries and key points ({len(merged)} briefings): {sum(found.values())} {dict(found)}")
    if args.show:
        for b in merged:
            for kind, text in boilerplate_in(b, with_text=True):
                print(f"  {kind:>12} | {text[:110]}")
    for cluster, title, headline, r1, _rl, why in rows[:args.show]:
        print(f"  {r1:.2f} {why or 'ok':>22} | {headline[:70]:70} | {title[:60]}")


if __name__ == "__main__":
    main()
