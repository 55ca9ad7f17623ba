"""`polybrief.brief`: the same composition as `polybrief run`, as a library call, without Prefect
(a fresh interpreter, so nothing else has imported it), on the tiny real-architecture models."""

import json
import subprocess
import sys

from tests.conftest import write_tiny_config

SCRIPT = """
import json, sys
import polybrief
report = polybrief.brief([sys.argv[1]], sys.argv[2])
print(json.dumps({"counts": report.counts, "stories": [list(s.articles) for s in report.stories],
                  "stages": report.stage_seconds,
                  "edition": report.edition,
                  "prefect": sorted(m for m in sys.modules if m.split(".")[0] == "prefect")}))
"""


def test_brief_runs_the_pipeline_without_prefect_and_writes_the_edition(tmp_path, tiny_store, seeds):
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out")
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(seeds), str(config)], capture_output=True, text=True,
                          timeout=600, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["prefect"] == []
    assert result["counts"]["briefed"] == 5 and result["stories"]
    # the stage table, in run order (bench/throughput.py prints it): every stage timed once; the
    # summaries (one per story) are made inside the merge, the encoder's time inside several stages
    # (stories first: found from the originals, before translation)
    assert list(result["stages"]) == ["start-up", "read", "language", "near-duplicates", "models and lock",
                                      "cluster", "translate", "check", "merge", "summarise", "write", "encoder"]
    assert all(seconds >= 0 for seconds in result["stages"].values())
    assert 0 < result["stages"]["summarise"] <= result["stages"]["merge"]
    on_disk = json.loads((tmp_path / "out" / "latest" / "run.json").read_text())["stage_seconds"]
    assert list(on_disk) == [s for s in result["stages"] if s != "write"]  # written while "write" runs
    latest = tmp_path / "out" / "latest"
    assert latest.resolve().name == result["edition"].rsplit("/", 1)[-1]
    stories = list((latest / "stories").glob("*.md"))
    assert len(stories) == len(result["stories"])
    assert json.loads((latest / "run.json").read_text())["counts"] == result["counts"]
