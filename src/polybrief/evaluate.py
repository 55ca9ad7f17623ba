"""`polybrief eval`: translation, summary and clustering quality against references.

Input formats (JSONL, one object per line):
- translation pairs: {"src_lang": "sl", "src": "...", "ref": "..."} (FLORES-style files as-is)
- articles: {"id": "...", "lang": "en", "title": "...", "text": "...", "date": "...", "cluster_id": "..."}
- clusters: {"cluster_id": "...", "summary": "reference summary"} or {..., "summaries": ["ref 1", "ref 2", ...]}
  (several references, as DUC has four: each cluster scores the mean over its references)

Rows that repeat an id are reported (`duplicate_ids`), and only the first is used.

Metrics come from the reference implementations: sacrebleu (chrF++, BLEU) and rouge-score
(ROUGE-1/2/L F1, stemmed); B-cubed clustering precision/recall is computed here (Bagga & Baldwin).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from polybrief.config import Config
from polybrief.errors import InputError
from polybrief.records import Article, Translation

if TYPE_CHECKING:
    from polybrief.engines.translate import Translator


def bcubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """B-cubed precision, recall and F1 over the items both mappings label."""
    items = [i for i in gold if i in predicted]
    if not items:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for i in items:
        by_pred[predicted[i]].add(i)
        by_gold[gold[i]].add(i)
    precision = sum(len(by_pred[predicted[i]] & by_gold[gold[i]]) / len(by_pred[predicted[i]])
                    for i in items) / len(items)
    recall = sum(len(by_pred[predicted[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def pairwise(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """Pairwise precision, recall and F1: over pairs of items, "in one cluster" as a yes/no call
    (the measure published multilingual news clustering results are given in)."""
    items = [i for i in gold if i in predicted]
    both = Counter((predicted[i], gold[i]) for i in items)
    pairs = sum(n * (n - 1) // 2 for n in both.values())
    found = sum(n * (n - 1) // 2 for n in Counter(predicted[i] for i in items).values())
    true = sum(n * (n - 1) // 2 for n in Counter(gold[i] for i in items).values())
    precision, recall = pairs / found if found else 0.0, pairs / true if true else 0.0
    return {"precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0}


def across_languages(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable], langs: Mapping[str, str],
                     days: Mapping[str, int | None], window: int = 2) -> dict[str, float]:
    """How stories cross languages: the share of stories of several articles that hold two or more
    languages, and the recall of pairs in two languages of one gold cluster dated within `window`
    days of each other (a proxy for two outlets' coverage of one event: gold clusters may be
    topics, coarser than events)."""
    stories: dict[Hashable, set[str]] = defaultdict(set)
    for i, story in predicted.items():
        stories[story].add(i)
    multi = [ids for ids in stories.values() if len(ids) > 1]
    spanning = sum(len({langs[i] for i in ids}) > 1 for ids in multi)
    items = sorted(i for i in gold if i in predicted and days.get(i) is not None)
    close = [(a, b) for k, a in enumerate(items) for b in items[k + 1:]
             if gold[a] == gold[b] and langs[a] != langs[b] and abs(cast(int, days[a]) - cast(int, days[b])) <= window]
    joined = sum(predicted[a] == predicted[b] for a, b in close)
    return {"multi_article_stories": len(multi), "spanning_languages": spanning / len(multi) if multi else 0.0,
            "close_pairs": len(close), "close_pair_recall": joined / len(close) if close else 0.0}


def translation_scores(hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    import sacrebleu

    return {
        "chrF++": sacrebleu.corpus_chrf(list(hypotheses), [list(references)], word_order=2).score,
        "BLEU": sacrebleu.corpus_bleu(list(hypotheses), [list(references)]).score,
    }


def rouge_scores(hypotheses: Sequence[str], references: Sequence[str | Sequence[str]]) -> dict[str, float]:
    """Mean ROUGE F1 over the hypotheses; a hypothesis with several references scores the mean
    over them (as DUC's evaluations do), not the best one."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals: Counter[str] = Counter()
    for hyp, refs in zip(hypotheses, references, strict=False):
        refs = [refs] if isinstance(refs, str) else list(refs)
        for ref in refs:
            for name, score in scorer.score(ref, hyp).items():
                totals[name] += score.fmeasure / len(refs)
    n = max(1, len(hypotheses))
    return {name: totals[name] / n for name in ("rouge1", "rouge2", "rougeL")}


def read_jsonl(path: str | Path, required: Iterable[str]) -> list[dict[str, Any]]:
    rows = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot read") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n}", f"invalid JSON: {exc.msg}") from None
        missing = [k for k in required if k not in row]
        if missing:
            raise InputError(f"{path}:{n}", f"missing field(s): {', '.join(missing)}")
        rows.append(row)
    return rows


