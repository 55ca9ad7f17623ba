"""What a reader of the briefings meets, measured on real English news (WikinewsSum clusters,
which polybrief reads untranslated, so the reading layer is judged on real text).

    python bench/reader.py [--articles F --clusters F] [--show N]

Runs the pipeline's composition (translate → check → summarise, extractive and offline → cluster
→ merge, as `polybrief run` does), then for each gold
cluster takes the story holding most of its articles and reports: headline ROUGE-1/L against the
cluster's human `wikinews_title`, and headlines a reader would not take for one (hex ids, digits
only, fewer than three words, or one title heading unrelated stories); summary ROUGE-1/2/L against
the reference; the share of key points backed by two or more sources; boilerplate left in summaries
and key points (the patterns below); quotes with a named speaker; names against the cluster's
`categories` (those a source writes: recall, and the share of listed names that are categories).
Then who-said-what against quotes labelled by hand (`bench/data/quotes_wikinewssum.jsonl`:
article, sentence anchor, speaker or "" where the text names none): attribution precision and
recall, a speaker counted right when the surname matches. The steps run in this process (no
Prefect), so a change shows in a minute.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "wikinewssum_en"


def briefings(articles_path: Path):
    """The dev articles briefed by the pipeline's own composition (`polybrief.pipeline`: the same
    steps, defaults and multilingual encoder as `polybrief run`), extractive summaries, in this
    process, with a story store of its own."""
    import tempfile

    from polybrief.config import load_config
    from polybrief.evaluate import articles_from_rows, first_of_each_id, read_jsonl
    from polybrief.pipeline import InProcess, steps
    from polybrief.pipeline.compose import brief_articles

    config = load_config(None, summary={"engine": "extractive"},
                         output_dir=tempfile.mkdtemp(prefix="polybrief-reader-"))
    rows, _ = first_of_each_id(read_jsonl(articles_path, ["id", "text", "cluster_id"]))
    rows = [r for r in rows if r.get("lang", "en") == "en"]
    articles = tuple(articles_from_rows(rows))
    work = brief_articles(articles, steps.dedup(articles, config), config, InProcess())
    return {r["id"]: r["cluster_id"] for r in rows}, work.stories, work.briefings, articles, work.translations


def attribution(labels: Path, articles, translations) -> tuple[float, float, int]:
    """(precision, recall, labelled quotes with a speaker) of quote speakers on a labelled set."""
    from polybrief.stages.merge.facts import find_quotes

    by_id = {a.id: a for a in articles}
    translated = {t.article_id: t for t in translations}
    tp = fp = fn = 0
    for line in labels.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        quotes = {q.anchor: q for q in find_quotes(by_id[gold["article_id"]], translated[gold["article_id"]], 1)}
        said = quotes[gold["anchor"]].speaker if gold["anchor"] in quotes else ""
        right = bool(said and gold["speaker"]) and said.casefold().split()[-1] == gold["speaker"].casefold().split()[-1]
        tp += right
        fp += bool(said) and not right
        fn += bool(gold["speaker"]) and not right
    return tp / max(1, tp + fp), tp / max(1, tp + fn), tp + fn


def names_against(categories: list[str], briefing, texts: list[str]) -> tuple[int, int, int]:
    """(categories a source writes, of them listed under Named, Named entries that are categories)."""
    written = [c for c in categories if any(c in t for t in texts)]
    named = {n.casefold() for n, _ in briefing.names}
    found = sum(c.casefold() in named for c in written)
    return len(written), found, sum(n in {c.casefold() for c in categories} for n in named)


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
    "dateline": re.compile(r"\((?:Reuters|AP|AFP|UPI|Bloomberg|dpa)\)\s*[-–—]"
                           r"|^[A-Z]{3,}(?:\s[A-Z]{3,})*,\s+\w{3}\.?\s+\d{1,2}\b"),
    "byline": re.compile(r"\bBy [A-Z][a-z]+ [A-Z][a-z]+\s+[A-Z]{3,}"),
    "agency tag": re.compile(r"\(Adds [^)]*\)|\bSource: [A-Z]"),
    "ad/nav": re.compile(r"\badvertisement\b|\bcontinued\s*(?:\.\.\.|…)|\bQUICK VOTE\b|\bclick here\b|\bsubscribe\b"
                         r"|page you (?:are looking for|requested)|\bAll rights reserved\b|\bHome >", re.IGNORECASE),
    "entity": re.compile(r"&(?:amp|quot|lt|gt|nbsp|#\d+);"),
    "question": re.compile(r"\?\s*$|^QUESTION:|^Q:"),
}


def boilerplate_in(briefing, with_text: bool = False):
    from polybrief.text.segment import split_sentences

    texts = [*split_sentences(briefing.summary, "en"), *(p.text for p in briefing.key_points)]
    for text in texts:
        for kind, pattern in BOILERPLATE.items():
            if pattern.search(text):
                yield (kind, text) if with_text else kind


def main() -> None:
    from itertools import groupby

    from rouge_score import rouge_scorer

    from polybrief.stages.merge.facts import anchor

    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=Path, default=DATA / "articles.jsonl")
    parser.add_argument("--clusters", type=Path, default=DATA / "clusters.jsonl")
    parser.add_argument("--quotes", type=Path,
                        default=Path(__file__).resolve().parent / "data" / "quotes_wikinewssum.jsonl")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--figures", action="store_true")
    args = parser.parse_args()
    gold, stories, merged, articles, translations = briefings(args.articles)
    clusters = [json.loads(line) for line in args.clusters.read_text(encoding="utf-8").splitlines() if line.strip()]
    titles = {c["cluster_id"]: c["wikinews_title"] for c in clusters}
    references = {c["cluster_id"]: c["summary"] for c in clusters}
    summary_of = {i: b.summary for s, b in zip(stories, merged, strict=False) for i in s.article_ids}
    headline_of = {i: b.headline for s, b in zip(stories, merged, strict=False) for i in s.article_ids}
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
        rows.append((cluster, title, headline, score["rouge1"].fmeasure, score["rougeL"].fmeasure,
                     unfit(headline, repeated)))
    n = len(rows)
    bad = [r for r in rows if r[5]]
    print(f"clusters: {n}; stories: {len(merged)}")
    print(f"headline ROUGE-1 {sum(r[3] for r in rows) / n:.3f}, ROUGE-L {sum(r[4] for r in rows) / n:.3f}")
    print(f"headlines unfit for a reader: {len(bad)} of {n} ({Counter(r[5] for r in bad)})")
    print("summary ROUGE-1/2/L " + " / ".join(f"{sum(s[k].fmeasure for s in summary_scores) / n:.3f}"
                                              for k in ("rouge1", "rouge2", "rougeL")))
    found = Counter(kind for b in merged for kind in boilerplate_in(b))
    print(f"boilerplate in summaries and key points ({len(merged)} briefings): {sum(found.values())} {dict(found)}")
    points = [p for b in merged for p in b.key_points]
    print(f"key points backed by two or more sources: {sum(len(p.sources) > 1 for p in points)} of {len(points)} "
          f"({sum(len(p.sources) > 1 for p in points) / max(1, len(points)):.0%})")
    quotes = [q for b in merged for q in b.quotes]
    print(f"quotes with a named speaker: {sum(bool(q.speaker) for q in quotes)} of {len(quotes)}")
    text_of = {t.article_id: t.text_en for t in translations}
    briefing_of = {i: b for s, b in zip(stories, merged, strict=False) for i in s.article_ids}
    written = listed = named_categories = named_total = 0
    for cluster in clusters:
        members = [i for i, c in gold.items() if c == cluster["cluster_id"] and i in briefing_of]
        if not members:
            continue
        b = briefing_of[Counter(members).most_common(1)[0][0]]
        w, f, c = names_against(cluster["categories"], b, [text_of[i] for i in members])
        written, listed = written + w, listed + f
        named_categories, named_total = named_categories + c, named_total + len(b.names)
    print(f"names: {listed} of {written} categories a source writes are listed under Named "
          f"(recall {listed / max(1, written):.2f}); "
          f"{named_categories} of {named_total} Named entries are categories")
    groups = [(b, noun, list(figs)) for b in merged for noun, figs in groupby(b.figures, key=lambda f: f.counts)]
    print(f"figures differ: {len(groups)} groups shown in {sum(bool(b.figures) for b in merged)} briefings "
          f"(--figures prints them, to judge by reading)")
    if args.figures:
        sentence = {(t.article_id, anchor(p, k)): pair.en for t in translations
                    for p, para in enumerate(t.paragraphs) for k, pair in enumerate(para)}
        for b, noun, figs in groups:
            print(f"  [{b.headline[:60]}] {noun}:")
            for f in figs:
                where = sentence[(b.sources[f.source - 1].article_id, f.anchor)]
                print(f"      {f.text!r} ({f.who}) [{f.source}] {where[:160]}")
    precision, recall, labelled = attribution(args.quotes, articles, translations)
    print(f"who said what, {labelled} labelled quotes with a speaker: precision {precision:.2f}, recall {recall:.2f}")
    if args.show:
        for b in merged:
            for kind, text in boilerplate_in(b, with_text=True):
                print(f"  {kind:>12} | {text[:110]}")
    for _cluster, title, headline, r1, _rl, why in rows[:args.show]:
        print(f"  {r1:.2f} {why or 'ok':>22} | {headline[:70]:70} | {title[:60]}")


if __name__ == "__main__":
    main()
