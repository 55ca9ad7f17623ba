"""Batch jobs die halfway and run twice at once: nothing is lost, nothing is half-written."""

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from filelock import FileLock

from polybrief.errors import StoreLocked
from tests.builders import write_corpus
from tests.conftest import write_tiny_config


def _tree_digest(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _cli(*args, api_url):
    env = {**os.environ, "PREFECT_API_URL": api_url, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "polybrief", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _cached_rows(db):
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as con:
            return con.execute("SELECT count(*) FROM outputs").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_run_killed_during_translation_resumes_from_the_cache(tmp_path, seeds, tiny_store, prefect_server):
    from prefect.settings import PREFECT_API_URL

    api = PREFECT_API_URL.value()
    out = tmp_path / "out"
    # slow enough to be caught mid-way: more articles, longer outputs, wider beams
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, out, runtime={"batch_articles": 3},
                               translation={"models": {"pl": None}, "beam_size": 4, "max_new_tokens": 48})
    first = _cli("run", str(seeds), "--config", str(config), api_url=api)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    before = _tree_digest(out / "latest")
    stories_before = (out / "stories.sqlite").read_bytes()

    corpus = write_corpus(tmp_path / "corpus", seeds, 24)
    victim = _cli("run", str(corpus), "--config", str(config), api_url=api)
    db = out / ".cache" / "outputs.sqlite"
    rows_before = _cached_rows(db)
    deadline = time.monotonic() + 240
    while _cached_rows(db) == rows_before and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert victim.poll() is None, "the run finished before it could be killed"
    victim.send_signal(signal.SIGKILL)
    victim.wait()

    # the killed run left no edition, no temp folder, and the previous edition as it was
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert visible == sorted(["latest", "stories.sqlite", (out / "latest").resolve().name])
    assert (out / "stories.sqlite").read_bytes() == stories_before  # updated only after an edition
    assert not [p for p in out.iterdir() if p.name.startswith(".20")]
    assert _tree_digest(out / "latest") == before

    resumed = _cli("run", str(corpus), "--config", str(config), api_url=api)
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read()
    report = json.loads((out / "latest" / "run.json").read_text())
    assert report["inputs"] == 24
    assert {o["status"] for o in report["outcomes"]} <= {"briefed", "duplicate"}  # nothing lost
    stats = report["translation"]
    assert stats["sentences_from_cache"] > 0  # the killed run's finished batches are not redone


def test_a_second_run_on_a_locked_output_folder_stops_with_a_clear_error(tmp_path, seeds, tiny_store, prefect_server):
    from polybrief.flows.briefing import briefing

    out = tmp_path / "out"
    out.mkdir()
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, out)
    with FileLock(out / ".polybrief.lock"):
        with pytest.raises(StoreLocked, match="another polybrief run is writing to"):
            briefing([str(seeds)], config_path=str(config))
    assert [p.name for p in out.iterdir()] == [".polybrief.lock"]


def _garbage_pages(db):
    """Everything after the first page (which says "SQLite" and holds the schema) overwritten with
    noise, as a bad disk or a stray write leaves it: the file opens, its first query fails."""
    import random

    with sqlite3.connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db.read_bytes()
    page = 4096
    assert len(data) > 2 * page
    db.write_bytes(data[:page] + random.Random(7).randbytes(len(data) - page))


def test_a_cache_damaged_after_a_run_is_set_aside_and_the_next_run_briefs_the_same(tmp_path, seeds, tiny_store,
                                                                                   prefect_server):
    from prefect.settings import PREFECT_API_URL

    api = PREFECT_API_URL.value()
    out = tmp_path / "out"
    config = write_tiny_config(tmp_path / "c.yaml", tiny_store, out)
    first = _cli("run", str(seeds), "--config", str(config), api_url=api)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    stories = json.loads((out / "latest" / "run.json").read_text())["stories"]
    db = out / ".cache" / "outputs.sqlite"
    _garbage_pages(db)
    with pytest.raises(sqlite3.DatabaseError), sqlite3.connect(db) as con:
        con.execute("SELECT count(*) FROM outputs").fetchone()  # damaged as a reader meets it

    second = _cli("run", str(seeds), "--config", str(config), api_url=api)
    _, stderr = second.communicate(timeout=300)
    assert second.returncode == 0, stderr
    assert "Traceback" not in stderr
    warnings = [line for line in stderr.splitlines() if line.startswith("warning: the cache")]
    assert len(warnings) == 1 and "moved aside" in warnings[0], stderr
    report = json.loads((out / "latest" / "run.json").read_text())
    assert [s["articles"] for s in report["stories"]] == [s["articles"] for s in stories]
    assert report["translation"]["sentences_from_cache"] == 0  # all recomputed, into a sound cache
    assert _cached_rows(db) > 0
    assert [p.name for p in db.parent.glob("outputs.sqlite.damaged-*")]
