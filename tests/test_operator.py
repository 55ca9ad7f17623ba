"""The operator's path as an operator walks it: a real `prefect server` with its scheduler service,
the installed `polybrief` and `prefect` commands in subprocesses, and flow runs that the scheduler
creates — no `run_deployment`, no test harness. Both deployment routes of the README are covered:
`polybrief serve`, and prefect.yaml + `prefect deploy` + a process worker.

Cron's finest step is a minute, so the module starts both deployments at once and each test waits
for its own first scheduled run: about a minute for the module, whichever test runs first.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import write_tiny_config

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent  # the environment's installed console scripts


@dataclass
class Server:
    api: str
    log: Path
    env: dict[str, str]  # for a client command: talks to this server only


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args: list, log: Path, env: dict[str, str], cwd: Path = ROOT) -> subprocess.Popen:
    # a session of its own, so that stopping it stops whatever it started (flow run processes)
    return subprocess.Popen([str(a) for a in args], cwd=cwd, env=env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-server")
    port = _free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    base.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1", PYTHONUNBUFFERED="1")
    env = {**base, "PREFECT_HOME": str(home), "PREFECT_UI_ENABLED": "false",
           # the scheduler looks for deployments to schedule every second instead of every minute
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "1"}
    proc = _start([BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", port], home / "server.log", env)
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, (home / "server.log").read_text()[-3000:]
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "prefect server did not start"
        time.sleep(0.5)
    client_home = tmp_path_factory.mktemp("prefect-client")
    yield Server(api, home / "server.log", {**base, "PREFECT_API_URL": api, "PREFECT_HOME": str(client_home)})
    _stop(proc)


@dataclass
class Deployed:
    out: Path  # the deployment's output folder
    log: Path  # what the serving process or the worker printed


@pytest.fixture(scope="module")
def scheduled(server, tiny_store, seeds, tmp_path_factory):
    """Both deployments, every minute, started together; stopped when the module ends."""
    work = tmp_path_factory.mktemp("operator")
    procs = []

    served_out = work / "served-out"
    config = write_tiny_config(work / "served.yaml", tiny_store, served_out, input={"only_new": True})
    procs.append(_start([BIN / "polybrief", "serve", seeds, "--cron", "* * * * *", "--timezone", "UTC",
                         "-c", config, "--name", "every-minute"], work / "serve.log",
                        {**server.env, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}))

    worker_out = work / "worker-out"
    config = write_tiny_config(work / "worker.yaml", tiny_store, worker_out, input={"only_new": True})
    params = {"inputs": [str(seeds)], "config_path": str(config), "output_dir": str(worker_out),
              "models_dir": str(tiny_store)}
    _prefect(server, "work-pool", "create", "polybrief", "--type", "process")
    # prefect.yaml as shipped, run from the project folder as the README says; only the schedule
    # (every minute, not 06:00) and the parameters (tiny models, a temp folder) differ
    _prefect(server, "--no-prompt", "deploy", "--name", "daily", "--cron", "* * * * *", "--timezone", "UTC",
             "--params", json.dumps(params))
    procs.append(_start([BIN / "prefect", "worker", "start", "--pool", "polybrief"], work / "worker.log",
                        {**server.env, "PREFECT_WORKER_QUERY_SECONDS": "1"}))
    yield {"every-minute": Deployed(served_out, work / "serve.log"), "daily": Deployed(worker_out, work / "worker.log")}
    for proc in procs:
        _stop(proc)


def _prefect(server: Server, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BIN / "prefect"), *args], cwd=ROOT, env={**server.env, "COLUMNS": "200"},
                            capture_output=True, text=True, timeout=180)
    assert not check or result.returncode == 0, result.stdout + result.stderr
    return result


def _runs_of(server: Server, deployment: str) -> list[dict]:
    found = httpx.get(f"{server.api}/deployments/name/briefing/{deployment}", timeout=10)
    if found.status_code != 200:
        return []
    body = {"deployments": {"id": {"any_": [found.json()["id"]]}}, "sort": "EXPECTED_START_TIME_ASC"}
    return httpx.post(f"{server.api}/flow_runs/filter", json=body, timeout=10).json()


def _first_finished_run(server: Server, deployment: str, deployed: Deployed, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        finished = [r for r in _runs_of(server, deployment) if r["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED")]
        if finished:
            return finished[0]
        time.sleep(1)
    errors = [line for line in server.log.read_text().splitlines() if "Error" in line or "error" in line]
    pytest.fail(f"no scheduled run of briefing/{deployment} finished in {timeout:.0f}s; runs: "
                f"{[(r['name'], r['state']['type']) for r in _runs_of(server, deployment)]}; "
                f"server errors: {errors[-3:]}; {deployment} log: {deployed.log.read_text()[-1500:]}")


def _assert_scheduled_and_briefed(run: dict, deployed: Deployed) -> None:
    assert run["state"]["type"] == "COMPLETED", (run["state"], deployed.log.read_text()[-3000:])
    # the scheduler made it: an auto-scheduled run, created by the deployment's schedule
    assert run["auto_scheduled"] is True
    assert run["created_by"]["type"] == "SCHEDULE"
    assert run["idempotency_key"].startswith("scheduled ")
    report = json.loads((deployed.out / "latest" / "run.json").read_text())
    assert report["counts"]["briefed"] == 5
    assert list((deployed.out / "latest" / "stories").glob("*.md"))


def test_the_scheduler_runs_the_deployment_that_polybrief_serve_serves(server, scheduled):
    deployed = scheduled["every-minute"]
    _assert_scheduled_and_briefed(_first_finished_run(server, "every-minute", deployed), deployed)


def test_the_scheduler_runs_the_prefect_yaml_deployment_on_a_process_worker(server, scheduled):
    deployed = scheduled["daily"]
    _assert_scheduled_and_briefed(_first_finished_run(server, "daily", deployed), deployed)
    deployment = httpx.get(f"{server.api}/deployments/name/briefing/daily", timeout=10).json()
    # no {{ $VAR }} left to resolve: the runs work in the folder `prefect deploy` was run from
    assert deployment["pull_steps"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT.resolve())}}]


def test_a_failed_deployment_run_says_why_in_one_line(server, scheduled, tmp_path):
    empty = tmp_path / "no-models"
    empty.mkdir()
    result = _prefect(server, "deployment", "run", "briefing/daily", "--param", f"models_dir={json.dumps(str(empty))}",
                      "--watch", "--watch-timeout", "150", check=False)
    assert result.returncode == 1 and "finished in state 'Failed'" in result.stdout
    reason = f"model sshleifer/distilbart-cnn-12-6 is not in the model store {empty}"
    run_id = next(line.split()[-1] for line in result.stdout.splitlines() if "UUID:" in line)
    # the state message (the UI's and `prefect flow-run inspect`'s) is the one-line reason
    state = httpx.get(f"{server.api}/flow_runs/{run_id}", timeout=10).json()["state"]
    assert state["type"] == "FAILED"
    assert state["message"].startswith(reason) and "\n" not in state["message"]
    # and the run's log says it, as the README tells the operator to look: `prefect flow-run logs`
    logs = _prefect(server, "flow-run", "logs", run_id).stdout
    assert reason in logs.replace("\n", "")
