"""Names across languages (#23): how well name keys (`polybrief.text.namekeys`) meet one name written
in other languages, scripts and case forms, and keep different names apart.

    python bench/names_across.py

1. Variants: bench/data/name_variants.txt holds one entity per line, the ways the seed articles and
   bsnlp_dev write it. Pairs of forms on one line should share a key (recall), pairs from different
   lines should not (precision). Before: the names as written (`names_in`, case-folded); after: keys.
2. Articles: bsnlp_dev (real news, 6 Slavic languages, 4 topics). For pairs of articles in different
   languages, the Jaccard overlap of their names: same topic vs other topic, and the ROC AUC of
   overlap as a same-topic signal, before and after.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
BSNLP = HERE.parent.parent / "shared" / "data" / "bsnlp_dev" / "articles.jsonl"


def variants() -> list[list[str]]:
    lines = (HERE / "data" / "name_variants.txt").read_text(encoding="utf-8").splitlines()
    return [[f.strip() for f in line.split("|")] for line in lines if line.strip() and not line.startswith("#")]


def pair_scores(entities: list[list[str]], key):
    forms = [(e, f, key(f)) for e, forms in enumerate(entities) for f in forms]
    pairs = list(itertools.combinations(forms, 2))
    matched = [(a, b) for a, b in pairs if a[2] & b[2]]
    right = sum(a[0] == b[0] for a, b in matched)
    same = sum(a[0] == b[0] for a, b in pairs)
    wrong = [(a[1], b[1]) for a, b in matched if a[0] != b[0]]
    missed = [(a[1], b[1]) for a, b in pairs if a[0] == b[0] and not a[2] & b[2]]
    return right / len(matched) if matched else float("nan"), right / same, wrong, missed


def article_overlap(limit: int = 40000) -> None:
    from sklearn.metrics import roc_auc_score

    from polybrief.text.namekeys import name_keys
    from polybrief.text.names import names_in

    rows = [json.loads(line) for line in BSNLP.read_text(encoding="utf-8").splitlines()]
    texts = [r["title"] + "\n" + r["text"] for r in rows]
    pairs = [(i, j) for i, j in itertools.combinations(range(len(rows)), 2) if rows[i]["lang"] != rows[j]["lang"]]
    random.Random(1).shuffle(pairs)
    pairs = pairs[:limit]
    print(f"## bsnlp_dev: {len(rows)} articles, {len(pairs)} pairs of articles in two languages")
    for label, finder in (("as written", names_in), ("keys", name_keys)):
        sets = [finder(t) for t in texts]
        jac = [len(sets[i] & sets[j]) / (len(sets[i] | sets[j]) or 1) for i, j in pairs]
        same = [rows[i]["cluster_id"] == rows[j]["cluster_id"] for i, j in pairs]
        on = [x for x, s in zip(jac, same, strict=True) if s]
        off = [x for x, s in zip(jac, same, strict=True) if not s]
        none = sum(x == 0 for x in on) / len(on)
        print(f"  {label:11} same topic: mean {sum(on) / len(on):.3f}, none shared {none:.0%}"
              f" | other topic: mean {sum(off) / len(off):.3f} | AUC {roc_auc_score(same, jac):.3f}")


def main() -> None:
    from polybrief.text.namekeys import keys_of_name

    entities = variants()
    print(f"## variants: {len(entities)} entities, {sum(map(len, entities))} forms")
    for label, key in (("as written", lambda f: frozenset([" ".join(f.casefold().split())])), ("keys", keys_of_name)):
        precision, recall, wrong, missed = pair_scores(entities, key)
        print(f"  {label:11} pairs matched: precision {precision:.3f}  recall {recall:.3f}")
        print(f"    wrong: {wrong[:8]}\n    missed: {missed[:12]}")
    if BSNLP.exists():
        article_overlap()


if __name__ == "__main__":
    main()