def first_of_each_id(rows: list[dict[str, Any]], key: str = "id") -> tuple[list[dict[str, Any]], list[str]]:
    """The rows with their first occurrence of each id, and the ids that occurred again."""
    seen: set[str] = set()
    kept, repeated = [], []
    for row in rows:
        if row[key] in seen:
            repeated.append(row[key])
        else:
            seen.add(row[key])
            kept.append(row)
    return kept, repeated


def references_of(cluster: dict[str, Any]) -> list[str]:
    refs = cluster.get("summaries") or ([cluster["summary"]] if cluster.get("summary") else [])
    return [r for r in refs if isinstance(r, str) and r.strip()]


def eval_translation(path: str | Path, config: Config, limit: int | None = None) -> list[dict[str, Any]]:
    """chrF++ and BLEU per language pair, translating with the configured model for each."""
    from polybrief.engines.translate import BatchingTranslator, get_translator

    rows = read_jsonl(path, ["src_lang", "src", "ref"])
    by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_lang[row["src_lang"]].append(row)
    results: list[dict[str, Any]] = []
    for lang, pairs in sorted(by_lang.items()):
        pairs = pairs[:limit] if limit else pairs
        ref = config.model_for(lang)
        if ref is None:
            results.append({"pair": f"{lang}-en", "skipped": "no model configured"})
            continue
        engine = get_translator(ref, config)
        translator = BatchingTranslator(engine, config.translation.batch_tokens, config.translation.max_batch_size)
        hypotheses = translator.translate([p["src"] for p in pairs], lang)
        scores = translation_scores(hypotheses, [p["ref"] for p in pairs])
        beam = cast(Any, engine).generation.num_beams  # both engines have it; the Translator protocol does not
        results.append({"pair": f"{lang}-en", "model": ref.key, "engine": config.translation.engine,
                        "beam": beam, "sentences": len(pairs), **scores})
    return results


def articles_from_rows(rows: list[dict[str, Any]]) -> list[Article]:
    """Rows read as the read stage reads a feed's records (ids and languages as the rows say)."""
    from polybrief.stages.read import own_titles
    from polybrief.stages.read.parse import parse_text

    articles = []
    for row in rows:
        a = parse_text(row["text"], row.get("id", ""), title=row.get("title") or "", date=row.get("date") or "")
        articles.append(Article(row["id"], row["id"], a.paragraphs, a.title, a.date, lang=row.get("lang", "en"),
                                lang_confidence=1.0))
    return own_titles(articles)


def english_passthrough(articles: list[Article]) -> list[Translation]:
    from polybrief.stages.translate import translate_articles

    def no_translator(lang: str) -> Translator:  # English is passed through: never called
        raise AssertionError(f"English pass-through asked for a {lang} translator")

    return list(translate_articles([a for a in articles if a.lang == "en"], no_translator, 10**6).translations)


def untranslated(articles: list[Article]) -> list[Translation]:
    """Each article with its original standing in for the English (every language): what
    clustering is measured on where no translation models are at hand."""
    from polybrief.records import SentencePair
    from polybrief.text.segment import split_sentences

    return [Translation(a.id, a.lang, "", a.title, tuple(
        tuple(SentencePair(x, x) for x in split_sentences(p, a.lang)) for p in a.paragraphs)) for a in articles]


