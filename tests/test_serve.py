"""A deployment served by `polybrief serve`, triggered through the Prefect API, runs to completion."""

import json
import os
import subprocess
import sys
import time

from tests.conftest import write_tiny_config


def test_a_triggered_run_of_the_served_deployment_writes_briefings(tmp_path, tiny_store, seeds, prefect_server):
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL

    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out")
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "polybrief", "serve", str(seeds), "--cron", "0 6 * * *", "--timezone", "Europe/Ljubljana",
         "-c", str(config)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        run = None
        while run is None and time.monotonic() < deadline:
            try:
                run = run_deployment("briefing/served", timeout=240, poll_interval=1)
            except Exception:  # not registered yet
                assert server.poll() is None, server.stdout.read()
                time.sleep(1)
        assert run is not None and run.state.is_completed(), run.state if run else "never registered"
        report = json.loads((tmp_path / "out" / "latest" / "run.json").read_text())
        assert report["counts"]["briefed"] == 5
        assert (tmp_path / "out" / "latest" / "index.md").is_file()
    finally:
        server.terminate()
        server.wait(timeout=30)
