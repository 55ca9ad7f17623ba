"""A newcomer's first runs, through the installed console script with no test harness: a new
Prefect home each time (no database yet), once with a busy CPU beside it; Ctrl-C and SIGTERM in
the middle of a run; an unreachable PREFECT_API_URL."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import write_tiny_config

POLYBRIEF = Path(sys.executable).parent / "polybrief"


def _env(home: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PREFECT_") and k not in ("POLYBRIEF_MODELS", "DO_NOT_TRACK")}
    return {**env, "PREFECT_HOME": str(home), "PYTHONUNBUFFERED": "1", "COLUMNS": "200", **extra}


SEEDS = Path(__file__).parent.parent / "examples" / "articles"


def _run(tmp_path, config, home, inputs=SEEDS, **extra):
    return subprocess.run([str(POLYBRIEF), "run", str(inputs), "--config", str(config)], cwd=tmp_path,
                          env=_env(home, **extra), capture_output=True, text=True, timeout=400, check=False)


def _api_servers(home: Path) -> list[psutil.Process]:
    """Temporary Prefect API servers of runs with this Prefect home (other tests' runs, or another
    suite on the same machine, have their own)."""
    found = []
    for p in psutil.process_iter(["cmdline"]):
        if "prefect.server.api.server:create_app" in " ".join(p.info["cmdline"] or []):
            try:
                if p.environ().get("PREFECT_HOME") == str(home):
                    found.append(p)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
    return found


def _busy_cpu():
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


@pytest.mark.parametrize("attempt", ["fresh-1", "fresh-2", "fresh-busy-cpu"])
def test_a_first_run_with_a_new_prefect_home_succeeds(tmp_path, tiny_store, attempt):
    busy = attempt.endswith("busy-cpu")  # CI machines are loaded
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out")
    home = tmp_path / "new-prefect-home"
    hog = _busy_cpu() if busy else None
    try:
        result = _run(tmp_path, config, home)
    finally:
        if hog:
            hog.kill()
            hog.wait()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "5 inputs: briefed 5" in result.stdout
    assert (tmp_path / "out" / "latest" / "index.md").is_file()
    assert _api_servers(home) == []  # the temporary API went with the run


def _stop_mid_run(tmp_path, config, home, signum):
    """Start a run on the seeds, send the signal once it writes translations to the cache."""
    cache = tmp_path / "out" / ".cache"

    def written() -> int:  # SQLite in WAL mode: the -wal file changes first
        return max(f.stat().st_mtime_ns for f in cache.glob("outputs.sqlite*"))

    before = written()
    process = subprocess.Popen([str(POLYBRIEF), "run", str(SEEDS), "--config", str(config)], cwd=tmp_path,
                               env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None and written() == before:
        time.sleep(0.05)
    children = _descendants(process.pid)
    process.send_signal(signum)
    sent = time.monotonic()
    stdout, stderr = process.communicate(timeout=60)
    return process.returncode, time.monotonic() - sent, stdout, stderr, children


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_run_quickly_and_loses_nothing(tmp_path, tiny_store, signum):
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out")
    home = tmp_path / "prefect-home"
    # an edition before, of one article: the stopped run has the other four to translate, and
    # must leave this one `latest`
    first = _run(tmp_path, config, home, inputs=min(SEEDS.glob("*.txt")))
    assert first.returncode == 0, first.stderr
    latest = os.readlink(tmp_path / "out" / "latest")

    code, seconds, stdout, stderr, children = _stop_mid_run(tmp_path, config, home, signum)
    assert code == 128 + signum, stderr
    assert seconds < 10  # ~2 s, plus the children's exit, on a loaded machine
    assert "Traceback" not in stdout + stderr
    stopped = [line for line in stderr.splitlines() if line.startswith("stopped (")]
    assert stopped and "latest edition unchanged" in stopped[0], stderr
    assert os.readlink(tmp_path / "out" / "latest") == latest
    assert children and not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    lock = tmp_path / "out" / ".polybrief.lock"
    from filelock import FileLock

    FileLock(lock).acquire(timeout=1)  # released

    again = _run(tmp_path, config, home)  # and the next run completes
    assert again.returncode == 0, again.stderr


def test_an_unreachable_prefect_api_is_one_line_and_a_non_zero_exit(tmp_path, tiny_store):
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out")
    result = _run(tmp_path, config, tmp_path / "home", PREFECT_API_URL="http://127.0.0.1:9/api")
    assert result.returncode == 4
    assert "Traceback" not in result.stderr + result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: cannot reach the Prefect API at http://127.0.0.1:9/api")
    assert "prefect server start" in last
    assert not (tmp_path / "out" / "latest").exists()


def test_the_users_startup_timeout_wins(tmp_path, tiny_store):
    """1 s is too short for a new database: the user's setting is kept, and says so in one line."""
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, tmp_path / "out")
    result = _run(tmp_path, config, tmp_path / "home", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1")
    assert result.returncode == 4, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "did not start within 1 s" in last and "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" in last
    # the server stopped while starting logs its own traceback: to its log, named in the line
    assert "Traceback" not in result.stderr + result.stdout
    assert str(tmp_path / "home" / "polybrief-api.log") in last
