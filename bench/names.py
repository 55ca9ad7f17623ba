"""The name finder alone against CoNLL-2003 dev (Reuters, gold PER/ORG/LOC/MISC entities).

    python bench/names.py [--conll F] [--show N]

Per document: the set of gold entity strings against the set `polybrief.text.names.names_in` finds in
the document's body (the all-caps headline and the "CITY 1996-08-30" dateline are left out: a
briefing reads names from article text, not from a wire headline). Reports name-set precision,
recall and F1, averaged per document and pooled, and what it gets wrong most often.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

CONLL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "conll2003" / "dev.txt"
_DATELINE = re.compile(r"\d{4}-\d{2}-\d{2}$")


def sentences(path: Path):
    """[(token, tag), ...] per sentence."""
    sentence = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if sentence:
                yield sentence
            sentence = []
        elif parts[0] != "-DOCSTART-":
            sentence.append((parts[0], parts[-1]))
    if sentence:
        yield sentence


def documents(path: Path):
    """Documents, each a list of body sentences: a new one begins at a headline followed by a
    dateline (this copy of the data set has no -DOCSTART- lines)."""
    sents = list(sentences(path))
    starts = [i - 1 for i, s in enumerate(sents) if i and len(s) <= 8 and _DATELINE.match(s[-1][0])]
    for a, b in zip(starts, [*starts[1:], len(sents)], strict=False):
        body = sents[a + 2:b]
        if body:
            yield body


def detokenise(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([.,;:!?%)\]}])", r"\1", text)
    text = re.sub(r"([(\[{$]) ", r"\1", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|')(?=\s|$)", r"\1", text)
    return re.sub(r'" (.*?) "', r'"\1"', text)


def gold_names(sentence) -> set[str]:
    names, current = set(), []
    for token, tag in sentence:
        if tag.startswith("B-") or (tag.startswith("I-") and not current):
            if current:
                names.add(detokenise(current))
            current = [token]
        elif tag.startswith("I-"):
            current.append(token)
        else:
            if current:
                names.add(detokenise(current))
            current = []
    if current:
        names.add(detokenise(current))
    return {n.casefold() for n in names}


def main() -> None:
    from polybrief.text.names import names_in

    parser = argparse.ArgumentParser()
    parser.add_argument("--conll", type=Path, default=CONLL)
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    per_doc, tp_all, fp, fn = [], 0, Counter(), Counter()
    for doc in documents(args.conll):
        gold = set().union(*(gold_names(s) for s in doc))
        text = "\n".join(detokenise([t for t, _ in s]) for s in doc)
        found = set(names_in(text))
        if not gold and not found:
            continue
        tp = len(gold & found)
        p = tp / len(found) if found else 0.0
        r = tp / len(gold) if gold else 0.0
        per_doc.append((p, r, 2 * p * r / (p + r) if p + r else 0.0))
        tp_all += tp
        fp.update(found - gold)
        fn.update(gold - found)
    n = len(per_doc)
    mean = [sum(d[k] for d in per_doc) / n for k in range(3)]
    pooled_p = tp_all / (tp_all + sum(fp.values()))
    pooled_r = tp_all / (tp_all + sum(fn.values()))
    print(f"documents: {n}")
    print(f"per document: precision {mean[0]:.3f}, recall {mean[1]:.3f}, F1 {mean[2]:.3f}")
    print(f"pooled: precision {pooled_p:.3f}, recall {pooled_r:.3f}, "
          f"F1 {2 * pooled_p * pooled_r / (pooled_p + pooled_r):.3f}")
    if args.show:
        print("found, not gold:", fp.most_common(args.show))
        print("gold, not found:", fn.most_common(args.show))


if __name__ == "__main__":
    main()