@dataclass(frozen=True)
class _English:
    """The articles of an articles file, their gold story ids and (English, or the original
    standing in for it) translations."""

    articles: tuple[Article, ...]
    gold: dict[str, str]
    translations: tuple[Translation, ...]
    duplicate_ids: tuple[str, ...]  # ids given by more than one row: only the first row is used


@lru_cache(maxsize=2)
def _english_articles(articles_path: str) -> _English:
    rows, repeated = first_of_each_id(read_jsonl(articles_path, ["id", "text", "cluster_id"]))
    articles = articles_from_rows([r for r in rows if r.get("lang", "en") == "en"])
    return _English(tuple(articles), {r["id"]: r["cluster_id"] for r in rows}, tuple(english_passthrough(articles)),
                    tuple(repeated))


def eval_summaries(clusters_path: str | Path, articles_path: str | Path, config: Config,
                   limit: int | None = None) -> dict[str, Any]:
    """ROUGE of each cluster's story summary vs the reference: one summary per cluster, made as a
    run makes a story's (`summarise_stories`: its sources' chosen sentences, one call)."""
    from polybrief.engines.embed import get_embedder
    from polybrief.engines.store import store_path
    from polybrief.engines.summarise import get_summariser
    from polybrief.stages.summarise import summarise_stories

    clusters, repeated_clusters = first_of_each_id(read_jsonl(clusters_path, ["cluster_id"]), "cluster_id")
    clusters = [c for c in clusters if references_of(c)][:limit or None]
    if not clusters:
        raise InputError(str(clusters_path), "no cluster has a reference: give \"summary\" or \"summaries\"")
    data = _english_articles(str(articles_path))
    summariser = get_summariser(config)
    sources, references = [], []
    for cluster in clusters:
        texts = [t.text_en for t in data.translations if data.gold[t.article_id] == cluster["cluster_id"]]
        if texts:
            sources.append(texts)
            references.append(references_of(cluster))
    made = summarise_stories(sources, summariser, get_embedder(store_path(config)), config.summary.batch_size)
    return {"summariser": summariser.key, "clusters": len(made),
            "references": sum(len(r) for r in references), **rouge_scores([m.text for m in made], references),
            "duplicate_ids": list(data.duplicate_ids), "duplicate_cluster_ids": repeated_clusters}


def eval_clustering(articles_path: str | Path, config: Config) -> dict[str, Any]:
    """B-cubed of the stories found among all the articles against their gold cluster ids, found
    by the pipeline's own near-duplicate and cluster steps (`polybrief.pipeline.steps`).

    Articles in other languages than English are not translated here (no translation models are
    needed to evaluate clustering): their original stands in for the English. The multilingual
    signals read the original anyway; the English ones then see untranslated text, which is how
    clustering fares when a translation is worthless. No summary and, at the defaults, no model is
    needed: stories are found before anything is summarised."""
    from polybrief.engines.multilingual import get_encoder
    from polybrief.pipeline import steps
    from polybrief.stages.cluster import effective_settings

    encoder = get_encoder(config)
    settings = effective_settings(config.cluster, encoder)
    data = _all_articles(str(articles_path))
    groups = steps.dedup(data.articles, config)
    if steps.stories_first(config):  # as a run finds them: from the originals, nothing translated
        found = steps.group(data.articles, groups, config)
    else:
        found = tuple(s.article_ids for s in steps.cluster(data.articles, data.translations, groups, config))
    predicted = {a: str(n) for n, ids in enumerate(found) for a in ids}
    langs = {a.id: a.lang for a in data.articles}
    days = {a.id: _ordinal(a.date) for a in data.articles}
    return {"articles": len(predicted), "stories": len(found),
            "gold_stories": len({data.gold[a] for a in predicted}),
            "threshold": settings.threshold, "encoder": encoder.key if encoder else "none",
            "languages": dict(sorted(Counter(a.lang for a in data.articles).items())), **bcubed(predicted, data.gold),
            "pairwise": pairwise(predicted, data.gold), **across_languages(predicted, data.gold, langs, days),
            "duplicate_ids": list(data.duplicate_ids)}


