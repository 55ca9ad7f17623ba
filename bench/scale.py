"""How time and peak memory grow with the number of articles (issue: bounded resources).

Runs the real flow (ephemeral Prefect, real lingua, real all-MiniLM-L6-v2) with the tiny
random-weight test models on N small synthetic articles built from the example articles' sentences.
Usage: python bench/scale.py 500 5000
"""

from __future__ import annotations

import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_corpus(folder: Path, n: int) -> None:
    from polybrief.text.segment import split_sentences

    pools = []
    for path in sorted((ROOT / "examples" / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        pools.append([s for line in text.splitlines() for s in split_sentences(line, "") if len(s) > 30])
    rng = random.Random(0)
    folder.mkdir(parents=True)
    for i in range(n):
        pool = pools[i % len(pools)]
        sentences = rng.sample(pool, k=min(4, len(pool)))
        (folder / f"a{i:05d}.txt").write_text(f"Article {i}. " + " ".join(sentences), encoding="utf-8")


def main(sizes: list[int]) -> None:
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="bench-prefect-"))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    import yaml

    from tests.tiny_models import build_store

    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    store = build_store(work / "models", work / "build")
    from polybrief.flows.briefing import briefing

    print(f"{'articles':>8} {'seconds':>8} {'peak RSS MiB':>12} {'stories':>8}")
    for n in sizes:
        corpus = work / f"corpus-{n}"
        make_corpus(corpus, n)
        config = work / f"c{n}.yaml"
        config.write_text(yaml.safe_dump({
            "models_dir": str(store), "output_dir": str(work / f"out-{n}"),
            "translation": {"models": {"pl": None}, "beam_size": 1, "max_new_tokens": 16},
            "summary": {"beam_size": 1, "max_new_tokens": 16, "min_new_tokens": 2},
            "runtime": {"batch_articles": 64},
        }))
        start = time.monotonic()
        report = briefing([str(corpus)], config_path=str(config))
        seconds = time.monotonic() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:>8} {seconds:>8.1f} {peak:>12.0f} {len(report.stories):>8}", flush=True)


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or [500, 5000])
