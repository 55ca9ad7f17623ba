"""Sentence boundaries against Universal Dependencies gold (running text rebuilt from `# text =`).

    python bench/segment.py [--show N]      (data: ../shared/data/ud_sentences/*.jsonl)

Prints boundary precision, recall and F1 per language, and sentences per second, for polybrief's
`split_sentences` and for the libraries installed beside it (simplemma, sentencex: `pip install`
them to compare; they are not polybrief's dependencies). `--show N` prints N missed and N wrong
boundaries of polybrief's per language, for the eye.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

from polybrief.text.segment import split_sentences

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ud_sentences"


def records(lang: str) -> list[list[str]]:
    path = next(DATA.glob(f"{lang}_*_dev.jsonl"))
    return [json.loads(line)["sentences"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def boundaries(sentences: list[str]) -> tuple[str, set[int]]:
    """The running text and the offsets where a sentence ends (inside the text)."""
    cuts, offset = set(), 0
    for s in sentences[:-1]:
        offset += len(s)
        cuts.add(offset)
        offset += 1
    return " ".join(sentences), cuts


def predicted(text: str, pieces: list[str]) -> set[int]:
    cuts, position = set(), 0
    for piece in pieces[:-1]:
        position = text.index(piece, position) + len(piece)
        cuts.add(position)
    return cuts


def score(split: Callable[[str, str], list[str]], lang: str, show: int = 0) -> dict[str, float]:
    hits = n_pred = n_gold = 0
    missed, wrong = [], []
    started = time.perf_counter()
    sentences = 0
    for record in records(lang):
        text, gold = boundaries(record)
        pieces = [p.strip() for p in split(text, lang) if p.strip()]
        pred = predicted(text, pieces)
        sentences += len(record)
        hits += len(pred & gold)
        n_pred += len(pred)
        n_gold += len(gold)
        missed += [text[max(0, c - 40):c] + " ‖ " + text[c + 1:c + 30] for c in sorted(gold - pred)]
        wrong += [text[max(0, c - 40):c] + " ‖ " + text[c:c + 30] for c in sorted(pred - gold)]
    seconds = time.perf_counter() - started
    p, r = hits / max(1, n_pred), hits / max(1, n_gold)
    if show:
        print(f"\n{lang}: missed {len(missed)}, wrong {len(wrong)}")
        for line in missed[:show]:
            print("  missed:", line)
        for line in wrong[:show]:
            print("  wrong: ", line)
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0, "sent/s": sentences / max(seconds, 1e-9)}


def splitters() -> dict[str, Callable[[str, str], list[str]]]:
    found: dict[str, Callable[[str, str], list[str]]] = {"polybrief": split_sentences}
    try:
        import simplemma

        found["simplemma"] = lambda text, lang: list(simplemma.split_sentences(text))  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        pass
    try:
        import sentencex

        found["sentencex"] = lambda text, lang: list(sentencex.segment(lang, text))
    except ImportError:
        pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    langs = ["sl", "hu", "pl"]
    print("| splitter | " + " | ".join(f"{lang} P | {lang} R | {lang} F1" for lang in langs) + " | sentences/s |")
    print("|---|" + "---|" * (3 * len(langs) + 1))
    for name, split in splitters().items():
        rows = [score(split, lang, args.show if name == "polybrief" else 0) for lang in langs]
        cells = " | ".join(f"{r['P']:.4f} | {r['R']:.4f} | {r['F1']:.4f}" for r in rows)
        speed = sum(r["sent/s"] for r in rows) / len(rows)
        print(f"| {name} | {cells} | {speed:,.0f} |")


if __name__ == "__main__":
    main()
