""""Figures to check" on human translations, where no number is really lost, and on translations
broken on purpose, where one is.

    python bench/figures.py [--show N]     (data: ../shared/data/flores200_devtest/*-en.jsonl)

Per language: sentences, how many the check flags on the human reference (false alarms: the
target is at most 2 %), and of the sentences whose original has a figure, how many are flagged
once that figure is dropped from the reference or changed in it (the check's recall).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from polybrief.stages.merge.figures import lost_figures
from polybrief.text.numbers import figures_in_original

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "flores200_devtest"


def pairs(lang: str) -> list[dict]:
    path = DATA / f"flores200_devtest.{lang}-en.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _english_forms(value: float) -> list[str]:
    """How a value may be written in the English reference, longest first."""
    whole = int(value) if value == int(value) else None
    forms = []
    if whole is not None:
        forms += [f"{whole:,}", str(whole)]
        for scale, word in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand")):
            if whole % scale == 0 and whole >= scale:
                forms.append(f"{whole // scale} {word}")
            elif whole >= scale and (whole * 10) % scale == 0:
                forms.append(f"{whole / scale:g} {word}")
    else:
        forms.append(f"{value:g}")
    return sorted(set(forms), key=len, reverse=True)


def broken(ref: str, value: float, rng: random.Random) -> str | None:
    """The reference with `value` dropped or changed, or None when it is not written plainly."""
    for form in _english_forms(value):
        match = re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d,]|\.\d)", ref)
        if match:
            if rng.random() < 0.5:
                return ref[:match.start()] + ref[match.end():]
            return ref[:match.start()] + str(int(value * 3 + 7)) + ref[match.end():]
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(13)
    print("| lang | sentences | flagged on the reference | false-alarm rate | broken on purpose | caught | recall |")
    print("|---|---|---|---|---|---|---|")
    for lang in ("sl", "hu", "pl"):
        rows = pairs(lang)
        flagged = [r for r in rows if lost_figures(r["src"], r["ref"], lang)]
        tried = caught = 0
        for r in rows:
            figures = [v for v in figures_in_original(r["src"], lang) if v >= 10]
            bad = broken(r["ref"], figures[0], rng) if figures else None
            if bad is not None:
                tried += 1
                caught += bool(lost_figures(r["src"], bad, lang))
        print(f"| {lang} | {len(rows)} | {len(flagged)} | {len(flagged) / len(rows):.1%} | {tried} | {caught} | "
              f"{caught / max(1, tried):.1%} |")
        for r in flagged[:args.show]:
            print(f"    {lost_figures(r['src'], r['ref'], lang)} | {r['src'][:110]} | {r['ref'][:110]}")


if __name__ == "__main__":
    main()
