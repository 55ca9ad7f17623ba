"""Language identification: lingua's high vs low accuracy mode, on FLORES-200 devtest documents.

For each mode, in a process of its own: the detector polybrief builds for the default
`language.detect` list, its resident memory, and its accuracy on the 1,967 documents (7
languages × 281) and on their sentences (the short texts: titles, one-sentence paragraphs),
counting a confusion between close relatives (hr/bs/sr, cs/sk) apart, since polybrief never
switches models on those. Usage: python bench/language.py [DATA]   (default ../shared/data)
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RELATIVES = ({"hr", "bs", "sr"}, {"cs", "sk"})


def _rss_mib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def measure(data: Path, accuracy: str) -> dict:
    from polybrief.config import load_config
    from polybrief.stages.language import _detector
    from polybrief.text.segment import split_sentences

    config = load_config(None, language={"accuracy": accuracy})
    before, start = _rss_mib(), time.perf_counter()
    detector = _detector(tuple(sorted(config.language.detect)), accuracy)
    build_s, memory = time.perf_counter() - start, _rss_mib() - before
    docs = [json.loads(line) for line in (data / "flores200_devtest" / "docs.jsonl").open(encoding="utf-8")]
    sentences = [(s, d["lang"]) for d in docs for s in split_sentences(d["text"], d["lang"])]
    result = {"accuracy": accuracy, "detector_mib": memory, "build_s": round(build_s, 1)}
    for name, items in (("documents", [(d["text"], d["lang"]) for d in docs]), ("sentences", sentences)):
        start = time.perf_counter()
        found = [detector.detect_language_of(text) for text, _ in items]
        seconds = time.perf_counter() - start
        codes = [f.iso_code_639_1.name.lower() if f else "" for f in found]
        right = sum(c == gold for c, (_, gold) in zip(codes, items, strict=False))
        relatives = sum(c != gold and any({c, gold} <= r for r in RELATIVES)
                        for c, (_, gold) in zip(codes, items, strict=False))
        result[name] = {"n": len(items), "correct": right, "relatives": relatives, "seconds": round(seconds, 1)}
    return result


def main(data: Path) -> None:
    print("| mode | detector MiB | build s | documents right | + close relatives | sentences right | "
          "+ close relatives | sentences/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for accuracy in ("high", "low"):
        out = subprocess.run([sys.executable, __file__, "--measure", accuracy, str(data)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        d, s = r["documents"], r["sentences"]
        print(f"| {accuracy} | {r['detector_mib']} | {r['build_s']} | {d['correct'] / d['n']:.2%} of {d['n']} | "
              f"{(d['correct'] + d['relatives']) / d['n']:.2%} | {s['correct'] / s['n']:.2%} of {s['n']} | "
              f"{(s['correct'] + s['relatives']) / s['n']:.2%} | {s['n'] / s['seconds']:.0f} |", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(Path(sys.argv[3]), sys.argv[2])))
    else:
        main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