def _ordinal(day: str) -> int | None:
    from datetime import date

    try:
        return date.fromisoformat(day[:10]).toordinal() if len(day) >= 10 else None
    except ValueError:
        return None


@lru_cache(maxsize=2)
def _all_articles(articles_path: str) -> _English:
    """Every article of the file, each language as written (see eval_clustering)."""
    rows, repeated = first_of_each_id(read_jsonl(articles_path, ["id", "text", "cluster_id"]))
    articles = articles_from_rows(rows)
    return _English(tuple(articles), {r["id"]: r["cluster_id"] for r in rows}, tuple(untranslated(articles)),
                    tuple(repeated))


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _header(*names: str) -> list[str]:
    return [_row(*names), "|" + "---|" * len(names)]


def render_report(results: dict[str, Any]) -> str:
    lines = ["# polybrief evaluation", ""]
    if results.get("translation"):
        lines += ["## Translation", "", *_header("pair", "model", "engine", "beam", "sentences", "chrF++", "BLEU")]
        for r in results["translation"]:
            if "skipped" in r:
                lines.append(f"| {r['pair']} | — | — | — | 0 | {r['skipped']} | |")
            else:
                lines.append(_row(r["pair"], r["model"], r["engine"], r["beam"], r["sentences"], f"{r['chrF++']:.1f}",
                                  f"{r['BLEU']:.1f}"))
        lines.append("")
    if results.get("summaries"):
        s = results["summaries"]
        lines += ["## Summaries", "", *_header("summariser", "clusters", "references", "ROUGE-1", "ROUGE-2", "ROUGE-L"),
                  _row(s["summariser"], s["clusters"], s["references"], *(f"{s[k]:.3f}" for k in ("rouge1", "rouge2",
                                                                                                "rougeL"))), ""]
        if s["duplicate_cluster_ids"]:
            lines += [_repeated("cluster ids", s["duplicate_cluster_ids"]), ""]
    if results.get("clustering"):
        c = results["clustering"]
        langs = ", ".join(f"{k} {v}" for k, v in c.get("languages", {}).items())
        pair = c.get("pairwise") or {"precision": 0.0, "recall": 0.0, "f1": 0.0}
        lines += ["## Clustering", "", *_header("articles", "languages", "encoder", "stories found", "gold stories",
                                                  "threshold", "B³ precision", "B³ recall", "B³ F1", "pairwise P",
                                                  "pairwise R", "pairwise F1"),
                  _row(c["articles"], langs, c.get("encoder", "none"), c["stories"], c["gold_stories"], c["threshold"],
                       *(f"{c[k]:.3f}" for k in ("precision", "recall", "f1")),
                       *(f"{pair[k]:.3f}" for k in ("precision", "recall", "f1"))), ""]
        if "spanning_languages" in c:
            lines += [f"Stories of several articles: {c['multi_article_stories']}, "
                      f"{c['spanning_languages']:.0%} of them in two or more languages. Pairs of articles in two "
                      f"languages, one gold story, dated within 2 days of each other: {c['close_pairs']}, "
                      f"{c['close_pair_recall']:.0%} of them in one story found (a proxy for one event's coverage "
                      "across languages).", ""]
    repeated = (results.get("clustering") or results.get("summaries") or {}).get("duplicate_ids")
    if repeated:
        lines += [_repeated("article ids", repeated), ""]
    return "\n".join(lines)


def _repeated(what: str, ids: Sequence[str]) -> str:
    shown = ", ".join(sorted(set(ids))[:10]) + (" …" if len(set(ids)) > 10 else "")
    return f"**Repeated {what}**: {len(ids)} rows repeat an earlier id and were left out ({shown})."
