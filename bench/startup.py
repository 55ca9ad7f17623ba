"""Start-up of `polybrief run` on the five seed articles with the tiny test store: wall time split
into imports, checks, the Prefect API, model loading and the stages, three ways (a new Prefect
home, a warm one, a running `prefect server` through PREFECT_API_URL); then how many first runs
with a new home succeed.

    python bench/startup.py [--repeat 3] [--fresh 10]

Each run is the installed console script's `main` in a child process, with timers wrapped around
the functions the run calls (nothing else changes); the figures are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "articles"

# runs in the child: wrap the run's steps in timers, then run the CLI exactly as the script does
CHILD = r'''
import json, os, sys, time
t0 = float(os.environ["BENCH_T0"])
times = {"imports": 0.0}
def timed(module, name, label):
    import importlib
    mod = importlib.import_module(module)
    inner = getattr(mod, name)
    def wrapper(*a, **k):
        s = time.time()
        try:
            return inner(*a, **k)
        finally:
            times[label] = times.get(label, 0.0) + time.time() - s
    setattr(mod, name, wrapper)
import polybrief.cli as cli
times["imports"] = time.time() - t0
timed("polybrief.preflight", "check_before_run", "checks")
timed("polybrief.flows.api", "prefect_api", "API launch")
from flows import api
inner_wait = api.LocalApi.wait_ready
def wait(self):
    s = time.time()
    try:
        return inner_wait(self)
    finally:
        times["API wait after loading"] = time.time() - s
        times["API ready after launch"] = time.monotonic() - self.started
api.LocalApi.wait_ready = wait
timed("polybrief.stages.language", "load_detector", "lingua")
timed("polybrief.engines.multilingual", "get_encoder", "encoder")
timed("polybrief.engines.embed", "get_embedder", "embedder")
timed("polybrief.engines.summarise", "get_summariser", "summariser")
timed("polybrief.engines.translate", "get_translator", "translators")
timed("polybrief.oneoff", "run_in_this_process", "run")
timed("polybrief.cli", "_print_report", "report")
try:
    cli.main()
finally:
    times["wall"] = time.time() - t0
    with open(os.environ["BENCH_OUT"], "w") as f:
        json.dump(times, f)
'''


def one_run(config: Path, home: Path, out: Path, api_url: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), BENCH_OUT=str(out), BENCH_T0=repr(time.time()), COLUMNS="200")
    if api_url:
        env["PREFECT_API_URL"] = api_url
    result = subprocess.run([sys.executable, "-c", CHILD, "run", str(SEEDS), "--config", str(config)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    times = json.loads(out.read_text()) if out.exists() else {}
    times["ok"] = result.returncode == 0 and "briefed 5" in result.stdout
    flow = [line for line in result.stdout.splitlines() if line.startswith("briefings:")]
    times["flow (report)"] = float(flow[0].rsplit(" in ", 1)[1].rstrip("s")) if flow else float("nan")
    if not times["ok"]:
        print(result.stderr[-2000:], file=sys.stderr)
    return times


def running_server(home: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_UI_ENABLED="false")
    port = "4317"
    server = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1",
                               "--port", port], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import httpx

    url = f"http://127.0.0.1:{port}/api"
    for _ in range(1200):
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("prefect server did not start")


ROWS = ["imports", "checks", "API launch", "lingua", "encoder", "embedder", "summariser", "API wait after loading",
        "translators", "flow (report)", "wall", "API ready after launch"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fresh", type=int, default=10, help="first runs with a new Prefect home")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests import tiny_models
    from tests.conftest import write_tiny_config

    work = Path(tempfile.mkdtemp(prefix="polybrief-startup-"))
    store = tiny_models.build_store(work / "models", work / "build")
    config = write_tiny_config(work / "tiny.yaml", store, work / "out")
    results: dict[str, list[dict]] = {"new Prefect home": [], "warm Prefect home": [], "running prefect server": []}
    for i in range(args.fresh):
        results["new Prefect home"].append(one_run(config, work / f"home-{i}", work / f"t-fresh-{i}.json"))
        print(f"new home {i + 1}: {'ok' if results['new Prefect home'][-1]['ok'] else 'FAILED'} "
              f"{results['new Prefect home'][-1].get('wall', 0):.1f} s", flush=True)
    for i in range(args.repeat):
        results["warm Prefect home"].append(one_run(config, work / "home-0", work / f"t-warm-{i}.json"))
    server, url = running_server(work / "server-home")
    try:
        for i in range(args.repeat):
            results["running prefect server"].append(one_run(config, work / "client-home", work / f"t-srv-{i}.json",
                                                             url))
    finally:
        server.terminate()
        server.wait()
    print(f"\nfirst runs with a new Prefect home: {sum(r['ok'] for r in results['new Prefect home'])} "
          f"of {args.fresh} succeeded\n")
    print("| seconds (median) | " + " | ".join(results) + " |")
    print("|---|" + "---:|" * len(results))
    for row in ROWS:
        cells = [statistics.median([r.get(row, 0.0) for r in runs]) if runs else float("nan")
                 for runs in results.values()]
        print(f"| {row} | " + " | ".join(f"{c:.1f}" for c in cells) + " |")


if __name__ == "__main__":
    main()
