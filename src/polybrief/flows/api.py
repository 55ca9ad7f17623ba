"""The Prefect API a run talks to: the user's own (`PREFECT_API_URL`), or a temporary local one.

Prefect starts a temporary API itself when none is set, but waits only 20 s for it
(`server.ephemeral.startup_timeout_seconds`), and a first start that creates the database takes
longer than that on a small or busy machine (PrefectHQ/prefect#16397): the run then ends in a
traceback. So polybrief starts that same server (`uvicorn prefect.server.api.server:create_app`
with Prefect's ephemeral settings) itself:

- at once, so that it starts while the models load, not before them;
- waiting 120 s unless the user set the timeout (a user's setting always wins);
- in its own session, so that Ctrl-C at a terminal reaches polybrief, which stops the server
  after the run has recorded how it ended, and tied to polybrief's life (Linux: the kernel ends it
  even when polybrief is killed);
- then Prefect is pointed at it through `PREFECT_API_URL`, so every Prefect client in the process
  (flow engine, log and event workers) uses it;
- its own output goes to `$PREFECT_HOME/polybrief-api.log`, not the terminal: a server stopped
  while it was still starting logs a traceback, which the reader of a run must not see. Its
  last line is quoted when it fails.

A user's own API is only checked: unreachable, the run stops at once with one line.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from polybrief.errors import ApiUnavailable

DEFAULT_STARTUP_TIMEOUT = 120  # s: a fresh database on a loaded 2-core machine took up to ~35 s
TIMEOUT_SETTING = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
_PORT_IN_USE = 3  # uvicorn's exit code when the port was taken between our check and its bind
# PR_SET_PDEATHSIG = 1: the kernel sends SIGTERM (15) to the server when polybrief's main thread
# ends, however it ends. Set inside the child before uvicorn starts (a preexec_fn is not safe in a
# process that already runs threads).
_BOOT = ("import ctypes, runpy, sys\n"
         "try:\n ctypes.CDLL(None).prctl(1, 15)\nexcept Exception:\n pass\n"
         "sys.argv[0] = 'uvicorn'\n"
         "runpy.run_module('uvicorn', run_name='__main__', alter_sys=True)\n")


@dataclass
class LocalApi:
    """A temporary Prefect API server owned by this process."""

    process: subprocess.Popen
    url: str
    timeout: float
    log: Path
    started: float = field(default_factory=time.monotonic)

    def wait_ready(self) -> float:
        """Block until the server answers; seconds since it was started. ApiUnavailable if it does
        not answer within the timeout, or exits."""
        import httpx

        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() - self.started < self.timeout:
                if self.process.poll() == _PORT_IN_USE:  # taken since we chose it: another port
                    self.process, self.url = _spawn(self.log)
                    _point_prefect_at(self.url)
                elif self.process.poll() is not None:
                    raise ApiUnavailable(f"the temporary Prefect API exited with code {self.process.returncode} "
                                         f"while starting{_last_line(self.log)}; {_REMEDY}")
                try:
                    if client.get(f"{self.url}/health").status_code == 200:
                        return time.monotonic() - self.started
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        self.stop(flush=False)
        raise ApiUnavailable(f"the temporary Prefect API did not start within {self.timeout:.0f} s "
                             f"(raise {TIMEOUT_SETTING}; its log: {self.log}); {_REMEDY}")

    def stop(self, flush: bool = True) -> None:
        """End the server; first send it the logs and events still queued (they would otherwise
        be sent at exit, to a server that is gone)."""
        if flush and self.process.poll() is None:
            _flush_to_api()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _last_line(log: Path) -> str:
    """': <the server's last log line>', or '' when it logged nothing (or the log is unreadable)."""
    try:
        lines = [line.strip() for line in log.read_text(encoding="utf-8", errors="replace").splitlines()]
    except OSError:
        return ""
    lines = [line for line in lines if line]
    return f": {lines[-1][:300]} (log: {log})" if lines else ""


def _flush_to_api() -> None:
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogHandler

    try:
        APILogHandler().flush()
        EventsWorker.drain_all(timeout=5)
    except Exception:  # noqa: BLE001 - a log line lost at the end is no reason to fail the run
        pass


_REMEDY = ("or run one with `prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api "
           "(best for many runs: nothing starts per run)")


def prefect_api() -> LocalApi | None:
    """Start a temporary API unless the user configured one (which is then checked); point Prefect
    at it. Call before any Prefect client exists, from the main thread."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if settings.api.url:
        check_reachable(settings.api.url)
        return None
    ephemeral = settings.server.ephemeral
    timeout = ephemeral.startup_timeout_seconds if "startup_timeout_seconds" in ephemeral.model_fields_set \
        else DEFAULT_STARTUP_TIMEOUT
    log = Path(settings.home).expanduser() / "polybrief-api.log"
    process, url = _spawn(log)
    _point_prefect_at(url)
    return LocalApi(process, url, float(timeout), log)


def _point_prefect_at(url: str) -> None:
    from prefect.context import refresh_global_settings_context

    os.environ["PREFECT_API_URL"] = url
    refresh_global_settings_context()  # Prefect read its settings at import: read them again


def _spawn(log: Path) -> tuple[subprocess.Popen, str]:
    import prefect

    port = _free_port()
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    env.pop("PREFECT_API_URL", None)
    args = [sys.executable, "-c", _BOOT, "--app-dir", str(prefect.__module_path__.parent), "--factory",
            "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on"]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as output:  # one run's server per file: the last run's is kept
        process = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    return process, f"http://127.0.0.1:{port}/api"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def check_reachable(url: str, timeout: float = 10.0) -> None:
    """The user's API answers its health check, or the run stops now with one line."""
    import httpx

    try:
        response = httpx.get(f"{url.rstrip('/')}/health", timeout=timeout)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ApiUnavailable(f"cannot reach the Prefect API at {url} (PREFECT_API_URL): {reason}; start it with "
                             f"`prefect server start`, or unset PREFECT_API_URL to let polybrief start a "
                             f"temporary one") from None
