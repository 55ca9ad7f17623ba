"""Translation speed: transformers float32 vs CTranslate2 int8, batching, pipeline overhead, cache.

Random-weight models with the real sizes (bench/models.py: opus-mt by default, `--arch
nllb-600m` or `distilbart`): speed does not depend on the weights. Output lengths are forced (min = max new
tokens) so every engine does the same work. Each engine runs in its own process, so peak RSS is
its own. Usage: python bench/speed.py [--arch opus-mt] [--sentences 192] [--length 40] [--only engines];
prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_model(folder: Path, source_vocab: int = 400, arch: str = "opus-mt") -> Path:
    from bench.models import BUILDERS

    return BUILDERS[arch](folder, source_vocab) if arch == "opus-mt" else BUILDERS[arch](folder)


def sentences(n: int, count_tokens, seed: int = 0) -> list[str]:
    """Sentences of the example articles' words whose lengths are spread evenly over 5 to 80
    tokens (as the model's tokenizer counts them): the mix of a news article."""
    paths = sorted((ROOT / "examples" / "articles").glob("*.txt"))
    words = " ".join(p.read_text(encoding="utf-8") for p in paths).split()
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        target, start = rng.randint(5, 80), rng.randrange(len(words) - 100)
        k = 1
        while count_tokens([" ".join(words[start:start + k])])[0] < target:
            k += 1
        out.append(" ".join(words[start:start + k]))
    return out


class Forced:
    """Wraps an engine so that each batch decodes exactly as many tokens as its longest input:
    the work of a translation whose output is as long as its source."""

    def __init__(self, engine, fixed: int | None = None):
        self.engine, self.key, self.fixed = engine, engine.key, fixed

    def count_tokens(self, texts):
        return self.engine.count_tokens(texts)

    def translate(self, texts, src_lang):
        length = self.fixed or max(self.engine.count_tokens(texts))
        e = self.engine
        if hasattr(e, "model") and hasattr(e.model, "generate"):  # transformers
            import torch

            inputs = e.tokenizer(list(texts), return_tensors="pt", padding=True)
            with torch.inference_mode():
                out = e.model.generate(**inputs, num_beams=e.generation.num_beams, min_new_tokens=length,
                                       max_new_tokens=length)
            return e.tokenizer.batch_decode(out, skip_special_tokens=True)
        results = e.model.translate_batch(e.tokens.encode(texts), beam_size=e.generation.num_beams,
                                          min_decoding_length=length, max_decoding_length=length)
        return e._decode(results)


def worker(args) -> dict:
    # each engine's process imports what that engine needs and nothing else: transformers needs
    # torch; CTranslate2 tokenises with sentencepiece/tokenizers (polybrief.engines.tokenize)
    if args.engine == "transformers":
        import torch  # noqa: F401
        import transformers  # noqa: F401
    else:
        import ctranslate2  # noqa: F401
        import sentencepiece  # noqa: F401
        import tokenizers  # noqa: F401

    from polybrief.config import TranslationSettings
    from polybrief.engines.ct2 import CTranslate2Translator
    from polybrief.engines.translate import TransformersTranslator, token_batches

    settings = TranslationSettings(beam_size=args.beam, compute_type=args.compute)
    threads = os.cpu_count()
    baseline = _status("VmRSS")  # imports done, no model yet
    engine_cls = TransformersTranslator if args.engine == "transformers" else CTranslate2Translator
    engine = engine_cls(Path(args.model), "bench@1", settings, "cpu", threads=threads)
    if args.engine == "transformers":
        import torch

        torch.set_num_threads(threads)
    texts = sentences(args.sentences, engine.count_tokens)
    result = {}
    if args.task == "engines":
        forced = Forced(engine, fixed=args.length)
        forced.translate(texts[:4], "sl")  # warm-up
        start = time.perf_counter()
        for i in range(0, len(texts), 16):
            forced.translate(texts[i:i + 16], "sl")
        seconds = time.perf_counter() - start
        result = {"seconds": seconds, "tokens_per_s": len(texts) * args.length / seconds}
    elif args.task == "batching":
        forced = Forced(engine)
        lengths = engine.count_tokens(texts)
        forced.translate(texts[:4], "sl")
        start = time.perf_counter()  # the same batch size, only the order differs
        for batch in token_batches(lengths, budget=10**9, max_size=16):
            forced.translate([texts[i] for i in batch], "sl")
        sorted_s = time.perf_counter() - start
        start = time.perf_counter()
        for i in range(0, len(texts), 16):
            forced.translate(texts[i:i + 16], "sl")
        result = {"sorted_s": sorted_s, "input_order_s": time.perf_counter() - start}
    elif args.task == "pipeline":
        result = pipeline(engine, texts)
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a worker would report the
    # high-water mark of the process that started it
    result["peak_rss_mib"] = _status("VmHWM")
    result["engine_mib"] = result["peak_rss_mib"] - baseline  # the model and its work memory
    result["torch_imported"] = "torch" in sys.modules
    return result


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pipeline(engine, texts) -> dict:
    """The translate stage (segmenting, cache, batching, assembly) vs a bare batch loop."""
    from polybrief.engines.cache import CachedTranslator, TextCache
    from polybrief.engines.translate import token_batches
    from polybrief.records import Article
    from polybrief.stages.translate import segment_article, translate_articles

    # articles of ~10 sentences each, as the stage sees them
    articles = [Article(f"a{i}", f"a{i}", (" ".join(texts[i:i + 10]),), lang="sl") for i in range(0, len(texts), 10)]
    flat = sorted({s for a in articles for para in segment_article(a)[1] for s in para})
    forced = Forced(engine)
    for batch in token_batches(engine.count_tokens(flat), 16 * 48, 16)[:3]:  # warm-up
        forced.translate([flat[i] for i in batch], "sl")
    start = time.perf_counter()
    for batch in token_batches(engine.count_tokens(flat), 16 * 48, 16):
        forced.translate([flat[i] for i in batch], "sl")
    bare = time.perf_counter() - start
    cache = TextCache(Path(tempfile.mkdtemp()) / "c.sqlite")
    stack = CachedTranslator(forced, cache)
    start = time.perf_counter()  # the stage pools the articles' sentences and batches them itself
    translate_articles(articles, lambda lang: stack, 200, batch_tokens=16 * 48, max_batch_size=16)
    first = time.perf_counter() - start
    start = time.perf_counter()
    translate_articles(articles, lambda lang: stack, 200, batch_tokens=16 * 48, max_batch_size=16)
    cached = time.perf_counter() - start
    return {"bare_s": bare, "stage_s": first, "cached_s": cached}


def run(model: Path, **kw) -> dict:
    argv = [sys.executable, __file__, "--worker", "--model", str(model)] + [f"--{k}={v}" for k, v in kw.items()]
    out = subprocess.run(argv, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(args) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-speed-"))
    model = build_model(work, arch=args.arch) if args.model is None else Path(args.model)
    n, length = args.sentences, args.length
    print(f"Machine: {os.cpu_count()} cores; {n} sentences, output forced to {length} tokens; "
          f"{args.arch} size, random weights.\n")
    print("| beam | transformers fp32 tok/s | CTranslate2 int8 tok/s | speed-up | process peak MiB (tf / ct2) | "
          "peak ratio | model + work MiB above imports (tf / ct2) | torch in ct2 process |")
    print("|---|---|---|---|---|---|---|---|")
    for beam in (1, 4):
        ref = run(model, task="engines", engine="transformers", beam=beam, compute="float32", sentences=n,
                  length=length)
        fast = run(model, task="engines", engine="ctranslate2", beam=beam, compute="int8", sentences=n, length=length)
        speedup, peak = fast["tokens_per_s"] / ref["tokens_per_s"], fast["peak_rss_mib"] / ref["peak_rss_mib"]
        print(f"| {beam} | {ref['tokens_per_s']:.0f} | {fast['tokens_per_s']:.0f} | {speedup:.2f}x | "
              f"{ref['peak_rss_mib']:.0f} / {fast['peak_rss_mib']:.0f} | {peak:.0%} | "
              f"{ref['engine_mib']:.0f} / {fast['engine_mib']:.0f} | {'yes' if fast['torch_imported'] else 'no'} |",
              flush=True)
    if args.only == "engines":
        return
    print("\n| engine | length-sorted batches of 16 s | input-order batches of 16 s | speed-up |")
    print("|---|---|---|---|")
    for engine, compute in (("transformers", "float32"), ("ctranslate2", "int8")):
        b = run(model, task="batching", engine=engine, beam=1, compute=compute, sentences=n, length=length)
        gain = b["input_order_s"] / b["sorted_s"]
        print(f"| {engine} {compute} | {b['sorted_s']:.1f} | {b['input_order_s']:.1f} | {gain:.2f}x |", flush=True)
    p = run(model, task="pipeline", engine="ctranslate2", beam=1, compute="int8", sentences=n, length=length)
    print("\n| CTranslate2 int8, greedy | seconds | vs bare loop |\n|---|---|---|")
    print(f"| bare translate_batch loop | {p['bare_s']:.2f} | 100% |")
    print(f"| translate stage, first run | {p['stage_s']:.2f} | {p['stage_s'] / p['bare_s']:.0%} |")
    share = p["cached_s"] / p["stage_s"]
    print(f"| translate stage, unchanged re-run (cache) | {p['cached_s']:.3f} | {share:.1%} of first run |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--model")
    parser.add_argument("--task", default="engines")
    parser.add_argument("--engine", default="transformers")
    parser.add_argument("--beam", type=int, default=1)
    parser.add_argument("--compute", default="int8")
    parser.add_argument("--sentences", type=int, default=192)
    parser.add_argument("--length", type=int, default=40)
    parser.add_argument("--only", choices=["engines"], help="only the engine comparison")
    parser.add_argument("--arch", choices=["opus-mt", "nllb-600m", "distilbart"], default="opus-mt",
                        help="which real-size architecture to build (bench/models.py)")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
    else:
        main(args)
